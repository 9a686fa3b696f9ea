package kr.hanpay.sample

import android.app.Activity
import android.content.ActivityNotFoundException
import android.content.Intent
import android.net.Uri
import android.util.Log
import android.webkit.WebResourceRequest
import android.webkit.WebView
import android.webkit.WebViewClient
import kr.hanpay.Hanpay

/**
 * Routes every navigation of the payment window through the hanpay classifier: the WebView
 * keeps http(s) pages, app URLs (ISP, app cards, bank and pay apps, `intent:`) are launched as
 * the classifier sanitized them, and anything else is blocked.
 */
class PaymentWebViewClient(private val activity: Activity) : WebViewClient() {

    override fun shouldOverrideUrlLoading(view: WebView, request: WebResourceRequest): Boolean {
        val url = request.url.toString()
        val decision = Decision.parse(Hanpay.classify(url, "android"))
        Log.d(TAG, "${decision.action} ${decision.reason} $url")
        return when (decision.action) {
            "load" -> false
            "launch" -> {
                launch(view, decision)
                true
            }
            else -> true
        }
    }

    /** ACTION_VIEW + CATEGORY_BROWSABLE, pinned to the classifier's package when it names one. */
    private fun launch(view: WebView, decision: Decision) {
        val target = decision.launchUrl ?: return
        val intent = Intent(Intent.ACTION_VIEW, Uri.parse(target)).apply {
            addCategory(Intent.CATEGORY_BROWSABLE)
            decision.packageName?.let { setPackage(it) }
        }
        try {
            activity.startActivity(intent)
        } catch (e: ActivityNotFoundException) {
            whenMissing(view, decision)
        }
    }

    /** The app is not installed: the intent's own fallback page first, then the store. */
    private fun whenMissing(view: WebView, decision: Decision) {
        decision.fallbackUrl?.let {
            view.loadUrl(it)
            return
        }
        val store = decision.storeUrl ?: return
        try {
            activity.startActivity(Intent(Intent.ACTION_VIEW, Uri.parse(store)))
        } catch (e: ActivityNotFoundException) {
            // No Play Store (emulator images without Google Play): the web listing instead.
            decision.packageName?.let {
                view.loadUrl("https://play.google.com/store/apps/details?id=" + Uri.encode(it))
            }
        }
    }

    private companion object {
        const val TAG = "hanpay"
    }
}
