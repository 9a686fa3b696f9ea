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

/// The buyer's refund account (XPay `LGD_RFBANKCODE`/`LGD_RFACCOUNTNUM`/`LGD_RFCUSTOMERNAME`,
/// KISPG `refundBankCd`/`refundAccnt`/`refundNm`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundAccount {
    pub bank: String,
    pub account: String,
    pub holder: String,
}

/// The payment and the change, from the merchant's own record.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    let amount_s = amount.to_string();
    let none = || Err(super::Call::unknown(pg));
    let need_refund = |field: &str| {
        c.refund.clone().ok_or_else(|| {
            ValidationError::new(field, Rule::Required, "a refund needs the buyer's account")
        })
    };
    let call = match (pg, op) {
        // manual 000 §7.1; PartialCancel from Toss's sample (call/xpay.rs).
        (Pg::Xpay, Op::Cancel) => {
            p.set("LGD_TID", c.tid.as_str());
            Call::Cancel
        }
        (Pg::Xpay, Op::PartialCancel | Op::Refund) => {
            p.set("LGD_TID", c.tid.as_str());
            p.set("LGD_CANCELAMOUNT", amount_s.as_str());
            p.set("LGD_REMAINAMOUNT", c.remaining.to_string());
            if !c.reason.is_empty() {
                p.set("LGD_CANCELREASON", c.reason.as_str());
            }
            if op == Op::Refund {
                // "가상계좌 환불인경우만 필수".
                let r = need_refund("LGD_RFACCOUNTNUM")?;
                p.set("LGD_RFACCOUNTNUM", r.account);
                p.set("LGD_RFBANKCODE", r.bank);
                p.set("LGD_RFCUSTOMERNAME", r.holder);
            }
            Call::PartialCancel
        }
        // manual 001 §5.2.1: a full cancel sends the amount too.
        (Pg::Smartro, Op::Cancel | Op::PartialCancel) => {
            p.set("TID", c.tid.as_str());
            p.set("CancelAmt", amount_s.as_str());
            if !c.reason.is_empty() {
                p.set("CancelMSG", c.reason.as_str());
            }
            if op == Op::Cancel {
                Call::Cancel
            } else {
                Call::PartialCancel
            }
        }
        // SMARTRO PAY cancel.do (call/smartropay.rs, sources S4/S5): the amount this cancel takes.
        (Pg::SmartroPay, Op::Cancel | Op::PartialCancel) => {
            p.set("Tid", c.tid.as_str());
            p.set("CancelAmt", amount_s.as_str());
            if !c.reason.is_empty() {
                p.set("CancelMsg", c.reason.as_str());
            }
            if op == Op::Cancel {
                Call::Cancel
            } else {
                Call::PartialCancel
            }
        }
        // manual 003 §3/§4; STPC with mod_mny / rem_mny.
        (Pg::Kcp, Op::Cancel | Op::PartialCancel | Op::Capture) => {
            p.set("tno", c.tid.as_str());
            if op == Op::PartialCancel {
                p.set("mod_mny", amount_s.as_str());
                p.set("rem_mny", c.remaining.to_string());
            }
            if !c.reason.is_empty() && op != Op::Capture {
                p.set("mod_desc", c.reason.as_str());
            }
            match op {
                Op::Cancel => Call::Cancel,
                Op::PartialCancel => Call::PartialCancel,
                _ => Call::Capture,
            }
        }
        // manual 004 §3.3.1 (canMsg is required: a default reason when none is given).
        (Pg::Kispg, Op::Cancel | Op::PartialCancel | Op::Refund) => {
            p.set("tid", c.tid.as_str());
            p.set("payMethod", c.method.as_str());
            p.set_default("ordNo", c.order_id.as_str());
            p.set("canAmt", amount_s.as_str());
            p.set(
                "canMsg",
                if c.reason.is_empty() {
                    "고객요청"
                } else {
                    c.reason.as_str()
                },
            );
            match op {
                Op::Cancel => Call::Cancel,
                Op::PartialCancel => Call::PartialCancel,
                _ => {
                    let r = need_refund("refundAccnt")?;
                    p.set("refundBankCd", r.bank);
                    p.set("refundAccnt", r.account);
                    p.set("refundNm", r.holder);
                    p.set("partCanFlg", if amount < c.remaining { "1" } else { "0" });
                    Call::Refund
                }
            }
        }
        // manual 004 §3.4.1: by tid, with the order amount under encData.
        (Pg::Kispg, Op::Lookup) => {
            p.set("tid", c.tid.as_str());
            p.set("goodsAmt", c.order_amount.to_string());
            Call::Order
        }
        _ => return none(),
    };
    Ok((call, p))
}
