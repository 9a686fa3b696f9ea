package kr.hanpay.sample

import android.annotation.SuppressLint
import android.app.Activity
import android.content.Intent
import android.net.Uri
import android.os.Bundle
import android.util.Log
import android.webkit.CookieManager
import android.webkit.WebSettings
import android.webkit.WebView
import kr.hanpay.Hanpay

/**
 * Shows the hanpay demo checkout in a WebView. The interesting parts are
 * [PaymentWebViewClient] (app launches) and [PaymentChromeClient] (window.open).
 */
class MainActivity : Activity() {
    private lateinit var webView: WebView

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        WebView.setWebContentsDebuggingEnabled(BuildConfig.DEBUG)
        webView = WebView(this)
        configurePaymentWebView(webView, this)
        setContentView(webView)
        // The PG return parameters for this app (KISPG resultScheme/cancelScheme, KSNET
        // sndRtApp), derived by hanpay from the real user agent and the app's scheme.
        Log.d("hanpay", "hanpay ${Hanpay.version()} return params: " +
            Hanpay.appReturn(webView.settings.userAgentString, 0, BuildConfig.APP_SCHEME))
        if (savedInstanceState == null) {
            val checkout = Uri.parse(BuildConfig.CHECKOUT_URL).buildUpon()
                .appendQueryParameter("appScheme", BuildConfig.APP_SCHEME + "://")
                .build()
            webView.loadUrl(checkout.toString())
        } else {
            webView.restoreState(savedInstanceState)
        }
    }

    /**
     * Back from an ISP, app-card or bank app. Those apps finish and Android resumes this
     * activity; a PG that calls `hanpaysample://…` (resultScheme/cancelScheme) lands here too.
     * The payment page is still in the WebView and carries on by itself, so nothing is reloaded.
     */
    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        Log.d("hanpay", "returned via ${intent.data}")
    }

    override fun onSaveInstanceState(outState: Bundle) {
        super.onSaveInstanceState(outState)
        webView.saveState(outState)
    }

    @Deprecated("Activity.onBackPressed is fine for a framework-only sample")
    override fun onBackPressed() {
        if (webView.canGoBack()) webView.goBack() else super.onBackPressed()
    }
}

/** Settings PG payment windows need, shared by the main and child (window.open) WebViews. */
@SuppressLint("SetJavaScriptEnabled")
fun configurePaymentWebView(view: WebView, activity: Activity, onClose: (() -> Unit)? = null) {
    with(view.settings) {
        javaScriptEnabled = true
        domStorageEnabled = true
        // PG pages open card-company windows with window.open → PaymentChromeClient.
        javaScriptCanOpenWindowsAutomatically = true
        setSupportMultipleWindows(true)
        // Some card ACS pages still mix in http resources.
        mixedContentMode = WebSettings.MIXED_CONTENT_COMPATIBILITY_MODE
        // Keep the stock user agent: card ACS pages check it (KISPG manual §6.2).
    }
    // PG pages set cookies from card-company frames.
    CookieManager.getInstance().setAcceptThirdPartyCookies(view, true)
    view.webViewClient = PaymentWebViewClient(activity)
    view.webChromeClient = PaymentChromeClient(activity, onClose)
}
