//! Receipt links (tests/data/pg-receipts.json): KCP 매출전표/거래명세표 and 현금영수증 URLs, the KSPay
//! card receipt, and XPay `showCashReceipts` arguments, natively and in the browser.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use hanpay::form::ValidationError;
use hanpay::pg::{kcp, kspay, xpay, Mode};
use serde_json::Value;

const DATA: &str = include_str!("data/pg-receipts.json");

fn kcp_kind(s: &str) -> kcp::Receipt {
    match s {
        "card" => kcp::Receipt::Card,
        "bank" => kcp::Receipt::BankTransfer,
        "vbank" => kcp::Receipt::VirtualAccount,
        "phone" => kcp::Receipt::Phone,
        "tong" => kcp::Receipt::TongMoney,
        other => panic!("unknown receipt {other}"),
    }
}

fn xpay_kind(s: &str) -> xpay::CashReceiptKind {
    match s {
        "BANK" => xpay::CashReceiptKind::BankTransfer,
        "CAS" => xpay::CashReceiptKind::VirtualAccount,
        "CR" => xpay::CashReceiptKind::CashOnly,
        other => panic!("unknown kind {other}"),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn receipt_links_follow_the_manuals() {
    let d: Value = serde_json::from_str(DATA).expect("pg-receipts.json parses");
    let mut failures = Vec::new();
    for case in d["cases"].as_array().expect("cases") {
        let a: Vec<&str> = case["args"]
            .as_array()
            .expect("args")
            .iter()
            .map(|v| v.as_str().expect("arg"))
            .collect();
        let got: Result<String, ValidationError> = match case["fn"].as_str().expect("fn") {
            "kcp.receipt_url" => kcp::receipt_url(kcp_kind(a[0]), a[1], a[2] == "en"),
            "kcp.cash_receipt_url" => kcp::cash_receipt_url(a[0], a[1], a[2] == "Y", a[3]),
            "kspay.receipt_url" => kspay::receipt_url(a[0]),
            "xpay.cash_receipt_args" => {
                let mode = Mode::from_name(a[4]).expect("mode");
                xpay::cash_receipt_args(a[0], a[1], a[2], xpay_kind(a[3]), mode)
                    .map(|args| args.join("|"))
            }
            other => panic!("unknown fn {other}"),
        };
        let e = &case["expect"];
        let ok = match (&got, e.as_str()) {
            (Ok(url), Some(want)) => url == want,
            (Err(err), None) => {
                Some(err.field.as_str()) == e["field"].as_str()
                    && Some(err.code()) == e["rule"].as_str()
            }
            _ => false,
        };
        if !ok {
            failures.push(format!("{}: got {got:?}", case["source"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
