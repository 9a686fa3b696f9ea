//! The retry rule of the merchant server's calls, sans-IO, shared by the Rust transport
//! (`hanpay-client`) and the Node wrapper (`js/server.mjs`) so both behave the same:
//!
//! - **Lookups and result fetches may be retried** ([`retryable`]): KISPG `/v2/order` (manual 004
//!   §3.4 "결제 내역 조회") reads state; KSNET `recv_post.jsp` (`sndActionType` 1 and 3, notes
//!   §4.1) answers for one `reCommConId`, so repeating it returns the same stored result and
//!   cannot charge twice. XPay's `Rollback` is keyed by the lost call's `LGD_TXID`.
//! - **Approvals and cancels are never sent twice.** When their answer is lost after the request
//!   may have left (read timeout, connection reset, a 5xx, an unreadable body), the transport
//!   asks [`recovery`] what to do instead:
//!   - KISPG: look the transaction up (`/v2/order` with the call's `tid`, 004 §3.4.1);
//!   - XPay: the PG's own net cancel, `Rollback` of the lost `LGD_TXID` — XPayClient's
//!     `auto_rollback` ("0:자동취소 사용안함, 1:자동취소 사용", manual 000 mall.conf, 000:L303),
//!     whose request is `LGD_TXNAME=Rollback`, `LGD_RB_TXID`, `LGD_RB_REASON`
//!     (`Akachu/lg-xpay-php-utf-8:lgdacom/XPayClient.php` `Rollback()`, called from `TX()` on a
//!     timeout, an HTTP status >= 500 or an unreadable answer);
//!   - KCP and Smartro: manuals 003 and 001 document no lookup call and no net cancel for a
//!     lost answer (001 §5.4 and 003 only name the merchant admin's 결제내역조회), so the
//!     outcome is [`Recovery::Unknown`]: the merchant must look the payment up in the admin
//!     before doing anything else with it.
//!
//! A connection that was never established sent nothing: that failure is reported as such and
//! never triggers a recovery.

use crate::prelude::*;

use super::super::{KstTime, Mode, Params, Pg};
use super::{Call, Request};
use crate::form::{Rule, ValidationError};
use crate::text::Charset;

/// Whether `call` may be sent again after a transport failure (bounded, with backoff).
/// KCP's trade registration (`trade_register`) moves no money either: a repeat only registers
/// another trade whose `approval_key` is never used.
pub fn retryable(call: Call) -> bool {
    matches!(
        call,
        Call::Order | Call::FetchResult | Call::ConfirmResult | Call::TradeRegister
    )
}

/// The charset of the request body: EUC-KR for KSNET, whose WebHost pages and `recv_post.jsp`
/// speak EUC-KR (notes §4.1; the builder validates its body in EUC-KR). UTF-8 elsewhere: XPay's
/// partial cancel declares `LGD_ENCODING=UTF-8`, Smartro's cancel counts Hangul as 3 bytes
/// (001 §5.2.1 "한글 : 3byte"), KCP and KISPG post JSON in UTF-8 (004 §3.2.1 HTTP 정보).
pub fn request_charset(pg: Pg) -> Charset {
    pg.server().request_charset
}

/// The charset of a response without a `charset` in its `Content-Type`: Smartro's cancel answer
/// and KSNET's `recv_post.jsp` text are EUC-KR (001:L862 "value 를 euc-kr 로 인코딩"; notes
/// §4.1), KISPG answers in the request's `charset` (004 §3.2.1), XPay's gateway in UTF-8 JSON
/// (XPayClient's `Response()` converts from UTF-8 itself when `output_UTF8=0`,
/// `Akachu/lg-xpay-php-utf-8:lgdacom/XPayClient.php`), KCP's REST gateway in UTF-8.
pub fn response_charset(pg: Pg, sent: &Request) -> Charset {
    (pg.server().response_charset)(sent)
}

/// What the transport does when the answer to a call that is not [`retryable`] was lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// Send this lookup (retryable) and read its answer as the truth about the payment.
    Lookup(Request),
    /// Send the PG's documented net cancel (retryable); `0000` means the lost call was undone.
    Rollback(Request),
    /// The manuals give no way to learn the outcome: look it up by hand before anything else.
    Unknown(&'static str),
}

/// The recovery of `sent` (a `call` of `pg` whose answer was lost). `amount` is the order's own
/// amount, which KISPG's lookup requires (`goodsAmt`, 004 §3.4.1); `cause` is the transport
/// failure, sent as XPay's `LGD_RB_REASON`.
// The call, what was sent and the builder inputs (key, mode, clock) are all needed; a struct
// for one function would only rename them.
#[allow(clippy::too_many_arguments)]
pub fn recovery(
    pg: Pg,
    call: Call,
    sent: &Request,
    amount: Option<u64>,
    key: &str,
    mode: Mode,
    now: KstTime,
    cause: &str,
) -> Result<Recovery, ValidationError> {
    if retryable(call) {
        return Err(ValidationError::new(
            "call",
            Rule::Conflict,
            "a lookup or result fetch is retried, not recovered",
        ));
    }
    (pg.server().recovery)(sent, amount, key, mode, now, cause)
}

