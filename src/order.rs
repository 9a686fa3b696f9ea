//! The generic order and its mapping to each PG's own parameters — the one place where
//! generic names meet PG-native ones. PG-native `overrides` are applied last and win.

use crate::prelude::*;

use crate::form::{CheckoutForm, Rule, ValidationError};
use crate::pg::{self, kcp, kispg, kspay, smartro, smartropay, xpay, KstTime, Mode, Params, Pg};

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

fn installments(max: u8) -> String {
    let mut months = vec!["0".to_string()];
    months.extend((2..=max.min(12)).map(|m| m.to_string()));
    months.join(":")
}

fn bitmap(len: usize, bits: impl Iterator<Item = usize>) -> String {
    let mut b = vec![b'0'; len];
    for i in bits {
        if let Some(slot) = b.get_mut(i) {
            *slot = b'1';
        }
    }
    String::from_utf8(b).unwrap_or_default()
}

fn digits_only(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

impl Order {
    fn methods_or_card(&self) -> Vec<Method> {
        if self.methods.is_empty() {
            vec![Method::Card]
        } else {
            self.methods.clone()
        }
    }

    /// The PG-native parameters for this order (before defaults, validation and signing).
    pub fn to_params(&self, pg: Pg) -> Result<Params, ValidationError> {
        let mut p = Params::new();
        let amount = self.amount.to_string();
        let methods = self.methods_or_card();
        let set = |p: &mut Params, k: &str, v: &str| {
            if !v.is_empty() {
                p.set(k, v);
            }
        };
        match pg {
            Pg::Xpay => {
                set(&mut p, "CST_MID", &self.merchant_id);
                set(&mut p, "LGD_OID", &self.order_id);
                set(&mut p, "LGD_AMOUNT", &amount);
                set(&mut p, "LGD_BUYER", &self.buyer_name);
                set(&mut p, "LGD_PRODUCTINFO", &self.goods_name);
                set(&mut p, "LGD_BUYERPHONE", &self.buyer_phone);
                set(&mut p, "LGD_BUYEREMAIL", &self.buyer_email);
                set(&mut p, "LGD_RETURNURL", &self.return_url);
                set(&mut p, "LGD_CASNOTEURL", &self.notify_url);
                set(&mut p, "LGD_BUYERIP", &self.buyer_ip);
                let codes: Vec<&str> = methods.iter().map(|m| xpay::method_code(*m)).collect();
                p.set("LGD_CUSTOM_USABLEPAY", codes.join("-"));
                p.set("LGD_INSTALLRANGE", installments(self.max_installments));
                if self.tax_free_amount > 0 {
                    p.set("LGD_TAXFREEAMOUNT", self.tax_free_amount.to_string());
                }
                p.set("LGD_ESCROW_USEYN", if self.escrow { "Y" } else { "N" });
                if self.phone {
                    // Smart XPay (notes §1.6): the same script, a full-page `submit` window and
                    // the smartphone skin. `LGD_OSTYPE_CHECK` is CONFLICTING there (P in one
                    // template, M in a newer sample); M is the one that cannot start the PC module.
                    for (k, v) in [
                        ("LGD_CUSTOM_SKIN", "SMART_XPAY2"),
                        ("LGD_CUSTOM_SWITCHINGTYPE", "SUBMIT"),
                        ("LGD_WINDOW_TYPE", "submit"),
                        ("CST_WINDOW_TYPE", "submit"),
                        ("LGD_OSTYPE_CHECK", "M"),
                    ] {
                        p.set(k, v);
                    }
                }
            }
            Pg::Smartro => {
                // Smartro takes one PayMethod per window (manual 001 §3.1 row 1).
                if methods.len() > 1 {
                    return Err(ValidationError::new(
                        "PayMethod",
                        Rule::OneOf,
                        "Smartro opens one method per window",
                    ));
                }
                let method = methods.first().copied().unwrap_or(Method::Card);
                p.set("PayMethod", smartro::method_code(method));
                set(&mut p, "GoodsName", &self.goods_name);
                set(&mut p, "Amt", &amount);
                set(&mut p, "Moid", &self.order_id);
                set(&mut p, "MID", &self.merchant_id);
                set(&mut p, "ReturnURL", &self.return_url);
                set(&mut p, "RetryURL", &self.notify_url);
                set(&mut p, "BuyerName", &self.buyer_name);
                set(&mut p, "BuyerTel", &self.buyer_phone);
                set(&mut p, "BuyerEmail", &self.buyer_email);
                set(&mut p, "UserIP", &self.buyer_ip);
                if self.escrow {
                    p.set("EscrowCD", "1");
                }
                if self.phone {
                    // The smartphone page takes a UTF-8 form and a StopURL (notes §2.1 "Mobile
                    // flow"); see `smartro::phone_form`.
                    p.set("EncodingType", "utf8");
                    set(&mut p, "StopURL", &self.stop_url);
                }
            }
            Pg::Kspay => {
                p.set(
                    "sndPaymethod",
                    bitmap(10, methods.iter().map(|m| kspay::method_bit(*m))),
                );
                set(&mut p, "sndStoreid", &self.merchant_id);
                set(&mut p, "sndOrdernumber", &self.order_id);
                set(&mut p, "sndGoodname", &self.goods_name);
                set(&mut p, "sndAmount", &amount);
                set(&mut p, "sndOrdername", &self.buyer_name);
                set(&mut p, "sndEmail", &self.buyer_email);
                set(&mut p, "sndMobile", &digits_only(&self.buyer_phone));
                set(&mut p, "sndReply", &self.return_url);
                p.set("sndInstallmenttype", installments(self.max_installments));
                p.set("sndEscrow", if self.escrow { "1" } else { "0" });
                set(&mut p, "sndRtApp", &self.app_scheme);
            }
            Pg::Kcp => {
                set(&mut p, "site_cd", &self.merchant_id);
                set(&mut p, "ordr_idxx", &self.order_id);
                set(&mut p, "good_name", &self.goods_name);
                set(&mut p, "good_mny", &amount);
                set(&mut p, "buyr_name", &self.buyer_name);
                set(&mut p, "buyr_tel2", &self.buyer_phone);
                set(&mut p, "buyr_mail", &self.buyer_email);
                p.set(
                    "pay_method",
                    bitmap(12, methods.iter().map(|m| kcp::method_bit(*m))),
                );
                p.set("quotaopt", self.max_installments.min(12).to_string());
                if self.tax_free_amount > 0 {
                    let (tax, vat, free) = kcp::composite_tax(self.amount, self.tax_free_amount);
                    p.set("tax_flag", "TG03");
                    p.set("comm_tax_mny", tax.to_string());
                    p.set("comm_vat_mny", vat.to_string());
                    p.set("comm_free_mny", free.to_string());
                }
                if self.escrow {
                    p.set("escw_used", "Y");
                    p.set("pay_mod", "O");
                }
            }
            Pg::Kispg => {
                // One method selects it; several (or none) show KISPG's full list (manual 004 §3.1.1).
                if let [only] = methods.as_slice() {
                    p.set("payMethod", kispg::method_code(*only));
                }
                p.set("trxCd", if self.escrow { "1" } else { "0" });
                set(&mut p, "mid", &self.merchant_id);
                set(&mut p, "goodsNm", &self.goods_name);
                set(&mut p, "ordNo", &self.order_id);
                set(&mut p, "goodsAmt", &amount);
                set(&mut p, "ordNm", &self.buyer_name);
                set(&mut p, "ordTel", &digits_only(&self.buyer_phone));
                set(&mut p, "ordEmail", &self.buyer_email);
                set(&mut p, "returnUrl", &self.return_url);
                set(&mut p, "userIp", &self.buyer_ip);
                // "모바일 연동시에는 submit 방식을 권장" (004:L40): the MOB model of the auth page.
                p.set("model", if self.phone { "MOB" } else { "WEB" });
                if !self.app_scheme.is_empty() {
                    p.set("appSchemeFlg", "1");
                    p.set("resultScheme", self.app_scheme.as_str());
                    p.set("cancelScheme", self.app_scheme.as_str());
                }
            }
            Pg::SmartroPay => {
                // One PayMethod per `smartropay.payment` call, as with WEBLink (the sample form
                // has a single PayMethod input; src/pg/smartropay.rs S1).
                if methods.len() > 1 {
                    return Err(ValidationError::new(
                        "PayMethod",
                        Rule::OneOf,
                        "SMARTRO PAY opens one method per window",
                    ));
                }
                let method = methods.first().copied().unwrap_or(Method::Card);
                p.set("PayMethod", smartropay::method_code(method));
                set(&mut p, "GoodsName", &self.goods_name);
                set(&mut p, "Amt", &amount);
                set(&mut p, "Moid", &self.order_id);
                set(&mut p, "Mid", &self.merchant_id);
                set(&mut p, "ReturnUrl", &self.return_url);
                set(&mut p, "StopUrl", &self.stop_url);
                set(&mut p, "BuyerName", &self.buyer_name);
                set(&mut p, "BuyerTel", &self.buyer_phone);
                set(&mut p, "BuyerEmail", &self.buyer_email);
                set(&mut p, "UserIp", &self.buyer_ip);
                if self.tax_free_amount > 0 {
                    p.set("TaxFreeAmt", self.tax_free_amount.to_string());
                }
            }
        }
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
        match (pg, self.phone) {
            (Pg::Smartro, true) => smartro::phone_form(form, mode),
            // KCP's phone page takes a form bound to a trade registered server-side first
            // (notes §3.3): there is no phone form without its `approval_key`.
            (Pg::Kcp, true) => Err(ValidationError::new(
                "approval_key",
                Rule::Required,
                "KCP on a phone: send Order::kcp_trade_registration, then Order::kcp_phone_checkout",
            )),
            (Pg::SmartroPay, true) => smartropay::phone_form(form, mode),
            (Pg::Kspay, true) => kspay::phone_form(form),
            _ => Ok(form),
        }
    }

    /// KCP on a phone, step 1 (notes §3.3): the trade registration request for this order
    /// (`site_cd`, `ordr_idxx`, `good_mny`, `good_name`, the one mobile `pay_method`, `Ret_URL` =
    /// the order's return URL). Send it, read the answer with
    /// [`crate::pg::call::kcp::read_trade_registration`], then build the form with
    /// [`Order::kcp_phone_checkout`].
    #[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
    pub fn kcp_trade_registration(
        &self,
        mode: Mode,
        now: KstTime,
    ) -> Result<crate::pg::call::Request, ValidationError> {
        use crate::pg::call::{self, kcp as kcp_call, Call};
        let pc = pg::build_form(Pg::Kcp, self.to_params(Pg::Kcp)?, "", mode, now)?;
        let (method, _) = kcp_call::mobile_method(pc.field("pay_method").unwrap_or(""))?;
        let f = |k: &str| pc.field(k).unwrap_or("").to_string();
        let params = crate::pg::Params::from_pairs([
            ("site_cd", f("site_cd")),
            ("ordr_idxx", f("ordr_idxx")),
            ("good_mny", f("good_mny")),
            ("good_name", f("good_name")),
            ("pay_method", method.to_string()),
            ("Ret_URL", self.return_url.clone()),
        ]);
        call::request(Pg::Kcp, Call::TradeRegister, params, "", mode, now)
    }

    /// KCP on a phone, step 2: the `order_info` form for `PayUrl` with the registration's
    /// `approval_key` (notes §3.3). The order must be the one registered.
    #[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
    pub fn kcp_phone_checkout(
        &self,
        reg: &crate::pg::call::kcp::Registration,
        mode: Mode,
        now: KstTime,
    ) -> Result<CheckoutForm, ValidationError> {
        let pc = pg::build_form(Pg::Kcp, self.to_params(Pg::Kcp)?, "", mode, now)?;
        crate::pg::call::kcp::phone_form(&pc, &self.return_url, reg)
    }
}
