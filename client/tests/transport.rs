//! The transport against a local HTTP server on 127.0.0.1 that plays the PG: timeouts, EUC-KR
//! bodies both ways, and the retry rule — a money-moving call is sent exactly once, and its lost
//! answer is followed by the PG's lookup (KISPG) or rollback (XPay); lookups are retried.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hanpay::pg::call::{Call, Next, OrderRef};
use hanpay::pg::kispg::call::TEST_MID;
use hanpay::pg::{kispg, KstTime, Mode, Params, Pg, Status};
use hanpay_client::{Client, Config, Error, Transport};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the fake PG answers: a delay, then status, content type and body.
struct Answer {
    delay: Duration,
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

fn ok(content_type: &'static str, body: impl Into<Vec<u8>>) -> Answer {
    Answer {
        delay: Duration::ZERO,
        status: 200,
        content_type,
        body: body.into(),
    }
}

fn slow(a: Answer) -> Answer {
    Answer {
        delay: Duration::from_secs(3),
        ..a
    }
}

/// The requests the fake PG received: path and raw body.
type Seen = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

type Script = dyn Fn(&str, &[u8], usize) -> Answer + Send + Sync;

#[derive(Clone)]
struct FakePg {
    seen: Seen,
    script: Arc<Script>,
}

async fn handle(State(st): State<FakePg>, uri: Uri, body: Bytes) -> Response {
    let n = {
        let mut seen = st.seen.lock().unwrap();
        seen.push((uri.path().to_string(), body.to_vec()));
        seen.iter().filter(|(p, _)| p == uri.path()).count()
    };
    let a = (st.script)(uri.path(), &body, n);
    tokio::time::sleep(a.delay).await;
    (
        StatusCode::from_u16(a.status).unwrap(),
        [("content-type", a.content_type)],
        a.body,
    )
        .into_response()
}

/// Starts the fake PG; returns its base URL and the requests it received (path, raw body).
async fn serve(
    script: impl Fn(&str, &[u8], usize) -> Answer + Send + Sync + 'static,
) -> (String, Seen) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = FakePg {
        seen: seen.clone(),
        script: Arc::new(script),
    };
    let app = axum::Router::new().fallback(handle).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

fn config() -> Config {
    Config {
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_millis(1000),
        attempts: 3,
        backoff: Duration::from_millis(20),
    }
}

fn now() -> KstTime {
    KstTime::now()
}

const KISPG_KEY: &str = "test-merchant-key";

fn kispg_client(base: &str) -> Client {
    Client::with_config(
        Pg::Kispg,
        Mode::Test,
        KISPG_KEY,
        Params::from_pairs([("mid", TEST_MID)]),
        config(),
    )
    .unwrap()
    .base_url(base)
    .unwrap()
}

fn paths(seen: &Mutex<Vec<(String, Vec<u8>)>>) -> Vec<String> {
    seen.lock()
        .unwrap()
        .iter()
        .map(|(p, _)| p.clone())
        .collect()
}

fn json_of(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).unwrap()
}

fn kispg_paid(tid: &str, ord: &str, amt: &str) -> Vec<u8> {
    serde_json::json!({
        "resultCd": "3001", "resultMsg": "카드 결제 성공", "payMethod": "card", "tid": tid,
        "ordNo": ord, "amt": amt, "appNo": "30001234", "cancelYN": "N",
    })
    .to_string()
    .into_bytes()
}

fn kispg_next(tid: &str, order: &str) -> Next {
    serde_json::from_value(serde_json::json!({
        "pg": "kispg", "orderId": order, "next": "approve", "tid": tid, "amt": "1",
    }))
    .unwrap()
}

