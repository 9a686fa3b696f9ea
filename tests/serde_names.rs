//! The browser build writes its result objects by hand (`crates/hanpay-web`), naming enum values with
//! `as_str`; these must stay the names serde gives the CLI and the bridges.

use hanpay::app_return::EscapeKind;
use hanpay::apps::{Action, Category};
use hanpay::env::{Device, Os, WindowMode};

fn serde_name<T: serde::Serialize>(value: T) -> String {
    match serde_json::to_value(value).unwrap() {
        serde_json::Value::String(s) => s,
        other => panic!("not a string: {other}"),
    }
}

#[test]
fn as_str_is_the_serde_name() {
    for v in [
        Os::Android,
        Os::Ios,
        Os::Ipados,
        Os::Windows,
        Os::Macos,
        Os::Linux,
        Os::Other,
    ] {
        assert_eq!(v.as_str(), serde_name(v));
    }
    for v in [Device::Mobile, Device::Tablet, Device::Desktop] {
        assert_eq!(v.as_str(), serde_name(v));
    }
    for v in [WindowMode::Popup, WindowMode::Iframe, WindowMode::Redirect] {
        assert_eq!(v.as_str(), serde_name(v));
    }
    for v in [Action::Load, Action::Launch, Action::Block] {
        assert_eq!(v.as_str(), serde_name(v));
    }
    for v in [
        Category::Isp,
        Category::Appcard,
        Category::Bank,
        Category::Easypay,
        Category::Identity,
        Category::Certificate,
        Category::Vaccine,
        Category::Store,
        Category::Browser,
        Category::Other,
    ] {
        assert_eq!(v.as_str(), serde_name(v));
    }
    for v in [
        EscapeKind::LineExternalBrowser,
        EscapeKind::KakaotalkOpenExternal,
        EscapeKind::AndroidChromeIntent,
    ] {
        assert_eq!(v.as_str(), serde_name(v));
    }
}
