//! The emulated PGs' own book of payments: what each PG knows about a transaction after it
//! approved it, so its cancel, partial-cancel, refund, capture and lookup endpoints can make the
//! checks the real PG makes (issue 13 §6): a transaction it never approved is unknown, a
//! cancelled one cannot be cancelled again, a partial cancel may not exceed what remains, and a
//! deposited virtual account is refunded only to an account the buyer names.
//!
//! Keyed by PG and transaction id (XPay `LGD_TID`, Smartro `TID`, KCP `tno`, KISPG `tid`). The
//! ledger lives in the sandbox process, as a real PG's books live at the PG: the merchant's
//! store (merchant.rs, SQLite) is the other side's record.

use hanpay::pg::Pg;
use std::collections::HashMap;
use std::sync::Mutex;

/// Where the money of one payment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Approved (a card, a transfer, a phone payment).
    Paid,
    /// A virtual account was issued; nothing arrived yet.
    Issued,
    /// The buyer deposited the amount on the virtual account.
    Deposited,
    /// Everything was cancelled or refunded.
    Cancelled,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Paid => "paid",
            State::Issued => "issued",
            State::Deposited => "deposited",
            State::Cancelled => "cancelled",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Payment {
    pub order_id: String,
    pub amount: u64,
    /// The PG's method code (`SC0010`, `CARD`, `PACA`, `card`, `vacnt`, …).
    pub method: String,
    pub state: State,
    /// Amounts cancelled so far, in order (a partial cancel adds one).
    pub cancels: Vec<u64>,
    /// KCP manual acquisition (`STMR`) done.
    pub captured: bool,
}

impl Payment {
    pub fn new(order_id: &str, amount: u64, method: &str, state: State) -> Payment {
        Payment {
            order_id: order_id.to_string(),
            amount,
            method: method.to_string(),
            state,
            cancels: Vec::new(),
            captured: false,
        }
    }

    pub fn cancelled(&self) -> u64 {
        self.cancels.iter().sum()
    }

    pub fn remaining(&self) -> u64 {
        self.amount.saturating_sub(self.cancelled())
    }
}

/// Why a PG refused a cancel. Each emulator maps it to its own code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No such transaction at this PG.
    Unknown,
    /// Already wholly cancelled.
    AlreadyCancelled,
    /// The amount is zero or above what remains.
    OverCancel,
    /// A full cancel whose amount is not the remaining amount.
    AmountMismatch,
    /// A deposited virtual account needs the buyer's refund account.
    RefundAccountRequired,
    /// Not cancellable in this state (a virtual account nobody paid into yet; an acquisition
    /// of a cancelled or already acquired payment).
    WrongState,
}

/// What a cancel the PG accepted did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled {
    pub amount: u64,
    pub remaining: u64,
}

/// What a cancel asks for.
pub struct CancelAsk {
    /// `None`: all that remains.
    pub amount: Option<u64>,
    /// A partial cancel: `amount` may be less than what remains.
    pub partial: bool,
    /// The buyer's refund account was sent.
    pub refund_account: bool,
}

#[derive(Default)]
pub struct Ledger {
    payments: Mutex<HashMap<(Pg, String), Payment>>,
}

impl Ledger {
    /// Records an approval (or an issued virtual account). A transaction is recorded once.
    pub fn record(&self, pg: Pg, tid: &str, p: Payment) {
        if let Ok(mut m) = self.payments.lock() {
            m.entry((pg, tid.to_string())).or_insert(p);
        }
    }

    pub fn get(&self, pg: Pg, tid: &str) -> Option<Payment> {
        self.payments
            .lock()
            .ok()?
            .get(&(pg, tid.to_string()))
            .cloned()
    }

    /// The transaction of an order (the KISPG lookup by `ordNo`).
    pub fn by_order(&self, pg: Pg, order_id: &str) -> Option<(String, Payment)> {
        let m = self.payments.lock().ok()?;
        m.iter()
            .find(|((p, _), v)| *p == pg && v.order_id == order_id)
            .map(|((_, t), v)| (t.clone(), v.clone()))
    }

