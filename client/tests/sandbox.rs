//! hanpay-client against the real sandbox binary (`target/debug/hanpay-sandbox`, built by
//! `make sandbox-bin`, which `make test-native` depends on), for every PG of
//! tests/data/server-lifecycle.json — the same cases as tests/node/server-lifecycle.test.mjs:
//! the buyer pays in the sandbox's PG window (the signed form from `build_form`, the "approve"
//! button), then the merchant's side is `Client` calls only — complete (KSNET: the result fetch,
//! then its confirmation), KCP capture, partial cancel, over-cancel refused by the PG, a forged
//! signature refused, cancel the rest, double cancel refused, the KISPG lookup — and the XPay
//! recovery: a PaymentByKey whose answer is lost is rolled back (`LGD_RB_TXID`) in the sandbox.

use hanpay::pg::call::{Call, Next, OrderRef};
use hanpay::pg::{KstTime, Mode, Params, PaymentResult, Pg, Status};
use hanpay_client::{Client, Config, Error};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The sandbox on a port of its own choosing (`PORT=0`), stopped when dropped.
struct Sandbox {
    child: Child,
    url: String,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_sandbox() -> Sandbox {
    let bin = root().join("target/debug/hanpay-sandbox");
    assert!(bin.exists(), "{bin:?}: run `make sandbox-bin` first");
    let mut child = Command::new(bin)
        .env("PORT", "0")
        .env("HANPAY_ROOT", root())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn the sandbox");
    let out = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(out).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("the sandbox exited before listening")
            .expect("stdout line");
        if let Some(i) = line.find("listening on http://127.0.0.1:") {
            let rest = &line[i + "listening on ".len()..];
            break rest.split_whitespace().next().unwrap_or(rest).to_string();
        }
    };
    // Keep draining stdout so the sandbox never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Sandbox { child, url }
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The value after `marker` up to the next `"`.
fn quoted_after<'a>(html: &'a str, marker: &str) -> Option<&'a str> {
    let i = html.find(marker)? + marker.len();
    let rest = &html[i..];
    Some(&rest[..rest.find('"')?])
}

/// What the PG window hands back: the auto-post's hidden inputs, or the JSON its frame posts to
/// the parent (KCP `{kcp: …}`, SMARTRO PAY `{smartropay: 1, res: …}`).
fn handed_back(back: &str, html: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if back == "form" {
        for part in html.split("<input type=hidden name=\"").skip(1) {
            let name = &part[..part.find('"').unwrap()];
            let value = quoted_after(part, "value=\"").unwrap_or("");
            out.insert(unescape(name), unescape(value));
        }
    } else {
        let marker = if back == "kcp" {
            "postMessage({kcp: "
        } else {
            "postMessage({smartropay: 1, res: "
        };
        let i = html
            .find(marker)
            .unwrap_or_else(|| panic!("{marker} in {html}"))
            + marker.len();
        let v: Value = serde_json::Deserializer::from_str(&html[i..])
            .into_iter()
            .next()
            .expect("a JSON object")
            .expect("JSON");
        for (k, v) in v.as_object().expect("object") {
            out.insert(k.clone(), v.as_str().unwrap_or("").to_string());
        }
    }
    assert!(!out.is_empty(), "{html}");
    out
}

/// `$NAME` in every value of `template` replaced from `vars`.
fn fill(template: &Value, vars: &BTreeMap<String, String>) -> Params {
    let mut p = Params::new();
    for (k, v) in template.as_object().expect("object") {
        let mut s = v.as_str().expect("string").to_string();
        while let Some(i) = s.find('$') {
            let end = s[i + 1..]
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .map_or(s.len(), |e| i + 1 + e);
            let name = &s[i + 1..end];
            let val = vars
                .get(name)
                .unwrap_or_else(|| panic!("{name} in {vars:?}"));
            s = format!("{}{}{}", &s[..i], val, &s[end..]);
        }
        p.set(k, s);
    }
    p
}

