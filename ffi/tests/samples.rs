//! The sample apps carry generated blocks; they must equal what `hanpay manifest` prints
//! today, or a launch the classifier allows would be invisible to the app (Android package
//! visibility, iOS `canOpenURL`). Fix a failure with the sample's update script.

use std::path::PathBuf;

/// The lines strictly between the BEGIN/END markers, without their indentation.
fn generated_block(relative: &str, marker: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let begin = format!("<!-- BEGIN {marker} -->");
    let end = format!("<!-- END {marker} -->");
    let inside: Vec<&str> = text
        .lines()
        .skip_while(|line| line.trim() != begin)
        .skip(1)
        .take_while(|line| line.trim() != end)
        .map(str::trim)
        .collect();
    assert!(
        !inside.is_empty(),
        "{}: no block between {begin} and {end}",
        path.display()
    );
    inside.join("\n")
}

fn trimmed_lines(text: &str) -> String {
    text.lines().map(str::trim).collect::<Vec<_>>().join("\n")
}

#[test]
fn android_sample_queries_match_the_scheme_table() {
    let block = generated_block(
        "android-sample/app/src/main/AndroidManifest.xml",
        "hanpay manifest android",
    );
    assert_eq!(
        block,
        trimmed_lines(&hanpay::apps::android_queries_manifest()),
        "run android-sample/scripts/update-queries.sh"
    );
}

#[test]
fn ios_sample_query_schemes_match_the_scheme_table() {
    let block = generated_block("ios-sample/HanpaySample/Info.plist", "hanpay manifest ios");
    assert_eq!(
        block,
        trimmed_lines(&hanpay::apps::ios_queries_plist()),
        "run ios-sample/scripts/update-query-schemes.sh"
    );
}

/// The JNI symbols the Kotlin binding declares exist in the bridge, so a renamed function
/// cannot silently become an `UnsatisfiedLinkError` on a phone.
#[test]
fn kotlin_binding_matches_the_jni_symbols() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let kotlin = std::fs::read_to_string(
        root.join("../android-sample/app/src/main/java/kr/hanpay/Hanpay.kt"),
    )
    .expect("Hanpay.kt");
    let java = std::fs::read_to_string(root.join("tests/java/kr/hanpay/Hanpay.java"))
        .expect("Hanpay.java");
    let jni = include_str!("../src/jni.rs");
    let declared: Vec<&str> = kotlin
        .split("external fun ")
        .skip(1)
        .filter_map(|rest| rest.split('(').next())
        .collect();
    assert_eq!(declared.len(), 6, "{declared:?}");
    for name in declared {
        assert!(
            jni.contains(&format!("fn Java_kr_hanpay_Hanpay_{name}<")),
            "{name}: no JNI symbol"
        );
        assert!(
            java.contains(&format!(" {name}(")),
            "{name}: missing from the JVM test binding"
        );
    }
}
