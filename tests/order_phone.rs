//! Audit M5: `Order { phone: true }` produces each PG's mobile variant in the library (notes
//! §1.6 Smart XPay, §2.1 Smartro mobile flow, manual 004:L40 KISPG `model=MOB`), where the demo
//! merchant used to patch fields in.

use hanpay::pg::{KstTime, Mode, Pg};
use hanpay::{Order, Rule};

const SMARTRO_KEY: &str =
    "0/4GFsSd7ERVRGX9WHOzJ96GyeMTwvIaKSWUCKmN3fDklNRGw3CualCFoMPZaS99YiFGOuwtzTkrLo4bR4V+Ow==";

fn order(merchant: &str, phone: bool) -> Order {
    Order {
        merchant_id: merchant.into(),
        order_id: "M5-1".into(),
        amount: 1004,
        goods_name: "책".into(),
        buyer_name: "김".into(),
        buyer_phone: "01012345678".into(),
        buyer_email: "a@b.c".into(),
        return_url: "https://shop.example/r".into(),
        notify_url: "https://shop.example/n".into(),
        buyer_ip: "127.0.0.1".into(),
        phone,
        ..Default::default()
    }
}

fn now() -> KstTime {
    KstTime::parse("20240101120000").expect("now")
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn xpay_phone_is_smart_xpay_submit() {
    let f = order("lgdacomxpay", true)
        .checkout(Pg::Xpay, "k", Mode::Test, now())
        .expect("form");
    for (k, v) in [
        ("LGD_CUSTOM_SKIN", "SMART_XPAY2"),
        ("LGD_CUSTOM_SWITCHINGTYPE", "SUBMIT"),
        ("LGD_WINDOW_TYPE", "submit"),
        ("CST_WINDOW_TYPE", "submit"),
        ("LGD_OSTYPE_CHECK", "M"),
    ] {
        assert_eq!(f.field(k), Some(v), "{k}");
    }
    let desktop = order("lgdacomxpay", false)
        .checkout(Pg::Xpay, "k", Mode::Test, now())
        .expect("form");
    assert_eq!(desktop.field("LGD_OSTYPE_CHECK"), Some("P"));
    assert_eq!(desktop.field("LGD_WINDOW_TYPE"), Some("iframe"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn smartro_phone_is_the_smartphone_page_with_a_stop_url() {
    let mut o = order("SMTPAY001m", true);
    o.overrides = vec![("MallIP".into(), "127.0.0.1".into())];
    let err = o
        .checkout(Pg::Smartro, SMARTRO_KEY, Mode::Test, now())
        .expect_err("StopURL required");
    assert_eq!((err.field.as_str(), err.rule), ("StopURL", Rule::Required));
    o.stop_url = "https://shop.example/stop".into();
    let f = o
        .checkout(Pg::Smartro, SMARTRO_KEY, Mode::Test, now())
        .expect("form");
    assert_eq!(f.action, "https://tspay.smilepay.co.kr/pay/interfaceURL");
    assert_eq!(
        (f.accept_charset.as_str(), f.target.as_str()),
        ("UTF-8", "")
    );
    assert_eq!(f.field("EncodingType"), Some("utf8"));
    let live = o
        .checkout(Pg::Smartro, SMARTRO_KEY, Mode::Live, now())
        .expect("form");
    assert_eq!(live.action, "https://smpay.smilepay.co.kr/pay/interfaceURL");
    o.stop_url = "javascript:alert(1)".into();
    let err = o
        .checkout(Pg::Smartro, SMARTRO_KEY, Mode::Test, now())
        .expect_err("unsafe StopURL");
    assert_eq!(err.field, "StopURL");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn kispg_phone_is_the_mob_model() {
    let key =
        "2d6ECGhR1pg/1QGE1lcRI4awsWEgshjEyI8UgYslLPJSuNeyPTkdrT8XWARezvDTUJClWQWhjxzBbu7AsuLZqg==";
    for (phone, model) in [(true, "MOB"), (false, "WEB")] {
        let f = order("kistest00m", phone)
            .checkout(Pg::Kispg, key, Mode::Test, now())
            .expect("form");
        assert_eq!(f.field("model"), Some(model));
    }
}

/// Notes §3.3: KCP on a phone registers the trade server-side, then posts `order_info` with the
/// `approval_key` to `PayUrl`; the library builds both, and refuses a phone form without a key.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn kcp_phone_registers_the_trade_and_posts_the_approval_key() {
    use hanpay::pg::kcp::call::read_trade_registration;
    use hanpay::pg::Params;
    let o = order("T0000", true);
    let err = o
        .checkout(Pg::Kcp, "", Mode::Test, now())
        .expect_err("no phone form without approval_key");
    assert_eq!(
        (err.field.as_str(), err.rule),
        ("approval_key", Rule::Required)
    );
    let req = o
        .registration(Pg::Kcp, Mode::Test, now())
        .expect("request")
        .expect("a KCP phone checkout registers first");
    assert_eq!(req.url, "https://testsmpay.kcp.co.kr/trade/register.do");
    assert_eq!(req.content_type, "application/json");
    for (k, v) in [
        ("site_cd", "T0000"),
        ("ordr_idxx", "M5-1"),
        ("good_mny", "1004"),
        ("pay_method", "CARD"),
        ("Ret_URL", "https://shop.example/r"),
    ] {
        assert_eq!(req.fields.get(k), Some(v), "{k}");
    }
    let refused = Params::from_pairs([("Code", "3014"), ("Message", "미등록 가맹점")]);
    assert_eq!(
        read_trade_registration(&refused).map_err(|e| e.code),
        Err("3014".to_string())
    );
    let no_key = Params::from_pairs([("Code", "0000"), ("PayUrl", "https://x.example/p")]);
    assert!(read_trade_registration(&no_key).is_err());
    let ok = Params::from_pairs([
        ("Code", "0000"),
        ("approvalKey", "AK1"),
        ("traceNo", "T1"),
        ("PayUrl", "https://testsmpay.kcp.co.kr/pay/mobileGW.kcp"),
    ]);
    // The generic path refuses the same answers, on the field they did not carry.
    for answer in [&refused, &no_key] {
        let e = o
            .registered_checkout(Pg::Kcp, "", answer, Mode::Test, now())
            .expect_err("no phone form from a refused registration");
        assert_eq!((e.field.as_str(), e.rule), ("approval_key", Rule::Required));
    }
    assert!(read_trade_registration(&ok).is_ok());
    let f = o
        .registered_checkout(Pg::Kcp, "", &ok, Mode::Test, now())
        .expect("form");
    assert_eq!(f.action, "https://testsmpay.kcp.co.kr/pay/mobileGW.kcp");
    for (k, v) in [
        ("approval_key", "AK1"),
        ("PayUrl", "https://testsmpay.kcp.co.kr/pay/mobileGW.kcp"),
        ("pay_method", "CARD"),
        ("ActionResult", "card"),
        ("Ret_URL", "https://shop.example/r"),
        ("encoding_trans", "UTF-8"),
        ("good_mny", "1004"),
    ] {
        assert_eq!(f.field(k), Some(v), "{k}");
    }
    // Two methods cannot be one mobile pay_method.
    let mut two = o.clone();
    two.methods = vec![hanpay::Method::Card, hanpay::Method::VirtualAccount];
    let e = two
        .registration(Pg::Kcp, Mode::Test, now())
        .expect_err("one method");
    assert_eq!(e.field, "pay_method");
    // A desktop KCP checkout, and every other PG's, needs no registration; an answer for one is
    // refused rather than ignored.
    let pc = order("T0000", false);
    assert_eq!(pc.registration(Pg::Kcp, Mode::Test, now()), Ok(None));
    for pg in Pg::ALL.into_iter().filter(|&pg| pg != Pg::Kcp) {
        assert_eq!(o.registration(pg, Mode::Test, now()), Ok(None), "{pg:?}");
    }
    let e = pc
        .registered_checkout(Pg::Kcp, "", &ok, Mode::Test, now())
        .expect_err("no registration on a PC");
    assert_eq!((e.field.as_str(), e.rule), ("phone", Rule::Conflict));
}

/// KSNET: PC and phone are two modules with two pages ("섞어 쓰면 결제창이 열리지 않거나 화면이
/// 깨집니다", johnlee79/jzl-closet:lib/payments/ksnet/config.ts@25182cf1; `_KSPAY_URL` of the PC
/// script, jeihomme/jenkins_test:src/main/webapp/resources/payment/kspay_web.js@978fdeee).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn kspay_pc_and_phone_pages_differ() {
    let ks = |phone| Order {
        overrides: vec![("sndStoreName".into(), "hanpay".into())],
        ..order("2999199999", phone)
    };
    let pc = ks(false)
        .checkout(Pg::Kspay, "", Mode::Test, now())
        .expect("pc form");
    assert_eq!(
        pc.action,
        "https://kspay.ksnet.to/store/KSPayWebV1.4/KSPayPWeb.jsp"
    );
    let phone = ks(true)
        .checkout(Pg::Kspay, "", Mode::Test, now())
        .expect("phone form");
    assert_eq!(
        phone.action,
        "https://kspay.ksnet.to/store/KSPayMobileV1.4/KSPayPWeb.jsp"
    );
}

/// The phone page has no bank transfer (002:L355, audit W8); the PC module offers it.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn kspay_phone_refuses_bank_transfer() {
    let mut o = Order {
        overrides: vec![("sndStoreName".into(), "hanpay".into())],
        ..order("2999199999", true)
    };
    o.methods = vec![hanpay::order::Method::BankTransfer];
    let e = o
        .checkout(Pg::Kspay, "", Mode::Test, now())
        .expect_err("bank transfer on the phone page");
    assert_eq!((e.field.as_str(), e.rule), ("sndPaymethod", Rule::Format));
    o.phone = false;
    let pc = o
        .checkout(Pg::Kspay, "", Mode::Test, now())
        .expect("pc form");
    assert_eq!(pc.field("sndPaymethod"), Some("0010000000"));
}
