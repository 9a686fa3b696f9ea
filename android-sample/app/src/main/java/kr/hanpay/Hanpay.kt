package kr.hanpay

/**
 * The hanpay core (Rust, `libhanpay_ffi.so` built by scripts/build-rust.sh) over JNI.
 *
 * Every function returns JSON text — the value, or `{"error":{"code","message"}}` — except
 * [version]. The strings are ordinary Java strings: nothing to free. The calls are synchronous,
 * stateless and thread-safe, so they can run inside `shouldOverrideUrlLoading`.
 * The symbols live in hanpay's ffi/src/jni.rs.
 */
object Hanpay {
    init {
        System.loadLibrary("hanpay_ffi")
    }

    /** What the WebView does with [url]: `{"action":"load"|"launch"|"block", …}`. */
    @JvmStatic external fun classify(url: String, platform: String): String

    /** [classify] under [policy]: `"default"`, or `"strict"` to launch only schemes of hanpay's table. */
    @JvmStatic external fun classifyWith(url: String, platform: String, policy: String): String

    /** `{"os","device","in_app","webview","mode"}` for a user agent. */
    @JvmStatic external fun detect(userAgent: String, maxTouchPoints: Int): String

    /** The PG return parameters (KISPG resultScheme/cancelScheme, KSNET sndRtApp) for this app. */
    @JvmStatic external fun appReturn(userAgent: String, maxTouchPoints: Int, hostScheme: String?): String

    /** The `<queries>` block (`"android"`) or the iOS plist fragment (`"ios"`), as a JSON string. */
    @JvmStatic external fun manifest(platform: String): String

    /** The hanpay core version, plain text. */
    @JvmStatic external fun version(): String
}
