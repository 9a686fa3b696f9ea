//! The generic order. Each PG maps it to its own parameters in its module
//! ([`super::Gateway::from_order`], with the helpers below); PG-native `overrides` are applied
//! last and win.

use crate::prelude::*;

use crate::form::{CheckoutForm, Rule, ValidationError};
use crate::pg::{self, KstTime, Mode, Params, Pg};

pub use crate::method::Method;

/// What the merchant sells, to whom, and how it may be paid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Order {
    /// Merchant id at the PG (XPay `CST_MID` without the test `t`, KCP `site_cd`, …).
    pub merchant_id: String,
    pub order_id: String,
    /// Amount in won, no commas.
    pub amount: u64,
    pub goods_name: String,
    pub buyer_name: String,
    pub buyer_phone: String,
    pub buyer_email: String,
    /// Where the PG posts the result (the browser return page).
    pub return_url: String,
    /// Server-to-server notification URL (XPay `LGD_CASNOTEURL`, Smartro `RetryURL`).
    pub notify_url: String,
    /// Methods to offer; empty means the PG's default (card).
    pub methods: Vec<Method>,
    /// Largest installment count to offer (0 = lump sum only).
    pub max_installments: u8,
    /// Tax-free part of `amount`.
    pub tax_free_amount: u64,
    /// App URL scheme to return to after card apps (KSNET `sndRtApp`, KISPG `resultScheme`).
    pub app_scheme: String,
    pub escrow: bool,
    /// Buyer IP (Smartro `UserIP`, KISPG `userIp`).
    pub buyer_ip: String,
    /// The buyer is on a phone (or tablet, in-app browser, WebView): the form is the PG's mobile
    /// variant (audit M5), not the desktop one with fields patched in.
    pub phone: bool,
    /// Where the PG's mobile page sends a buyer who stops (Smartro `StopURL`, required there).
    pub stop_url: String,
    /// PG-native parameters set last, e.g. `("LGD_NOINTINF", "11-3:6")`.
    pub overrides: Vec<(String, String)>,
}

/// `0:2:3:…:max` (at most 12): the installment list of XPay and KSPay.
pub(crate) fn installments(max: u8) -> String {
    let mut months = vec!["0".to_string()];
    months.extend((2..=max.min(12)).map(|m| m.to_string()));
    months.join(":")
}

/// `len` characters of `0` with a `1` at each of `bits` (KSPay, KCP method bitmaps).
pub(crate) fn bitmap(len: usize, bits: impl Iterator<Item = usize>) -> String {
    let mut b = vec![b'0'; len];
    for i in bits {
        if let Some(slot) = b.get_mut(i) {
            *slot = b'1';
        }
    }
    String::from_utf8(b).unwrap_or_default()
}

pub(crate) fn digits_only(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Sets `k` to `v` unless `v` is empty (an order field the merchant left out).
pub(crate) fn set(p: &mut Params, k: &str, v: &str) {
    if !v.is_empty() {
        p.set(k, v);
    }
}

impl Order {
    /// The order's one method (card when none is given) for a PG that opens one method per
    /// window, or `one_of` on `PayMethod` (Smartro manual 001 §3.1 row 1; SMARTRO PAY's sample
    /// form has a single PayMethod input, S1).
    pub(crate) fn one_method(&self, pg: &str) -> Result<Method, ValidationError> {
        match self.methods_or_card().as_slice() {
            [only] => Ok(*only),
            _ => Err(ValidationError::new(
                "PayMethod",
                Rule::OneOf,
                format!("{pg} opens one method per window"),
            )),
        }
    }

    pub(crate) fn methods_or_card(&self) -> Vec<Method> {
        if self.methods.is_empty() {
            vec![Method::Card]
        } else {
            self.methods.clone()
        }
    }

    /// The PG-native parameters for this order (before defaults, validation and signing).
    pub fn to_params(&self, pg: Pg) -> Result<Params, ValidationError> {
        let mut p = (pg.gateway().from_order)(self)?;
        for (k, v) in &self.overrides {
            p.set(k, v.as_str());
        }
        Ok(p)
    }

    /// Maps, validates and signs in one call.
    pub fn checkout(
        &self,
        pg: Pg,
        key: &str,
        mode: Mode,
        now: KstTime,
    ) -> Result<CheckoutForm, ValidationError> {
        let form = pg::build_form(pg, self.to_params(pg)?, key, mode, now)?;
        if self.phone {
            (pg.gateway().phone_form)(form, mode)
        } else {
            Ok(form)
        }
    }

    /// The call the merchant's server must make before this order's form exists, if any: on a
    /// phone, a PG whose phone page takes a form bound to a registered trade (KCP, notes §3.3).
    /// `None` means [`Order::checkout`] builds the form directly. Otherwise send the request,
    /// read its answer as [`crate::pg::call::wire::decode`] does, and build the form with
    /// [`Order::registered_checkout`].
    #[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
    pub fn registration(
        &self,
        pg: Pg,
        mode: Mode,
        now: KstTime,
    ) -> Result<Option<crate::pg::call::Request>, ValidationError> {
        let Some(reg) = self.phone_registration(pg) else {
            return Ok(None);
        };
        let pc = pg::build_form(pg, self.to_params(pg)?, "", mode, now)?;
        (reg.request)(&pc, &self.return_url, mode, now).map(Some)
    }

    /// The form of an order that needed [`Order::registration`], from that call's answer. The
    /// order must be the one registered; a refused answer is an error on the field it should have
    /// carried (KCP: `approval_key`).
    #[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
    pub fn registered_checkout(
        &self,
        pg: Pg,
        key: &str,
        answer: &Params,
        mode: Mode,
        now: KstTime,
    ) -> Result<CheckoutForm, ValidationError> {
        let Some(reg) = self.phone_registration(pg) else {
            return Err(ValidationError::new(
                "phone",
                Rule::Conflict,
                "this checkout needs no registration: build it with Order::checkout",
            ));
        };
        let pc = pg::build_form(pg, self.to_params(pg)?, key, mode, now)?;
        (reg.form)(&pc, &self.return_url, answer)
    }

    #[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
    fn phone_registration(&self, pg: Pg) -> Option<&'static crate::pg::call::PhoneRegistration> {
        pg.server()
            .phone_registration
            .as_ref()
            .filter(|_| self.phone)
    }
}