#[tokio::test]
async fn kispg_payment_is_sent_once_and_a_timeout_is_followed_by_the_lookup() {
    let (base, seen) = serve(|path, _, _| match path {
        "/v2/payment" => slow(ok("application/json", kispg_paid("T1", "o1", "1000"))),
        _ => ok("application/json", kispg_paid("T1", "o1", "1000")),
    })
    .await;
    let client = kispg_client(&base);
    let order = OrderRef {
        id: "o1",
        amount: 1000,
    };
    let r = client
        .complete(&kispg_next("T1", "o1"), &order)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.status, Status::Paid, "{r:?}");
    assert_eq!(paths(&seen), ["/v2/payment", "/v2/order"]);
    let seen = seen.lock().unwrap();
    let pay = json_of(&seen[0].1);
    // The order's own amount, not the browser's echo.
    assert_eq!(pay["goodsAmt"], "1000");
    let lookup = json_of(&seen[1].1);
    assert_eq!(lookup["tid"], "T1");
    assert_eq!(lookup["goodsAmt"], "1000");
    assert_eq!(
        lookup["encData"],
        kispg::enc_data(
            TEST_MID,
            lookup["ediDate"].as_str().unwrap(),
            "1000",
            KISPG_KEY
        )
    );
}

#[tokio::test]
async fn kispg_cancel_lost_on_a_5xx_is_looked_up_not_resent() {
    let (base, seen) = serve(|path, _, _| match path {
        "/v2/cancel" => Answer {
            status: 502,
            ..ok("text/plain", "bad gateway")
        },
        _ => ok("application/json", kispg_paid("T2", "o2", "1000")),
    })
    .await;
    let client = kispg_client(&base);
    let order = OrderRef {
        id: "o2",
        amount: 1000,
    };
    let params = Params::from_pairs([
        ("tid", "T2"),
        ("payMethod", "card"),
        ("canAmt", "1000"),
        ("canMsg", "고객 요청"),
    ]);
    let _ = client.cancel(params, &order).await.unwrap();
    assert_eq!(paths(&seen), ["/v2/cancel", "/v2/order"]);
}

#[tokio::test]
async fn kispg_partial_cancel_lost_is_unknown_with_the_lookup_attached() {
    let (base, seen) = serve(|path, _, _| match path {
        "/v2/cancel" => slow(ok("application/json", "{}")),
        _ => ok("application/json", kispg_paid("T3", "o3", "1000")),
    })
    .await;
    let client = kispg_client(&base);
    let order = OrderRef {
        id: "o3",
        amount: 1000,
    };
    let params = Params::from_pairs([
        ("tid", "T3"),
        ("payMethod", "card"),
        ("canAmt", "300"),
        ("canMsg", "part"),
    ]);
    let err = client.partial_cancel(params, &order).await.unwrap_err();
    let Error::Unknown {
        call,
        cause,
        lookup,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*call, Call::PartialCancel);
    assert_eq!(*cause, Transport::ReadTimeout);
    assert!(lookup.is_some());
    assert_eq!(paths(&seen), ["/v2/cancel", "/v2/order"]);
    let j: serde_json::Value = serde_json::from_str(&err.to_json()).unwrap();
    assert_eq!(j["error"], "transport");
    assert_eq!(j["kind"], "unknown");
    assert_eq!(j["cause"], "read_timeout");
}

#[tokio::test]
async fn a_lookup_is_retried_with_backoff_until_it_answers() {
    let (base, seen) = serve(|_, _, n| {
        if n < 3 {
            Answer {
                status: 503,
                ..ok("text/plain", "busy")
            }
        } else {
            ok("application/json", kispg_paid("T4", "o4", "1000"))
        }
    })
    .await;
    let client = kispg_client(&base);
    let order = OrderRef {
        id: "o4",
        amount: 1000,
    };
    let r = client
        .lookup(Params::from_pairs([("tid", "T4")]), &order)
        .await
        .unwrap();
    assert_eq!(r.tid, "T4");
    assert_eq!(paths(&seen), ["/v2/order", "/v2/order", "/v2/order"]);
}

