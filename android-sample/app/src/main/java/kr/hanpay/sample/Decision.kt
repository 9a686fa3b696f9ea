package kr.hanpay.sample

import org.json.JSONObject

/** The classifier's verdict for one URL (see `hanpay classify`), read from the bridge's JSON. */
data class Decision(
    val action: String,
    val scheme: String?,
    val packageName: String?,
    val category: String?,
    val launchUrl: String?,
    val fallbackUrl: String?,
    val storeUrl: String?,
    val reason: String,
) {
    companion object {
        fun parse(json: String): Decision {
            val o = JSONObject(json)
            o.optJSONObject("error")?.let { error ->
                // A bridge error (never expected for a real URL): neither load nor launch.
                return Decision("block", null, null, null, null, null, null, "bridge-" + error.optString("code"))
            }
            fun text(key: String): String? = if (o.isNull(key)) null else o.getString(key)
            return Decision(
                action = o.getString("action"),
                scheme = text("scheme"),
                packageName = text("package"),
                category = text("category"),
                launchUrl = text("launch_url"),
                fallbackUrl = text("fallback_url"),
                storeUrl = text("store_url"),
                reason = o.getString("reason"),
            )
        }
    }
}
