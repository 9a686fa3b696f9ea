package kr.hanpay;

/**
 * The JVM face of the hanpay bridge (JNI symbols in ffi/src/jni.rs). The Android sample's
 * Kotlin {@code object Hanpay} binds to the same symbols; this class lets a plain JVM load the
 * library for tests. Every method returns JSON text (the value, or {@code {"error":{...}}}),
 * except {@link #version()}.
 */
public final class Hanpay {
    private Hanpay() {}

    public static native String classify(String url, String platform);

    /** {@code policy} is "default" or "strict" (launch only schemes of hanpay's app table). */
    public static native String classifyWith(String url, String platform, String policy);

    public static native String detect(String userAgent, int maxTouchPoints);

    public static native String appReturn(String userAgent, int maxTouchPoints, String hostScheme);

    public static native String manifest(String platform);

    public static native String version();
}
