import UIKit

@main
final class AppDelegate: UIResponder, UIApplicationDelegate {
    var window: UIWindow?

    func application(_ application: UIApplication,
                     didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]?) -> Bool {
        let window = UIWindow(frame: UIScreen.main.bounds)
        window.rootViewController = CheckoutViewController()
        window.makeKeyAndVisible()
        self.window = window
        return true
    }

    /// Back from ISP, an app card or a bank app through this app's URL scheme (the PG's
    /// `resultScheme`/`cancelScheme`, KSNET `sndRtApp`, ISP's `app_scheme://card_pay?…`).
    /// The payment page is still in the WKWebView and carries on, so nothing is reloaded.
    func application(_ app: UIApplication, open url: URL,
                     options: [UIApplication.OpenURLOptionsKey: Any] = [:]) -> Bool {
        NSLog("hanpay: returned via %@", url.absoluteString)
        return url.scheme == CheckoutViewController.appScheme
    }
}
