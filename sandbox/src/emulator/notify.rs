//! Asynchronous notifications (virtual-account deposits): the PG posts to the merchant's
//! notification URL and retries until the merchant answers exactly as the PG requires.
//!
//! Real schedules are minutes apart (XPay: every 3 minutes for 2 hours, manual 000 §8.2); the
//! sandbox keeps the rule — retry until the exact reply — but with a short, configurable gap.

use crate::http;
use serde::Serialize;
use tokio::time::{sleep, Duration};

/// How many deliveries the sandbox tries before giving up.
pub const MAX_ATTEMPTS: u32 = 20;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub attempts: u32,
    pub delivered: bool,
    /// The last body the merchant answered, to show why a delivery did not count.
    pub last_reply: String,
}

/// Delivers `fields` to `url` until `accepted(status, body)` holds or attempts run out. A URL
/// that is not the merchant stub's is never tried (`attempts: 0`, security review finding 2).
pub async fn deliver(
    url: &str,
    fields: &[(String, String)],
    accepted: fn(u16, &str) -> bool,
    gap_ms: u64,
) -> Delivery {
    let mut d = Delivery {
        attempts: 0,
        delivered: false,
        last_reply: String::new(),
    };
    // The inspector shows each attempt and the merchant's reply (`/_inspect`).
    let seen = crate::inspect::notice_start(url, fields);
    if let Err(e) = http::notice_target(url) {
        crate::inspect::notice_attempt(seen, 0, None, &e);
        crate::inspect::notice_end(seen, false);
        d.last_reply = e;
        return d;
    }
    while d.attempts < MAX_ATTEMPTS {
        d.attempts += 1;
        match http::notice(url, fields).await {
            Ok(r) => {
                crate::inspect::notice_attempt(seen, d.attempts, Some(r.status), &r.body);
                d.last_reply = r.body.chars().take(200).collect();
                if accepted(r.status, &r.body) {
                    d.delivered = true;
                    crate::inspect::notice_end(seen, true);
                    return d;
                }
            }
            Err(e) => {
                crate::inspect::notice_attempt(seen, d.attempts, None, &e);
                d.last_reply = e;
            }
        }
        sleep(Duration::from_millis(gap_ms.min(5_000))).await;
    }
    crate::inspect::notice_end(seen, false);
    d
}

/// XPay and Smartro: the body must be exactly `OK` ("OK 문자이외의 다른문자열이 포함되면
/// 실패처리", notes §1.2; Smartro manual 001 §6.5). Surrounding whitespace is tolerated.
pub fn exactly_ok(status: u16, body: &str) -> bool {
    status == 200 && body.trim() == "OK"
}

/// KCP `common_return`: the merchant's page must carry a form field `result` = `0000`
/// (manual 003 §6 "result 의 값을 ‘0000’으로 설정(Form값으로 INPUT)").
pub fn kcp_result_0000(status: u16, body: &str) -> bool {
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    status == 200
        && (compact.contains("name=\"result\"value=\"0000\"")
            || compact.contains("name='result'value='0000'"))
}

/// The pause between notice attempts when a sandbox control names none (`gap_ms`).
pub fn default_gap() -> u64 {
    100
}
