import UIKit
import WebKit

/// Shows the hanpay demo checkout and routes every navigation through the hanpay classifier.
final class CheckoutViewController: UIViewController, WKNavigationDelegate, WKUIDelegate {
    /// Must equal CFBundleURLSchemes in Info.plist; passed to the PG as its return scheme.
    static let appScheme = "hanpaysample"
    /// The sandbox demo checkout (`make demo`); the simulator reaches the Mac as 127.0.0.1.
    static let checkoutURL = "http://127.0.0.1:8080/"

    private var webView: WKWebView!

    override func loadView() {
        let configuration = WKWebViewConfiguration()
        // PG pages open card-company windows with window.open → createWebViewWith.
        configuration.preferences.javaScriptCanOpenWindowsAutomatically = true
        webView = WKWebView(frame: .zero, configuration: configuration)
        webView.navigationDelegate = self
        webView.uiDelegate = self
        // Keep the stock user agent: card ACS pages check it (KISPG manual §6.2).
        view = webView
    }

    override func viewDidLoad() {
        super.viewDidLoad()
        NSLog("hanpay %@", Hanpay.version)
        webView.evaluateJavaScript("navigator.userAgent") { value, _ in
            guard let userAgent = value as? String else { return }
            NSLog("hanpay return params: %@", Hanpay.appReturn(userAgent: userAgent, hostScheme: Self.appScheme))
        }
        var components = URLComponents(string: Self.checkoutURL)
        components?.queryItems = [URLQueryItem(name: "appScheme", value: Self.appScheme + "://")]
        if let url = components?.url {
            webView.load(URLRequest(url: url))
        }
    }

    // MARK: - WKNavigationDelegate

    func webView(_ webView: WKWebView, decidePolicyFor navigationAction: WKNavigationAction,
                 decisionHandler: @escaping (WKNavigationActionPolicy) -> Void) {
        guard let url = navigationAction.request.url else {
            decisionHandler(.cancel)
            return
        }
        let decision = Hanpay.classify(url.absoluteString)
        NSLog("hanpay: %@ %@ %@", decision.action, decision.reason, url.absoluteString)
        switch decision.action {
        case "load" where decision.universalLink:
            // PASS / Toss / KakaoTalk universal link: the app first, the page only if none takes
            // it. WebKit waits for a decisionHandler called later.
            guard let target = decision.launchUrl.flatMap(URL.init(string:)) else {
                decisionHandler(.allow)
                return
            }
            UIApplication.shared.open(target, options: [.universalLinksOnly: true]) { opened in
                decisionHandler(opened ? .cancel : .allow)
            }
        case "load":
            decisionHandler(.allow)
        case "launch":
            decisionHandler(.cancel)
            launch(decision, from: webView)
        default:
            decisionHandler(.cancel)
        }
    }

    /// Open first, App Store on failure: `canOpenURL` only answers for the first 50
    /// LSApplicationQueriesSchemes entries, so it is not asked at all.
    private func launch(_ decision: Hanpay.Decision, from webView: WKWebView) {
        guard let target = decision.launchUrl.flatMap(URL.init(string:)) else { return }
        UIApplication.shared.open(target, options: [:]) { opened in
            guard !opened else { return }
            if let fallback = decision.fallbackUrl.flatMap(URL.init(string:)) {
                webView.load(URLRequest(url: fallback))
            } else if let store = decision.storeUrl.flatMap(URL.init(string:)) {
                UIApplication.shared.open(store, options: [:], completionHandler: nil)
            }
        }
    }

    // MARK: - WKUIDelegate (window.open / window.close)

    func webView(_ webView: WKWebView, createWebViewWith configuration: WKWebViewConfiguration,
                 for navigationAction: WKNavigationAction, windowFeatures: WKWindowFeatures) -> WKWebView? {
        // WebKit requires the child to be created with exactly this configuration.
        let child = WKWebView(frame: .zero, configuration: configuration)
        child.navigationDelegate = self
        child.uiDelegate = self
        let sheet = UIViewController()
        sheet.view = child
        sheet.modalPresentationStyle = .fullScreen
        present(sheet, animated: true)
        return child
    }

    func webViewDidClose(_ webView: WKWebView) {
        if webView !== self.webView {
            presentedViewController?.dismiss(animated: true)
        }
    }

    func webView(_ webView: WKWebView, runJavaScriptAlertPanelWithMessage message: String,
                 initiatedByFrame frame: WKFrameInfo, completionHandler: @escaping () -> Void) {
        let alert = UIAlertController(title: nil, message: message, preferredStyle: .alert)
        alert.addAction(UIAlertAction(title: "OK", style: .default) { _ in completionHandler() })
        (presentedViewController ?? self).present(alert, animated: true)
    }

    func webView(_ webView: WKWebView, runJavaScriptConfirmPanelWithMessage message: String,
                 initiatedByFrame frame: WKFrameInfo, completionHandler: @escaping (Bool) -> Void) {
        let alert = UIAlertController(title: nil, message: message, preferredStyle: .alert)
        alert.addAction(UIAlertAction(title: "Cancel", style: .cancel) { _ in completionHandler(false) })
        alert.addAction(UIAlertAction(title: "OK", style: .default) { _ in completionHandler(true) })
        (presentedViewController ?? self).present(alert, animated: true)
    }
}
