//! KSNET result fetch and confirmation (notes §4.1, the official WebHost sample
//! `KSPayWebHost.inc`): `recv_post.jsp` with `sndCommConId` = the `reCommConId` KSNET posted
//! to `sndReply`, `sndActionType` 1 (fetch; the mobile sample: "kspay_send_msg(1)을 호출하셔야
//! 결제가 처리됩니다") then 3 once the merchant has recorded the result ("정상처리가 완료되었을
//! 경우 호출"), and `sndRpyParams` naming the reply fields. The answer is EUC-KR text delimited
//! by backticks, parsed by [`super::super::kspay::parse_recv_post`].

use super::super::kspay::{result_url, FORBIDDEN, REPLY_FIELDS};
use super::super::{field, FieldSpec, Kind, Params};
use super::{body, fixed, Call, Request, FORM};
use crate::form::ValidationError;
use crate::text::Charset;

fn rpy_params(s: &str) -> bool {
    s.split('`').all(|f| REPLY_FIELDS.contains(&f))
}

/// notes §4.1 (the sample gives no lengths).
const RECV_POST: &[FieldSpec] = &[
    field("sndCommConId", true, 0, Kind::Text),
    field("sndActionType", true, 1, Kind::OneOf(&["1", "3"])),
    field(
        "sndRpyParams",
        true,
        0,
        Kind::Format {
            desc: "reply field names joined by '`'",
            check: rpy_params,
        },
    ),
];

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