fn vars(pairs: &[(&str, String)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

async fn post_form(http: &reqwest::Client, url: &str, pairs: &[(String, String)]) -> String {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    http.post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("post")
        .text()
        .await
        .expect("text")
}

/// The buyer's part: the signed form into the sandbox's window, the "approve" button.
async fn pay(sandbox: &str, c: &Value, order: &OrderRef<'_>) -> BTreeMap<String, String> {
    let pg = Pg::from_name(c["pg"].as_str().unwrap()).unwrap();
    let mut params = Params::new();
    for (k, v) in c["form"].as_object().unwrap() {
        let v = v
            .as_str()
            .unwrap()
            .replace("{sandbox}", sandbox)
            .replace("{order}", order.id)
            .replace("{amount}", &order.amount.to_string());
        params.set(k, v);
    }
    let form = hanpay::pg::build_form(
        pg,
        params,
        c["key"].as_str().unwrap(),
        Mode::Test,
        KstTime::now(),
    )
    .expect("build_form");
    let mut fields = form.fields.clone();
    // What the PG's own script adds when it opens the window (SMARTRO PAY: `_mode`, `_pc`).
    if let Some(extra) = c["windowExtra"].as_object() {
        for (k, v) in extra {
            fields.push((k.clone(), v.as_str().unwrap().to_string()));
        }
    }
    let http = reqwest::Client::new();
    let window = post_form(
        &http,
        &format!("{sandbox}{}", c["window"].as_str().unwrap()),
        &fields,
    )
    .await;
    let session = quoted_after(&window, "name=session value=\"")
        .unwrap_or_else(|| panic!("session in {window}"))
        .to_string();
    let decide = [
        ("session".to_string(), session),
        ("decision".to_string(), "approve".to_string()),
    ];
    let back = post_form(
        &http,
        &format!("{sandbox}{}", c["decide"].as_str().unwrap()),
        &decide,
    )
    .await;
    handed_back(c["back"].as_str().unwrap(), &back)
}

fn merchant(c: &Value) -> Params {
    let mut p = Params::new();
    for (k, v) in c["merchant"].as_object().unwrap() {
        p.set(k, v.as_str().unwrap());
    }
    p
}

fn client(sandbox: &str, c: &Value, key: &str, merchant: Params) -> Client {
    let pg = Pg::from_name(c["pg"].as_str().unwrap()).unwrap();
    let mut client = Client::new(pg, Mode::Test, key, merchant)
        .unwrap()
        .base_url(&format!("{sandbox}/pg/{}", pg.name()))
        .unwrap();
    if let Some(path) = c["privateKey"].as_str() {
        let pem = std::fs::read_to_string(root().join(path)).unwrap();
        client = client.kcp_private_key(&pem).unwrap();
    }
    client
}

fn show(r: &PaymentResult) -> String {
    r.to_json()
}

async fn lifecycle(sandbox: &str, c: &Value, amount: u64, part: u64) {
    let pg = Pg::from_name(c["pg"].as_str().unwrap()).unwrap();
    let id = format!(
        "R{}{}",
        pg.name().to_ascii_uppercase(),
        KstTime::now().format()
    );
    let order = OrderRef { id: &id, amount };
    let back = pay(sandbox, c, &order).await;
    let key = c["key"].as_str().unwrap();
    let cl = client(sandbox, c, key, merchant(c));

    let mut next: Map<String, Value> = Map::new();
    next.insert("pg".into(), pg.name().into());
    next.insert("orderId".into(), id.clone().into());
    for (k, v) in fill(&c["next"], &back).0 {
        next.insert(k, v.into());
    }
    let next: Next = serde_json::from_value(Value::Object(next)).expect("next");

    let tid = match cl.complete(&next, &order).await.expect("complete") {
        // Smartro approves inside its window (001 §4): nothing is left to call.
        None => {
            assert_eq!(next.call(), None);
            back["TID"].clone()
        }
        Some(r) => {
            assert_eq!(r.status, Status::Paid, "{}", show(&r));
            assert!(r.success);
            assert_eq!(r.amount, Some(amount));
            if next.call() != Some(Call::FetchResult) {
                // The same browser step again is the PG's refusal, never a second charge.
                let again = cl.complete(&next, &order).await.expect("again").unwrap();
                assert!(!again.success, "{}", show(&again));
            }
            r.tid
        }
    };
    assert!(!tid.is_empty());

    if pg == Pg::Kspay {
        // KSNET: the fetched result is confirmed (sndActionType 3, notes §4.1); no cancel call
        // over this web API in manual 002.
        let p = Params::from_pairs([("sndCommConId", back["reCommConId"].as_str())]);
        let r = cl
            .call(Call::ConfirmResult, p, Some(&order))
            .await
            .expect("confirm");
        assert_ne!(r.status, Status::Rejected, "{}", show(&r));
        return;
    }

    let t = vars(&[("tid", tid.clone())]);
    if !c["capture"].is_null() {
        // KCP acquisition STMR (003 §4): once; the second is refused.
        let cap = cl
            .call(Call::Capture, fill(&c["capture"], &t), Some(&order))
            .await
            .unwrap();
        assert_eq!(cap.status, Status::Paid, "{}", show(&cap));
        let twice = cl
            .call(Call::Capture, fill(&c["capture"], &t), Some(&order))
            .await
            .unwrap();
        assert_eq!(twice.status, Status::Failed, "{}", show(&twice));
    }

    let rest = amount - part;
    let partial = |a: u64, remaining: u64| {
        fill(
            &c["partial"],
            &vars(&[
                ("tid", tid.clone()),
                ("amount", a.to_string()),
                ("remaining", remaining.to_string()),
            ]),
        )
    };
    let p = cl
        .partial_cancel(partial(part, amount), &order)
        .await
        .unwrap();
    assert_eq!(p.status, Status::PartiallyCancelled, "{}", show(&p));
    assert_eq!(p.amount, Some(part));

    // Over-cancel: more than remains — the PG refuses (or the library, naming the field).
    match cl.partial_cancel(partial(rest + 1, rest), &order).await {
        Ok(r) => assert_eq!(r.status, Status::Failed, "over-cancel: {}", show(&r)),
        Err(e) => assert_eq!(e.kind(), "invalid_input", "{e}"),
    }

    // A forged signature: the same call signed with another key (KCP: data no key signed).
    let forged = if c["privateKey"].is_null() {
        client(sandbox, c, c["forgedKey"].as_str().unwrap(), merchant(c))
    } else {
        let mut m = merchant(c);
        m.set("kcp_sign_data", hanpay::pg::base64(b"forged"));
        Client::new(pg, Mode::Test, "", m)
            .unwrap()
            .base_url(&format!("{sandbox}/pg/kcp"))
            .unwrap()
    };
    let f = forged
        .partial_cancel(partial(100, rest), &order)
        .await
        .unwrap();
    assert_eq!(f.status, Status::Failed, "forged: {}", show(&f));

    let r = vars(&[("tid", tid.clone()), ("amount", rest.to_string())]);
    let done = cl.cancel(fill(&c["rest"], &r), &order).await.unwrap();
    assert_eq!(done.status, Status::Cancelled, "{}", show(&done));
    let twice = cl.cancel(fill(&c["rest"], &r), &order).await.unwrap();
    assert_eq!(
        twice.status,
        Status::Failed,
        "double cancel: {}",
        show(&twice)
    );

    if c["lookup"].is_null() {
        // Only KISPG's manual defines a lookup call (004 §3.4).
        let e = cl
            .lookup(Params::from_pairs([("tid", tid.as_str())]), &order)
            .await;
        assert!(
            matches!(e, Err(Error::Invalid(ref v)) if v.field == "call"),
            "{e:?}"
        );
    } else {
        let found = cl.lookup(fill(&c["lookup"], &t), &order).await.unwrap();
        assert_eq!(found.status, Status::Cancelled, "{}", show(&found));
        // Without a tid the lifecycle's lookup goes by the order number (004 §3.4.1).
        let by_order = cl.lookup(Params::new(), &order).await.unwrap();
        assert_eq!(by_order.status, Status::Cancelled, "{}", show(&by_order));
        assert_eq!(by_order.tid, tid);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_pg_lifecycle_through_the_sandbox_binary() {
    let sb = start_sandbox();
    let data: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/server-lifecycle.json")).unwrap(),
    )
    .unwrap();
    let amount = data["amount"].as_u64().unwrap();
    let part = data["partialAmount"].as_u64().unwrap();
    let pgs = data["pgs"].as_array().unwrap();
    for pg in Pg::ALL {
        assert!(
            pgs.iter().any(|c| c["pg"] == pg.name()),
            "no lifecycle of {}",
            pg.name()
        );
    }
    for c in pgs {
        lifecycle(&sb.url, c, amount, part).await;
    }
}

/// XPay's recovery in the sandbox: a PaymentByKey whose answer does not come back in time (the
/// sandbox's `…SLOW` order hook holds it after booking) is rolled back — `LGD_TXNAME=Rollback`
/// with `LGD_RB_TXID` = the lost `LGD_TXID` (manual 000:L302-303 `auto_rollback`) — and the
/// sandbox answers `0000` only for a call it booked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xpay_lost_payment_by_key_is_rolled_back_in_the_sandbox() {
    let sb = start_sandbox();
    let data: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/server-lifecycle.json")).unwrap(),
    )
    .unwrap();
    let c = data["pgs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["pg"] == "xpay")
        .unwrap();
    let id = format!("RB{}SLOW", KstTime::now().format());
    let order = OrderRef {
        id: &id,
        amount: 1004,
    };
    let back = pay(&sb.url, c, &order).await;
    let config = Config {
        read_timeout: Duration::from_secs(1),
        backoff: Duration::from_millis(20),
        ..Config::default()
    };
    let cl = Client::with_config(
        Pg::Xpay,
        Mode::Test,
        c["key"].as_str().unwrap(),
        merchant(c),
        config,
    )
    .unwrap()
    .base_url(&format!("{}/pg/xpay", sb.url))
    .unwrap();
    let next: Next = serde_json::from_value(serde_json::json!({
        "pg": "xpay", "orderId": id, "next": "payment_by_key", "LGD_PAYKEY": back["LGD_PAYKEY"],
    }))
    .unwrap();
    match cl.complete(&next, &order).await {
        Err(Error::RolledBack { call, cause }) => {
            assert_eq!(call, Call::PaymentByKey);
            assert_eq!(cause.kind(), "read_timeout");
        }
        other => panic!("expected a rollback, got {other:?}"),
    }
}

/// Virtual accounts (tests/data/server-lifecycle.json `vbank`): issued → the buyer deposits →
/// a cancel without the buyer's refund account is refused by the PG → the refund to it cancels.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deposited_virtual_account_is_refunded_to_the_buyers_account() {
    let sb = start_sandbox();
    let data: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/server-lifecycle.json")).unwrap(),
    )
    .unwrap();
    let amount = data["amount"].as_u64().unwrap();
    for v in data["vbank"].as_array().unwrap() {
        let mut c = data["pgs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["pg"] == v["pg"])
            .unwrap()
            .clone();
        for (k, x) in v["form"].as_object().unwrap() {
            c["form"][k] = x.clone();
        }
        let pg = Pg::from_name(c["pg"].as_str().unwrap()).unwrap();
        let id = format!(
            "RVA{}{}",
            pg.name().to_ascii_uppercase(),
            KstTime::now().format()
        );
        let order = OrderRef { id: &id, amount };
        let back = pay(&sb.url, &c, &order).await;
        let cl = client(&sb.url, &c, c["key"].as_str().unwrap(), merchant(&c));
        let mut next: Map<String, Value> = Map::new();
        next.insert("pg".into(), pg.name().into());
        next.insert("orderId".into(), id.clone().into());
        for (k, x) in fill(&c["next"], &back).0 {
            next.insert(k, x.into());
        }
        let next: Next = serde_json::from_value(Value::Object(next)).unwrap();
        let issued = cl.complete(&next, &order).await.unwrap().unwrap();
        assert_eq!(issued.status, Status::Pending, "{}", show(&issued));
        let tid = issued.tid.clone();

        // The buyer pays into the account (sandbox control, standing in for the bank).
        let dep = reqwest::Client::new()
            .post(format!("{}{}", sb.url, v["deposit"].as_str().unwrap()))
            .header("content-type", "application/json")
            .body(serde_json::json!({ "orderId": id }).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(dep.status(), 200);

        let vars = vars(&[("tid", tid.clone()), ("amount", amount.to_string())]);
        let bare = cl.cancel(fill(&v["cancel"], &vars), &order).await.unwrap();
        assert_eq!(
            bare.status,
            Status::Failed,
            "no refund account: {}",
            show(&bare)
        );
        let refund = cl
            .call(Call::Refund, fill(&v["refund"], &vars), Some(&order))
            .await
            .unwrap();
        assert_eq!(refund.status, Status::Cancelled, "{}", show(&refund));
        let found = cl
            .lookup(Params::from_pairs([("tid", tid.as_str())]), &order)
            .await
            .unwrap();
        assert_eq!(found.status, Status::Cancelled, "{}", show(&found));
    }
}
