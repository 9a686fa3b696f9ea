//! JNI entry points for `kr.hanpay.Hanpay` (Kotlin `object Hanpay` with `@JvmStatic external
//! fun`, or a Java class with `static native` methods; both bind to these symbols).
//!
//! Each method returns a new `java.lang.String` of JSON, exactly as the C ABI does; the JVM's
//! garbage collector owns it, so there is nothing to free. A `null` argument gives an error JSON
//! instead of a `NullPointerException`, and no panic unwinds into the JVM.

use crate::calls::{self, CallError};
use jni::objects::{JClass, JString};
use jni::sys::{jint, jstring};
use jni::JNIEnv;

/// Reads a required `String` argument.
fn text(env: &mut JNIEnv, value: &JString, name: &str) -> Result<String, CallError> {
    if value.is_null() {
        return Err(CallError::null_argument(name));
    }
    // The JVM hands out modified UTF-8; jni converts it, so only a broken string can fail.
    env.get_string(value)
        .map(String::from)
        .map_err(|_| CallError::invalid_utf8(name))
}

/// Reads an optional `String` argument (`null` means absent).
fn optional_text(
    env: &mut JNIEnv,
    value: &JString,
    name: &str,
) -> Result<Option<String>, CallError> {
    if value.is_null() {
        Ok(None)
    } else {
        text(env, value, name).map(Some)
    }
}

/// Turns JSON text into a Java string. Returns null only if the JVM could not allocate it,
/// in which case an `OutOfMemoryError` is already pending for the caller.
fn give(env: &mut JNIEnv, json: String) -> jstring {
    env.new_string(json)
        .map_or(std::ptr::null_mut(), |s| s.into_raw())
}

/// `Hanpay.classify(url: String, platform: String): String`
#[no_mangle]
pub extern "system" fn Java_kr_hanpay_Hanpay_classify<'local>(
    mut env: JNIEnv<'local>,
    _class: JClass<'local>,
    url: JString<'local>,
    platform: JString<'local>,
) -> jstring {
    let json = calls::run(|| {
        let url = text(&mut env, &url, "url")?;
        let platform = text(&mut env, &platform, "platform")?;
        calls::classify(&url, &platform)
    });
    give(&mut env, json)
}

/// `Hanpay.classifyWith(url: String, platform: String, policy: String): String`, with policy
/// `"default"` or `"strict"`.
#[no_mangle]
pub extern "system" fn Java_kr_hanpay_Hanpay_classifyWith<'local>(
    mut env: JNIEnv<'local>,
    _class: JClass<'local>,
    url: JString<'local>,
    platform: JString<'local>,
    policy: JString<'local>,
) -> jstring {
    let json = calls::run(|| {
        let url = text(&mut env, &url, "url")?;
        let platform = text(&mut env, &platform, "platform")?;
        let policy = text(&mut env, &policy, "policy")?;
        calls::classify_with(&url, &platform, &policy)
    });
    give(&mut env, json)
}

/// `Hanpay.detect(userAgent: String, maxTouchPoints: Int): String`
#[no_mangle]
pub extern "system" fn Java_kr_hanpay_Hanpay_detect<'local>(
    mut env: JNIEnv<'local>,
    _class: JClass<'local>,
    user_agent: JString<'local>,
    max_touch_points: jint,
) -> jstring {
    let json = calls::run(|| {
        let user_agent = text(&mut env, &user_agent, "user_agent")?;
        calls::detect(&user_agent, touch_points(max_touch_points))
    });
    give(&mut env, json)
}

/// `Hanpay.appReturn(userAgent: String, maxTouchPoints: Int, hostScheme: String?): String`
#[no_mangle]
pub extern "system" fn Java_kr_hanpay_Hanpay_appReturn<'local>(
    mut env: JNIEnv<'local>,
    _class: JClass<'local>,
    user_agent: JString<'local>,
    max_touch_points: jint,
    host_scheme: JString<'local>,
) -> jstring {
    let json = calls::run(|| {
        let user_agent = text(&mut env, &user_agent, "user_agent")?;
        let host_scheme = optional_text(&mut env, &host_scheme, "host_scheme")?;
        calls::app_return(
            &user_agent,
            touch_points(max_touch_points),
            host_scheme.as_deref(),
        )
    });
    give(&mut env, json)
}

/// `Hanpay.manifest(platform: String): String`
#[no_mangle]
pub extern "system" fn Java_kr_hanpay_Hanpay_manifest<'local>(
    mut env: JNIEnv<'local>,
    _class: JClass<'local>,
    platform: JString<'local>,
) -> jstring {
    let json = calls::run(|| {
        let platform = text(&mut env, &platform, "platform")?;
        calls::manifest(&platform)
    });
    give(&mut env, json)
}

/// `Hanpay.version(): String` (the hanpay core version, plain text, not JSON).
#[no_mangle]
pub extern "system" fn Java_kr_hanpay_Hanpay_version<'local>(
    mut env: JNIEnv<'local>,
    _class: JClass<'local>,
) -> jstring {
    give(&mut env, hanpay::VERSION.to_string())
}

/// Java has no unsigned int; a negative count means "unknown", which is none.
fn touch_points(value: jint) -> u32 {
    u32::try_from(value).unwrap_or(0)
}
