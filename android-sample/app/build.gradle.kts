plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "kr.hanpay.sample"
    compileSdk = 34

    defaultConfig {
        applicationId = "kr.hanpay.sample"
        // minSdk 24: WebViewClient.shouldOverrideUrlLoading(WebView, WebResourceRequest).
        minSdk = 24
        // targetSdk >= 30 makes package visibility apply, hence the generated <queries>.
        targetSdk = 34
        versionCode = 1
        versionName = "0.1.0"
        // The sandbox demo checkout as seen from the Android emulator (10.0.2.2 = host's
        // 127.0.0.1). Override with -PcheckoutUrl=https://… for a device.
        val checkoutUrl = (project.findProperty("checkoutUrl") as String?) ?: "http://10.0.2.2:8080/"
        buildConfigField("String", "CHECKOUT_URL", "\"$checkoutUrl\"")
        // Must equal the <data android:scheme> in AndroidManifest.xml.
        buildConfigField("String", "APP_SCHEME", "\"hanpaysample\"")
        ndk {
            abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64")
        }
    }

    buildFeatures {
        buildConfig = true
    }

    buildTypes {
        release {
            isMinifyEnabled = false
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions {
        jvmTarget = "17"
    }
}
