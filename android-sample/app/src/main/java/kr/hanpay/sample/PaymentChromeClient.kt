package kr.hanpay.sample

import android.app.Activity
import android.app.Dialog
import android.os.Message
import android.view.ViewGroup
import android.webkit.WebChromeClient
import android.webkit.WebView

/**
 * `window.open` from the PG page (card company pop-ups, instalment notices, terms): a child
 * WebView in a full-screen dialog, with the same URL routing as the main one, closed again
 * by `window.close()`.
 */
class PaymentChromeClient(
    private val activity: Activity,
    private val onClose: (() -> Unit)? = null,
) : WebChromeClient() {

    override fun onCreateWindow(view: WebView, isDialog: Boolean, isUserGesture: Boolean, resultMsg: Message): Boolean {
        val child = WebView(activity)
        val dialog = Dialog(activity, android.R.style.Theme_DeviceDefault_Light_NoActionBar)
        // The child routes URLs like the main WebView and may open windows of its own.
        configurePaymentWebView(child, activity) { dialog.dismiss() }
        dialog.setContentView(child, ViewGroup.LayoutParams(ViewGroup.LayoutParams.MATCH_PARENT, ViewGroup.LayoutParams.MATCH_PARENT))
        dialog.setOnDismissListener { child.destroy() }
        dialog.show()
        val transport = resultMsg.obj as WebView.WebViewTransport
        transport.webView = child
        resultMsg.sendToTarget()
        return true
    }

    override fun onCloseWindow(window: WebView) {
        onClose?.invoke()
    }
}