    /// The buyer deposited on the virtual account of `order_id`.
    pub fn deposit(&self, pg: Pg, order_id: &str) {
        if let Ok(mut m) = self.payments.lock() {
            for ((p, _), v) in m.iter_mut() {
                if *p == pg && v.order_id == order_id && v.state == State::Issued {
                    v.state = State::Deposited;
                }
            }
        }
    }

    /// Cancels all or part of a payment, atomically: the checks and the booking happen under
    /// one lock, so two concurrent cancels of the same payment cannot both pass.
    pub fn cancel(&self, pg: Pg, tid: &str, ask: CancelAsk) -> Result<Cancelled, Refusal> {
        let mut m = self.payments.lock().map_err(|_| Refusal::Unknown)?;
        let p = m.get_mut(&(pg, tid.to_string())).ok_or(Refusal::Unknown)?;
        match p.state {
            State::Cancelled => return Err(Refusal::AlreadyCancelled),
            // An issued account nobody paid into expires; there is nothing to cancel yet.
            State::Issued => return Err(Refusal::WrongState),
            State::Deposited if !ask.refund_account => return Err(Refusal::RefundAccountRequired),
            _ => {}
        }
        let remaining = p.remaining();
        let amount = ask.amount.unwrap_or(remaining);
        if amount == 0 || amount > remaining {
            return Err(Refusal::OverCancel);
        }
        if !ask.partial && amount != remaining {
            return Err(Refusal::AmountMismatch);
        }
        p.cancels.push(amount);
        let left = p.remaining();
        if left == 0 {
            p.state = State::Cancelled;
        }
        Ok(Cancelled {
            amount,
            remaining: left,
        })
    }

    /// KCP `STMR`: acquires an approved card payment once.
    pub fn capture(&self, pg: Pg, tid: &str) -> Result<Payment, Refusal> {
        let mut m = self.payments.lock().map_err(|_| Refusal::Unknown)?;
        let p = m.get_mut(&(pg, tid.to_string())).ok_or(Refusal::Unknown)?;
        if p.state != State::Paid || p.captured || !p.cancels.is_empty() {
            return Err(Refusal::WrongState);
        }
        p.captured = true;
        Ok(p.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(amount: Option<u64>, partial: bool) -> CancelAsk {
        CancelAsk {
            amount,
            partial,
            refund_account: false,
        }
    }

    #[test]
    fn partial_then_rest_then_nothing() {
        let l = Ledger::default();
        l.record(Pg::Kcp, "T1", Payment::new("O1", 1004, "PACA", State::Paid));
        assert_eq!(
            l.cancel(Pg::Kcp, "T1", ask(Some(2000), true)),
            Err(Refusal::OverCancel)
        );
        assert_eq!(
            l.cancel(Pg::Kcp, "T1", ask(Some(300), true)),
            Ok(Cancelled {
                amount: 300,
                remaining: 704
            })
        );
        assert_eq!(
            l.cancel(Pg::Kcp, "T1", ask(Some(300), false)),
            Err(Refusal::AmountMismatch)
        );
        assert_eq!(
            l.cancel(Pg::Kcp, "T1", ask(None, false)),
            Ok(Cancelled {
                amount: 704,
                remaining: 0
            })
        );
        assert_eq!(
            l.cancel(Pg::Kcp, "T1", ask(None, false)),
            Err(Refusal::AlreadyCancelled)
        );
        assert_eq!(
            l.cancel(Pg::Kcp, "T2", ask(None, false)),
            Err(Refusal::Unknown)
        );
    }

    #[test]
    fn deposited_virtual_account_needs_a_refund_account() {
        let l = Ledger::default();
        l.record(
            Pg::Kispg,
            "V1",
            Payment::new("O2", 1004, "vacnt", State::Issued),
        );
        l.deposit(Pg::Kispg, "O2");
        assert_eq!(
            l.cancel(Pg::Kispg, "V1", ask(None, false)),
            Err(Refusal::RefundAccountRequired)
        );
        let with = CancelAsk {
            amount: None,
            partial: false,
            refund_account: true,
        };
        assert!(l.cancel(Pg::Kispg, "V1", with).is_ok());
    }
}
