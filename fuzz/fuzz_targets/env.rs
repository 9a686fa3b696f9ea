//! Environment detection on arbitrary user agents, touch points and window probes.
//!
//! Checks: no panic, a deterministic result, JSON serialization, and the documented mode rule
//! (crates/hanpay-policy/src/env.rs): a popup is only recommended on a desktop outside in-app browsers and WebViews.
#![no_main]

use hanpay::env::{detect, detect_with, Device, Probes, WindowMode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (head, rest) = data.split_at(data.len().min(5));
    let mut touch = [0u8; 4];
    for (t, b) in touch.iter_mut().zip(head) {
        *t = *b;
    }
    let touch = u32::from_le_bytes(touch);
    let flags = head.get(4).copied().unwrap_or(0);
    let text = String::from_utf8_lossy(rest);
    // The part after the first NUL (if any) is the declared host app.
    let (ua, host) = match text.split_once('\0') {
        Some((ua, host)) => (ua, Some(host.to_string())),
        None => (&*text, None),
    };
    let probes = Probes {
        host_app: host,
        react_native_webview: flags & 1 != 0,
        webkit_message_handlers: flags & 2 != 0,
        android_bridge: flags & 4 != 0,
    };
    let env = detect_with(ua, touch, &probes);
    assert_eq!(env, detect_with(ua, touch, &probes));
    if env.mode == WindowMode::Popup {
        assert_eq!(env.device, Device::Desktop);
        assert!(env.in_app.is_none() && !env.webview);
    }
    if let Some(h) = &env.host_app {
        assert!(!h.is_empty() && h.trim() == h);
    }
    serde_json::to_string(&env).expect("Environment serializes");
    let plain = detect(ua, touch);
    assert_eq!(plain.os, env.os);
    assert_eq!(plain.in_app, env.in_app);
});
