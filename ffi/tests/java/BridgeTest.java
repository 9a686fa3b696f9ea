import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kr.hanpay.Hanpay;

/**
 * The JNI bridge under test in a plain JVM (no Android SDK): every shared case from the
 * cases file (see ffi/examples/bridge_cases.rs) goes through kr.hanpay.Hanpay, plus the
 * argument-handling contract. Usage: java BridgeTest /abs/path/libhanpay_ffi.so CASES.tsv
 * Prints one line per failure and a closing "N passed, N failed".
 */
public final class BridgeTest {
    private static int passed;
    private static int failed;

    private static void report(boolean ok, String what, String detail) {
        if (ok) {
            passed++;
        } else {
            failed++;
            System.out.println("FAIL " + what + ": " + detail);
        }
    }

    private static String unhex(String text) {
        byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** True when json holds fragment ("key":value) right after '{' or ','. */
    private static boolean hasMember(String json, String fragment) {
        for (int at = json.indexOf(fragment); at >= 0; at = json.indexOf(fragment, at + 1)) {
            if (at > 0 && (json.charAt(at - 1) == '{' || json.charAt(at - 1) == ',')) {
                return true;
            }
        }
        return false;
    }

    private static void runCase(String line) {
        String[] fields = line.split("\t", -1);
        if (fields.length < 4) {
            report(false, "cases file", "a line has fewer than 4 fields");
            return;
        }
        String name = unhex(fields[1]);
        String out;
        switch (fields[0]) {
            case "classify":
                out = Hanpay.classify(unhex(fields[3]), unhex(fields[2]));
                String named = Hanpay.classifyWith(unhex(fields[3]), unhex(fields[2]), "default");
                if (out == null || !out.equals(named)) {
                    report(false, name, "classify and classifyWith(\"default\") differ");
                    return;
                }
                break;
            case "classify-strict":
                out = Hanpay.classifyWith(unhex(fields[3]), unhex(fields[2]), "strict");
                break;
            case "detect":
                out = Hanpay.detect(unhex(fields[3]), Integer.parseInt(fields[2]));
                break;
            default:
                report(false, "cases file", fields[0]);
                return;
        }
        boolean ok = out != null && !out.startsWith("{\"error\"");
        for (int i = 4; ok && i < fields.length; i++) {
            String fragment = unhex(fields[i]);
            if (!hasMember(out, fragment)) {
                System.out.println("  expected " + fragment);
                ok = false;
            }
        }
        report(ok, name, out);
    }

    private static void expectContains(String what, String out, String needle) {
        report(out != null && out.contains(needle), what, out);
    }

    private static void contract() {
        expectContains("null url", Hanpay.classify(null, "android"), "\"code\":\"null-argument\"");
        expectContains("null platform", Hanpay.classify("https://a.example/", null), "\"code\":\"null-argument\"");
        expectContains("unknown platform", Hanpay.classify("https://a.example/", "symbian"), "\"code\":\"platform-unknown\"");
        expectContains("null policy", Hanpay.classifyWith("myshop://x", "android", null), "\"code\":\"null-argument\"");
        expectContains("unknown policy", Hanpay.classifyWith("myshop://x", "android", "lax"), "\"code\":\"policy-unknown\"");
        expectContains("strict policy", Hanpay.classifyWith("myshop://x", "android", "strict"), "\"reason\":\"unlisted-scheme\"");
        expectContains("null user agent", Hanpay.detect(null, 0), "\"code\":\"null-argument\"");
        expectContains("negative touch points read as none", Hanpay.detect(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15", -3),
            "\"os\":\"macos\"");
        expectContains("android manifest", Hanpay.manifest("android"), "<queries>");
        expectContains("ios manifest", Hanpay.manifest("ios"), "LSApplicationQueriesSchemes");
        expectContains("app return, Android WebView", Hanpay.appReturn(
            "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 "
                + "(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36", 5, "MyShop"),
            "\"sndRtApp\":\"android\"");
        expectContains("app return, null scheme", Hanpay.appReturn("x", 0, null), "\"appSchemeFlg\":\"0\"");
        expectContains("app return, bad scheme", Hanpay.appReturn("x", 0, "my shop"), "\"code\":\"invalid-scheme\"");
        String version = Hanpay.version();
        report(version != null && version.contains("."), "version", version);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java BridgeTest /abs/path/libhanpay_ffi.so CASES.tsv");
            System.exit(2);
        }
        System.load(Path.of(args[0]).toAbsolutePath().toString());
        List<String> lines = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
        int shared = 0;
        for (String line : lines) {
            if (!line.isEmpty()) {
                runCase(line);
                shared++;
            }
        }
        report(shared > 0, "cases file", "no shared cases were read");
        contract();
        System.out.println("jvm bridge: " + shared + " shared cases");
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