/// The PG's answer to a [`Recovery::Rollback`] read: `Ok(())` when the PG rolled the lost call
/// back (XPayClient `Rollback()`: `LGD_RESPCODE` `0000`), else why not, with the PG's code and
/// message. The transports report the lost call as rolled back only on `Ok`.
pub fn read_rollback(pg: Pg, answer: &Params) -> Result<(), String> {
    (pg.server().rollback_answer)(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pg::Params;
    use crate::pg::{kispg::call as kispg, xpay::call as xpay};

    fn now() -> KstTime {
        KstTime::parse("20260101120000").unwrap()
    }

    #[test]
    fn money_calls_are_never_retryable() {
        for call in [
            Call::PaymentByKey,
            Call::Approve,
            Call::Payment,
            Call::Cancel,
            Call::PartialCancel,
            Call::Refund,
            Call::Capture,
        ] {
            assert!(!retryable(call), "{call}");
        }
        assert!(retryable(Call::Order));
        assert!(retryable(Call::FetchResult));
    }

    #[test]
    fn kispg_payment_recovers_with_the_order_lookup() {
        let p = Params::from_pairs([
            ("mid", kispg::TEST_MID),
            ("tid", "T1"),
            ("goodsAmt", "1000"),
        ]);
        let sent =
            super::super::request(Pg::Kispg, Call::Payment, p, "k", Mode::Test, now()).unwrap();
        let r = recovery(
            Pg::Kispg,
            Call::Payment,
            &sent,
            Some(1000),
            "k",
            Mode::Test,
            now(),
            "read timeout",
        )
        .unwrap();
        let Recovery::Lookup(req) = r else {
            panic!("{r:?}")
        };
        assert_eq!(req.url, kispg::order_url(Mode::Test));
        assert_eq!(req.fields.str("tid"), "T1");
        assert_eq!(req.fields.str("goodsAmt"), "1000");
    }

    #[test]
    fn kispg_lookup_amount_comes_from_the_approval_or_the_order() {
        let p = Params::from_pairs([
            ("mid", kispg::TEST_MID),
            ("tid", "T1"),
            ("goodsAmt", "1000"),
        ]);
        let pay =
            super::super::request(Pg::Kispg, Call::Payment, p, "k", Mode::Test, now()).unwrap();
        let r = recovery(
            Pg::Kispg,
            Call::Payment,
            &pay,
            None,
            "k",
            Mode::Test,
            now(),
            "t",
        );
        assert!(matches!(r, Ok(Recovery::Lookup(ref q)) if q.fields.str("goodsAmt") == "1000"));
        // A cancel names only its own amount: without the order's, the outcome is unknown.
        let c = Params::from_pairs([
            ("mid", kispg::TEST_MID),
            ("tid", "T1"),
            ("payMethod", "card"),
            ("canAmt", "300"),
            ("canMsg", "m"),
        ]);
        let cancel =
            super::super::request(Pg::Kispg, Call::Cancel, c, "k", Mode::Test, now()).unwrap();
        let r = recovery(
            Pg::Kispg,
            Call::Cancel,
            &cancel,
            None,
            "k",
            Mode::Test,
            now(),
            "t",
        );
        assert!(matches!(r, Ok(Recovery::Unknown(_))), "{r:?}");
    }

    #[test]
    fn xpay_rolls_back_the_lost_txid() {
        let p = Params::from_pairs([
            ("CST_MID", "m"),
            ("LGD_PAYKEY", "K"),
            ("LGD_AMOUNT", "1000"),
        ]);
        let sent = super::super::request(Pg::Xpay, Call::PaymentByKey, p, "key", Mode::Test, now())
            .unwrap();
        let r = recovery(
            Pg::Xpay,
            Call::PaymentByKey,
            &sent,
            None,
            "key",
            Mode::Test,
            now(),
            "timeout",
        )
        .unwrap();
        let Recovery::Rollback(rb) = r else {
            panic!("{r:?}")
        };
        assert_eq!(rb.fields.str("LGD_TXNAME"), "Rollback");
        assert_eq!(rb.fields.str("LGD_RB_TXID"), sent.fields.str("LGD_TXID"));
        assert_ne!(rb.fields.str("LGD_TXID"), sent.fields.str("LGD_TXID"));
        assert_eq!(
            rb.fields.str("LGD_AUTHCODE"),
            xpay::sha1_hex(&format!("{}key", rb.fields.str("LGD_TXID")))
        );
    }

    #[test]
    fn kcp_and_smartro_are_unknown() {
        let sent = Request::post("https://spl.kcp.co.kr/x", super::super::JSON, Params::new());
        for pg in [Pg::Kcp, Pg::Smartro] {
            let r = recovery(pg, Call::Cancel, &sent, None, "", Mode::Live, now(), "t").unwrap();
            assert!(matches!(r, Recovery::Unknown(_)), "{r:?}");
        }
    }

    #[test]
    fn only_the_pgs_own_done_code_is_a_rollback() {
        let answer =
            |code: &str| Params::from_pairs([("LGD_RESPCODE", code), ("LGD_RESPMSG", "m")]);
        assert_eq!(read_rollback(Pg::Xpay, &answer("0000")), Ok(()));
        let refused = read_rollback(Pg::Xpay, &answer("XC01")).expect_err("not undone");
        assert!(refused.contains("XC01"), "{refused}");
        assert!(
            read_rollback(Pg::Xpay, &Params::new()).is_err(),
            "an empty answer"
        );
        // Every other PG's `rollback_answer`: no answer undoes anything.
        assert!(super::super::no_rollback(&answer("0000")).is_err());
    }
}
