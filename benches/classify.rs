//! `cargo bench -p hanpay --bench classify`: ns per `classify` call over a URL mix shaped like a
//! Korean PG checkout in a WebView — mostly https pages, then intent URLs and bare app schemes,
//! a few store links and blocked URLs. Plain `main` (harness = false): no bench framework needed.

use hanpay::apps::{classify, Platform};
use std::hint::black_box;
use std::time::Instant;

const MIX: &[(&str, Platform)] = &[
    ("https://mobile.inicis.com/smart/payment/?P_MID=INIpayTest", Platform::Android),
    ("https://pg.example/checkout?order=20240101-0001&amount=15000", Platform::Android),
    ("https://ksmobile.ksnet.co.kr/KSPayPWeb.jsp?sndStoreid=2999199999", Platform::Ios),
    ("https://api.kispg.co.kr/v2/auth", Platform::Ios),
    ("about:blank", Platform::Android),
    (
        "intent://TID=INIMX_ISPtest#Intent;scheme=ispmobile;package=kvp.jjy.MispAndroid320;end",
        Platform::Android,
    ),
    (
        "intent://kakaopay/pg?url=https://online-pay.kakao.com/pay/mockup/abc#Intent;scheme=kakaotalk;package=com.kakao.talk;end",
        Platform::Android,
    ),
    (
        "intent:hdcardappcardansimclick://appcard?acctid=201605092050048514902797477441#Intent;package=com.hyundaicard.appcard;end;",
        Platform::Android,
    ),
    (
        "intent://x#Intent;scheme=ispmobile;S.browser_fallback_url=https%3A%2F%2Fpg.example%2Fisp;end",
        Platform::Android,
    ),
    ("kftc-bankpay://eftpay?firm_name=x&amount=1000", Platform::Android),
    ("ispmobile://?TID=INIMX_ISPtest", Platform::Ios),
    ("shinhan-sr-ansimclick://pay?srCode=123456", Platform::Ios),
    ("https://play.google.com/store/apps/details?id=kvp.jjy.MispAndroid320", Platform::Android),
    ("javascript:void(0)", Platform::Android),
    ("myshop://return?status=ok", Platform::Ios),
];

fn main() {
    let rounds: usize = std::env::args()
        .filter_map(|a| a.parse().ok())
        .next()
        .unwrap_or(20_000);
    // Warm up caches and the allocator before timing.
    for (url, platform) in MIX {
        black_box(classify(black_box(url), *platform));
    }
    let start = Instant::now();
    for _ in 0..rounds {
        for (url, platform) in MIX {
            black_box(classify(black_box(url), *platform));
        }
    }
    let elapsed = start.elapsed();
    let ops = rounds * MIX.len();
    let ns_per_op = elapsed.as_nanos() as f64 / ops as f64;
    println!(
        "classify: {ops} calls over {} URLs, {ns_per_op:.0} ns/op",
        MIX.len()
    );
}
