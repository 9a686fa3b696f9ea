//! The generic payment method: a leaf of the crate, so that `order` (which maps it) and each PG
//! module (which names it in its own codes) both use it without depending on each other.

/// A payment method offered in the PG window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Card,
    BankTransfer,
    VirtualAccount,
    Phone,
}
