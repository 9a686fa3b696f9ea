//! A payment's lifecycle in generic terms — cancel, partial cancel, refund, capture, look up —
//! mapped to each PG's own call and field names, so a merchant server names the transaction,
//! the amounts and (for a refund) the buyer's account once, not five times. The result is the
//! `(Call, Params)` pair [`super::request`] takes, with the merchant's configuration (`CST_MID`,
//! `Cancelpw`, `site_cd`/`kcp_cert_info`/`kcp_sign_data`, `mid`) passed through in the PG's own
//! names; validation stays with each builder.

use crate::prelude::*;

use super::super::{Params, Pg};
use super::Call;
use crate::form::{Rule, ValidationError};

/// What to do with a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Cancel all that remains.
    Cancel,
    /// Cancel `amount` of it.
    PartialCancel,
    /// Refund a deposited virtual account to the buyer's account (all that remains, or
    /// `amount` of it).
    Refund,
    /// KCP manual acquisition (`STMR`).
    Capture,
    /// Ask the PG for the payment's state (KISPG `/v2/order`).
    Lookup,
}

impl Op {
    /// Every operation, in [`Op::name`]'s order.
    pub const ALL: [Op; 5] = [
        Op::Cancel,
        Op::PartialCancel,
        Op::Refund,
        Op::Capture,
        Op::Lookup,
    ];

    /// `cancel`, `partial_cancel`, `refund`, `capture`, `lookup`: snake case, as [`Call`]'s
    /// names are (the PG's call for an operation may be named otherwise: KISPG's lookup is
    /// `order`).
    pub fn name(self) -> &'static str {
        match self {
            Op::Cancel => "cancel",
            Op::PartialCancel => "partial_cancel",
            Op::Refund => "refund",
            Op::Capture => "capture",
            Op::Lookup => "lookup",
        }
    }

    /// The operation [`Op::name`] names.
    pub fn from_name(name: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|o| o.name() == name)
    }
}

/// The buyer's refund account (XPay `LGD_RFBANKCODE`/`LGD_RFACCOUNTNUM`/`LGD_RFCUSTOMERNAME`,
/// KISPG `refundBankCd`/`refundAccnt`/`refundNm`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundAccount {
    pub bank: String,
    pub account: String,
    pub holder: String,
}

/// The payment and the change, from the merchant's own record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// The PG's transaction id stored at approval.
    pub tid: String,
    pub order_id: String,
    /// The PG's own method value from the approval (`card`, `vacnt`, … — KISPG's `payMethod`).
    pub method: String,
    /// The order amount.
    pub order_amount: u64,
    /// What remains before this change (order amount minus what was cancelled).
    pub remaining: u64,
    /// This change's amount: for a partial cancel or partial refund; ignored otherwise.
    pub amount: u64,
    pub reason: String,
    pub refund: Option<RefundAccount>,
}

/// The call and its parameters for `op` on `pg`, with `merchant` (the merchant's configuration
/// in the PG's names) added. A lifecycle step the PG has no call for fails on field `call`, rule
/// `one_of`; a refund without an account fails on the PG's refund field, rule `required`.
pub fn lifecycle(
    pg: Pg,
    op: Op,
    c: &Change,
    merchant: Params,
) -> Result<(Call, Params), ValidationError> {
    let mut p = merchant;
    let amount = match op {
        Op::PartialCancel => c.amount,
        Op::Refund if c.amount > 0 => c.amount,
        _ => c.remaining,
    };
    let call = (pg.server().lifecycle)(op, c, &mut p, amount)?;
    Ok((call, p))
}

/// The buyer's account of a refund, or the PG's refund field as `required`.
pub(crate) fn refund_account(c: &Change, field: &str) -> Result<RefundAccount, ValidationError> {
    c.refund.clone().ok_or_else(|| {
        ValidationError::new(field, Rule::Required, "a refund needs the buyer's account")
    })
}
