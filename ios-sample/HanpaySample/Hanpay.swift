import Foundation

/// The hanpay core (Rust, `Hanpay.xcframework`) over its C ABI.
///
/// Each C function returns a JSON string that Swift now owns: it is copied into a `String` and
/// released with `hanpay_string_free` right away, as `hanpay.h` requires. The calls are
/// synchronous, stateless and thread-safe, so they can run inside `decidePolicyFor`.
enum Hanpay {
    /// What the WebView does with a URL (`hanpay classify`).
    struct Decision: Decodable {
        let action: String
        let scheme: String?
        let package: String?
        let category: String?
        let launchUrl: String?
        let fallbackUrl: String?
        let storeUrl: String?
        /// An app's https universal link (PASS, Toss, KakaoTalk) that WKWebView never opens itself.
        let universalLink: Bool
        let reason: String
    }

    private struct Failure: Decodable {
        struct Body: Decodable { let code: String; let message: String }
        let error: Body
    }

    static var version: String { String(cString: hanpay_version()) }

    static func classify(_ url: String) -> Decision {
        let json = take(hanpay_classify(url, "ios"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        if let decision = try? decoder.decode(Decision.self, from: Data(json.utf8)) {
            return decision
        }
        // A bridge error (never expected for a real URL): neither load nor launch.
        let code = (try? decoder.decode(Failure.self, from: Data(json.utf8)).error.code) ?? "unreadable"
        return Decision(action: "block", scheme: nil, package: nil, category: nil, launchUrl: nil,
                        fallbackUrl: nil, storeUrl: nil, universalLink: false, reason: "bridge-" + code)
    }

    /// The PG return parameters for this app: KISPG `resultScheme`/`cancelScheme`, KSNET `sndRtApp`.
    static func appReturn(userAgent: String, hostScheme: String) -> String {
        take(hanpay_app_return(userAgent, 0, hostScheme))
    }

    /// Copies a returned C string and frees it (ownership rule of hanpay.h).
    private static func take(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        guard let pointer else { return "{\"error\":{\"code\":\"null-result\",\"message\":\"\"}}" }
        defer { hanpay_string_free(pointer) }
        return String(cString: pointer)
    }
}
