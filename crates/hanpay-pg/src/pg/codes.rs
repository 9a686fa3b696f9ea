//! Code tables (result, card, bank, carrier, courier, status, easy-pay) across the PGs, generated at build time
//! from `data/codes/*.json` by `build/codes.rs`. The data files cite the manual sections.

use crate::prelude::*;

use super::Pg;
use alloc::borrow::Cow;

/// What a result code means for the merchant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultKind {
    /// Money was taken.
    Paid,
    /// A virtual account was issued; the payment completes on deposit.
    Pending,
    /// The authentication step passed; the server must still approve (KISPG `/v2/payment`).
    Authenticated,
    /// A cancel or refund succeeded.
    Cancelled,
    /// Anything else.
    Error,
}

include!(concat!(env!("OUT_DIR"), "/codes_table.rs"));

/// A result code entry: kind, the method it applies to (empty = any), and the manual's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResultCode {
    pub kind: ResultKind,
    pub method: &'static str,
    pub message: &'static str,
}

/// Looks up `code` for `pg`, preferring an entry for `method` (case-insensitive), then a
/// method-independent one.
pub fn result_code(pg: Pg, code: &str, method: &str) -> Option<ResultCode> {
    let hits = RESULT_CODES
        .iter()
        .filter(|(p, c, ..)| *p == pg && *c == code);
    let mut any = None;
    for (_, _, kind, m, message) in hits {
        let entry = ResultCode {
            kind: *kind,
            method: m,
            message,
        };
        if !m.is_empty() && m.eq_ignore_ascii_case(method) {
            return Some(entry);
        }
        if m.is_empty() && any.is_none() {
            any = Some(entry);
        }
    }
    any
}

/// Another spelling of a PG's codes (`forms` in `data/codes/*.json`): a code of `len` bytes (0 =
/// any) that starts with `strip` is looked up as `add` followed by the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CodeForm {
    pub len: usize,
    pub strip: &'static str,
    pub add: &'static str,
}

/// `code` in the spelling of `pg`'s table: the first of its `forms` that fits, or `code` itself
/// (borrowed: most codes are already in the table's spelling).
fn spelled<'a>(forms: &[(Pg, CodeForm)], pg: Pg, code: &'a str) -> Cow<'a, str> {
    for (_, f) in forms.iter().filter(|(p, _)| *p == pg) {
        if f.len != 0 && code.len() != f.len {
            continue;
        }
        if let Some(rest) = code.strip_prefix(f.strip) {
            if f.add.is_empty() {
                return Cow::Borrowed(rest);
            }
            let mut s = String::from(f.add);
            s.push_str(rest);
            return Cow::Owned(s);
        }
    }
    Cow::Borrowed(code)
}

/// Normalizes a PG's card company code. KSNET's 2-byte form is accepted (`08` = `010008`,
/// `forms` in `data/codes/cards.json`).
pub fn card_company(pg: Pg, code: &str) -> Option<CardCompany> {
    let code = spelled(CARD_FORMS, pg, code.trim());
    CARD_CODES
        .iter()
        .find(|(p, k, _)| *p == pg && *k == code)
        .map(|(_, _, v)| *v)
}

fn lookup(
    table: &'static [(Pg, &'static str, &'static str)],
    pg: Pg,
    code: &str,
) -> Option<&'static str> {
    table
        .iter()
        .find(|(p, c, _)| *p == pg && *c == code)
        .map(|(_, _, n)| *n)
}

/// Bank name for a PG bank code. KCP results pad banks to `BK04` and brokers to `B209`
/// (003:L3099); both prefixes are accepted, as are the bare codes (`forms` in
/// `data/codes/banks.json`).
pub fn bank_name(pg: Pg, code: &str) -> Option<&'static str> {
    lookup(BANK_CODES, pg, &spelled(BANK_FORMS, pg, code))
}

/// Transaction status name for a PG status code (KCP `STSR` 승인, `STIY` 입금완료, … 003:L3114-3153).
pub fn status_name(pg: Pg, code: &str) -> Option<&'static str> {
    lookup(STATUS_CODES, pg, code)
}

/// Easy-pay provider for a PG easy-pay code (KISPG `easyPayCd` `02` 카카오페이, 004:L348-351).
pub fn easy_pay_name(pg: Pg, code: &str) -> Option<&'static str> {
    lookup(EASY_PAY_CODES, pg, code)
}

/// Carrier name for a PG carrier code.
pub fn carrier_name(pg: Pg, code: &str) -> Option<&'static str> {
    lookup(CARRIER_CODES, pg, code)
}

/// Courier name for a PG courier code (escrow delivery registration).
pub fn courier_name(pg: Pg, code: &str) -> Option<&'static str> {
    lookup(COURIER_CODES, pg, code)
}