#[tokio::test]
async fn a_lookup_that_never_answers_is_exhausted_after_the_bounded_attempts() {
    let (base, seen) = serve(|_, _, _| slow(ok("application/json", "{}"))).await;
    let client = kispg_client(&base);
    let order = OrderRef {
        id: "o5",
        amount: 1000,
    };
    let err = client
        .lookup(Params::from_pairs([("tid", "T5")]), &order)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        Error::Exhausted {
            call: Call::Order,
            attempts: 3,
            cause: Transport::ReadTimeout
        }
    );
    assert_eq!(seen.lock().unwrap().len(), 3);
}

fn form_of(body: &[u8]) -> Vec<(String, String)> {
    // Percent-decoded, as UTF-8 (the XPay gateway's charset).
    form_urlencoded::parse(body).into_owned().collect()
}

fn field(f: &[(String, String)], k: &str) -> String {
    f.iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn xpay_payment_by_key_is_sent_once_and_a_timeout_rolls_it_back() {
    let (base, seen) = serve(|_, body, _| {
        let f = form_of(body);
        if field(&f, "LGD_TXNAME") == "Rollback" {
            ok(
                "application/json",
                r#"{"LGD_RESPCODE":"0000","LGD_RESPMSG":"rollback ok"}"#,
            )
        } else {
            slow(ok("application/json", "{}"))
        }
    })
    .await;
    let client = Client::with_config(
        Pg::Xpay,
        Mode::Test,
        "95160cce09854ef44d2edb2bfb05f9f3",
        Params::from_pairs([("CST_MID", "lgdacomxpay")]),
        config(),
    )
    .unwrap()
    .base_url(&format!("{base}/pg/xpay"))
    .unwrap();
    let next: Next = serde_json::from_value(serde_json::json!({
        "pg": "xpay", "orderId": "o6", "next": "payment_by_key", "LGD_PAYKEY": "PK1",
    }))
    .unwrap();
    let err = client
        .complete(
            &next,
            &OrderRef {
                id: "o6",
                amount: 1000,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        err,
        Error::RolledBack {
            call: Call::PaymentByKey,
            cause: Transport::ReadTimeout
        }
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2, "one PaymentByKey, one Rollback");
    assert_eq!(seen[0].0, "/pg/xpay/xpay/Gateway.do");
    let (first, rb) = (form_of(&seen[0].1), form_of(&seen[1].1));
    assert_eq!(field(&first, "LGD_TXNAME"), "PaymentByKey");
    assert_eq!(field(&first, "LGD_AMOUNT"), "1000");
    assert_eq!(field(&rb, "LGD_TXNAME"), "Rollback");
    assert_eq!(field(&rb, "LGD_RB_TXID"), field(&first, "LGD_TXID"));
    assert_eq!(field(&rb, "LGD_RB_REASON"), "read timeout");
}

#[tokio::test]
async fn kcp_approval_lost_is_unknown_and_never_resent() {
    let (base, seen) = serve(|_, _, _| slow(ok("application/json", "{}"))).await;
    let client = Client::with_config(
        Pg::Kcp,
        Mode::Test,
        "",
        Params::from_pairs([
            ("site_cd", "T0000"),
            ("kcp_cert_info", "CERT"),
            ("pay_type", "PACA"),
        ]),
        config(),
    )
    .unwrap()
    .base_url(&base)
    .unwrap();
    let next: Next = serde_json::from_value(serde_json::json!({
        "pg": "kcp", "orderId": "o7", "next": "approve", "enc_data": "E", "enc_info": "I",
        "tran_cd": "00100000",
    }))
    .unwrap();
    let err = client
        .complete(
            &next,
            &OrderRef {
                id: "o7",
                amount: 1000,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Unknown {
                call: Call::Approve,
                cause: Transport::ReadTimeout,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(paths(&seen), ["/gw/enc/v1/payment"]);
}

#[tokio::test]
async fn a_refused_connection_sent_nothing() {
    // A port that was bound and released: nothing listens there.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = kispg_client(&format!("http://127.0.0.1:{port}"));
    let err = client
        .complete(
            &kispg_next("T8", "o8"),
            &OrderRef {
                id: "o8",
                amount: 1000,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::NotSent(Transport::Connect(_))),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_4xx_is_refused_and_not_recovered() {
    let (base, seen) = serve(|_, _, _| Answer {
        status: 400,
        ..ok("text/plain", "bad request")
    })
    .await;
    let client = kispg_client(&base);
    let err = client
        .complete(
            &kispg_next("T9", "o9"),
            &OrderRef {
                id: "o9",
                amount: 1000,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Refused { status: 400, .. }), "{err:?}");
    assert_eq!(paths(&seen), ["/v2/payment"]);
}

/// KSNET speaks EUC-KR both ways: the request body's bytes are EUC-KR percent-encoded, and the
/// backtick answer in EUC-KR is read back into the same Hangul.
#[tokio::test]
async fn ksnet_euc_kr_round_trip() {
    let (base, seen) = serve(|_, _, _| {
        let text = "`O`123456789012`20260101`120000`1000`12345678`승인 완료`한글 메시지`o10`01`01`0000`00``";
        let (bytes, _, _) = encoding_rs::EUC_KR.encode(text);
        ok("text/html", bytes.into_owned())
    })
    .await;
    let client = Client::with_config(Pg::Kspay, Mode::Test, "", Params::new(), config())
        .unwrap()
        .base_url(&base)
        .unwrap();
    let r = client
        .call(
            Call::FetchResult,
            Params::from_pairs([("sndCommConId", "연결123")]),
            None,
        )
        .await
        .unwrap();
    assert!(r.message.contains("승인 완료"), "{r:?}");
    let seen = seen.lock().unwrap();
    let body = std::str::from_utf8(&seen[0].1).unwrap();
    let (euc, _, _) = encoding_rs::EUC_KR.encode("연결123");
    let want: String = form_urlencoded::byte_serialize(&euc).collect();
    assert!(body.contains(&format!("sndCommConId={want}")), "{body}");
    assert_eq!(seen[0].0, "/store/KSPayWebV1.4/web_host/recv_post.jsp");
}

/// Smartro's cancel answer is `k=v&…` in EUC-KR (001:L862), with no charset in its header.
#[tokio::test]
async fn smartro_euc_kr_answer_is_decoded() {
    let (base, _) = serve(|_, _, _| {
        let (msg, _, _) = encoding_rs::EUC_KR.encode("취소 성공");
        let mut body = b"ResultCode=2001&ResultMsg=".to_vec();
        body.extend(form_urlencoded::byte_serialize(&msg).flat_map(|s| s.bytes()));
        body.extend(b"&TID=SMTPAY001m01012601011200001234&CancelAmt=1000&Moid=o11");
        ok("text/html", body)
    })
    .await;
    let client = Client::with_config(
        Pg::Smartro,
        Mode::Test,
        "smartro-key",
        Params::from_pairs([("Cancelpw", "pw")]),
        config(),
    )
    .unwrap()
    .base_url(&base)
    .unwrap();
    let r = client
        .cancel(
            Params::from_pairs([
                ("TID", "SMTPAY001m01012601011200001234"),
                ("CancelAmt", "1000"),
            ]),
            &OrderRef {
                id: "o11",
                amount: 1000,
            },
        )
        .await
        .unwrap();
    assert_eq!(r.message, "취소 성공", "{r:?}");
}

#[test]
fn invalid_input_is_the_form_error_and_sends_nothing() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let client = kispg_client("http://127.0.0.1:9");
        let err = client
            .call(Call::Payment, Params::new(), None)
            .await
            .unwrap_err();
        let Error::Invalid(v) = &err else {
            panic!("{err:?}")
        };
        assert!(!v.field.is_empty());
        assert!(err.to_json().contains("\"field\""));
        // Not a call of this PG.
        let err = client
            .call(Call::PaymentByKey, Params::new(), None)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), "invalid_input");
    });
    let _ = now();
}
