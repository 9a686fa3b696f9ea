//! KSNET result fetch and confirmation (notes §4.1, the official WebHost sample
//! `KSPayWebHost.inc`): `recv_post.jsp` with `sndCommConId` = the `reCommConId` KSNET posted
//! to `sndReply`, `sndActionType` 1 (fetch; the mobile sample: "kspay_send_msg(1)을 호출하셔야
//! 결제가 처리됩니다") then 3 once the merchant has recorded the result ("정상처리가 완료되었을
//! 경우 호출"), and `sndRpyParams` naming the reply fields. The answer is EUC-KR text delimited
//! by backticks, parsed by [`crate::pg::kspay::parse_recv_post`].

use super::super::result::Reading;
use super::super::{field, FieldSpec, Kind, Params};
use super::{result_url, FORBIDDEN, REPLY_FIELDS};
use crate::form::ValidationError;
use crate::pg::call::recover::Recovery;
use crate::pg::call::{body, fixed, Call, Request, Server, FORM};
use crate::text::Charset;

fn rpy_params(s: &str) -> bool {
    s.split('`').all(|f| REPLY_FIELDS.contains(&f))
}

// The call tables (`RECV_POST`), generated from `data/pg/kspay.json` by
// build/pg.rs.
include!(concat!(env!("OUT_DIR"), "/pg_kspay_call.rs"));

pub(super) fn request(call: Call, mut p: Params) -> Result<Request, ValidationError> {
    let action = if call == Call::ConfirmResult {
        "3"
    } else {
        "1"
    };
    fixed(&mut p, "sndActionType", action)?;
    p.set_default("sndRpyParams", REPLY_FIELDS.join("`"));
    let fields = body(&p, RECV_POST, Charset::EucKr, FORBIDDEN)?;
    Ok(Request::post(result_url(), FORM, fields))
}

/// KSNET's server half ([`Server`]). Manual 002 defines no cancel over the web API, so the
/// lifecycle has no step and no answer is read here (fetch and confirm are approvals).
pub const SERVER: Server = Server {
    calls: &[Call::FetchResult, Call::ConfirmResult],
    request: |call, p, _, _, _| request(call, p),
    read: |_, _| Reading::new(crate::pg::Pg::Kspay),
    cancel_amount_binds: true,
    // The WebHost pages and `recv_post.jsp` speak EUC-KR (notes §4.1).
    request_charset: Charset::EucKr,
    response_charset: |_| Charset::EucKr,
    // Only fetch/confirm exist for KSNET, and both are retryable.
    rollback_answer: crate::pg::call::no_rollback,
    recovery: |_, _, _, _, _, _| {
        Ok(Recovery::Unknown(
            "KSNET: repeat fetch_result with the same reCommConId",
        ))
    },
    lifecycle: |_, _, _, _| Err(Call::unknown(crate::pg::Pg::Kspay)),
    // KSNET's confirmation `sndActionType=3` ("정상처리가 완료되었을 경우 호출", notes §4.1) after a
    // fetched result that is paid or pending, for the same `sndCommConId`.
    follow_up: |call, sent, result| {
        use crate::pg::result::Status;
        let recorded = matches!(result.status, Status::Paid | Status::Pending);
        if call != Call::FetchResult || !recorded {
            return None;
        }
        let p = Params::from_pairs([("sndCommConId", sent.fields.str("sndCommConId"))]);
        request(Call::ConfirmResult, p).ok()
    },
    key_signature: crate::pg::call::no_key_signature,
    phone_registration: None,
};
