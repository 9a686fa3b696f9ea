/*
 * The C ABI under test: every shared case (tests/data/classify.json, user-agents.json) goes
 * through hanpay_classify (also checked against hanpay_classify_with(…, "default")),
 * hanpay_classify_with(…, "strict") / hanpay_detect, plus the argument-handling contract of
 * hanpay.h.
 *
 * Usage: bridge_test CASES.tsv   (CASES.tsv from `cargo run -p hanpay-ffi --example bridge_cases`)
 * Prints one line per failure and a closing "N passed, N failed"; exits non-zero on failure.
 */
#define _POSIX_C_SOURCE 200809L /* getline */

#include "hanpay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed, skipped;

static void report(int ok, const char *what, const char *detail) {
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s: %s\n", what, detail ? detail : "(null)");
    }
}

/* Decodes hex text in place into bytes; returns the length, or -1 on bad input. */
static long unhex(char *text) {
    size_t n = strlen(text);
    if (n % 2) return -1;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned int byte;
        if (sscanf(text + 2 * i, "%2x", &byte) != 1) return -1;
        text[i] = (char)byte;
    }
    text[n / 2] = '\0';
    return (long)(n / 2);
}

/* True when `json` holds `fragment` ("key":value) right after '{' or ','. */
static int has_member(const char *json, const char *fragment) {
    for (const char *at = strstr(json, fragment); at; at = strstr(at + 1, fragment)) {
        if (at > json && (at[-1] == '{' || at[-1] == ',')) return 1;
    }
    return 0;
}

static void run_case(char *line) {
    char *fields[64];
    int count = 0;
    /* Split on tabs by hand: strtok would merge the empty field of an empty URL. */
    line[strcspn(line, "\r\n")] = '\0';
    fields[count++] = line;
    for (char *tab = strchr(line, '\t'); tab && count < 64; tab = strchr(tab + 1, '\t')) {
        *tab = '\0';
        fields[count++] = tab + 1;
    }
    if (count < 4) {
        report(0, "cases file", "a line has fewer than 4 fields");
        return;
    }
    for (int i = 1; i < count; i++) {
        if (i == 2 && strcmp(fields[0], "detect") == 0) continue; /* touch points: plain number */
        long len = unhex(fields[i]);
        if (len < 0) {
            report(0, fields[1], "field is not hex");
            return;
        }
        if ((long)strlen(fields[i]) != len) {
            /* A NUL inside a field cannot cross a C string API; the JVM test runs such cases. */
            skipped++;
            return;
        }
    }
    char *out;
    if (strcmp(fields[0], "classify") == 0) {
        out = hanpay_classify(fields[3], fields[2]);
        char *named = hanpay_classify_with(fields[3], fields[2], "default");
        int same = out != NULL && named != NULL && strcmp(out, named) == 0;
        hanpay_string_free(named);
        if (!same) {
            report(0, fields[1], "hanpay_classify and hanpay_classify_with(\"default\") differ");
            hanpay_string_free(out);
            return;
        }
    } else if (strcmp(fields[0], "classify-strict") == 0) {
        out = hanpay_classify_with(fields[3], fields[2], "strict");
    } else if (strcmp(fields[0], "detect") == 0) {
        out = hanpay_detect(fields[3], (uint32_t)strtoul(fields[2], NULL, 10));
    } else {
        report(0, "cases file", fields[0]);
        return;
    }
    int ok = out != NULL && strncmp(out, "{\"error\"", 8) != 0;
    for (int i = 4; ok && i < count; i++) {
        if (!has_member(out, fields[i])) {
            printf("  expected %s\n", fields[i]);
            ok = 0;
        }
    }
    report(ok, fields[1], out);
    hanpay_string_free(out);
}

/* Checks a returned string holds `needle`, then releases it as hanpay.h requires. */
static void expect_contains(const char *what, char *out, const char *needle) {
    report(out != NULL && strstr(out, needle) != NULL, what, out);
    hanpay_string_free(out);
}

static void contract(void) {
    static const char bad_utf8[] = {'h', 't', 't', 'p', ':', (char)0xff, 0};
    expect_contains("null url", hanpay_classify(NULL, "android"), "\"code\":\"null-argument\"");
    expect_contains("null platform", hanpay_classify("https://a.example/", NULL), "\"code\":\"null-argument\"");
    expect_contains("invalid UTF-8 url", hanpay_classify(bad_utf8, "ios"), "\"code\":\"invalid-utf8\"");
    expect_contains("unknown platform", hanpay_classify("https://a.example/", "symbian"), "\"code\":\"platform-unknown\"");
    expect_contains("null policy", hanpay_classify_with("myshop://x", "android", NULL), "\"code\":\"null-argument\"");
    expect_contains("unknown policy", hanpay_classify_with("myshop://x", "android", "lax"), "\"code\":\"policy-unknown\"");
    expect_contains("strict policy", hanpay_classify_with("myshop://x", "android", "strict"), "\"reason\":\"unlisted-scheme\"");
    expect_contains("null user agent", hanpay_detect(NULL, 0), "\"code\":\"null-argument\"");
    expect_contains("android manifest", hanpay_manifest("android"), "<queries>");
    expect_contains("ios manifest", hanpay_manifest("ios"), "LSApplicationQueriesSchemes");
    expect_contains("app return, Android WebView",
        hanpay_app_return("Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 "
                          "(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36", 5, "MyShop"),
        "\"resultScheme\":\"myshop://\"");
    expect_contains("app return, no scheme",
        hanpay_app_return("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
                          "(KHTML, like Gecko) Mobile/15E148", 5, NULL),
        "\"appSchemeFlg\":\"0\"");
    expect_contains("app return, bad scheme", hanpay_app_return("x", 0, "my shop"), "\"code\":\"invalid-scheme\"");
    hanpay_string_free(NULL);
    const char *version = hanpay_version();
    report(version != NULL && strchr(version, '.') != NULL, "version", version);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s CASES.tsv\n", argv[0]);
        return 2;
    }
    FILE *cases = fopen(argv[1], "r");
    if (!cases) {
        perror(argv[1]);
        return 2;
    }
    int shared = 0;
    size_t cap = 0;
    char *line = NULL;
    while (getline(&line, &cap, cases) > 0) {
        run_case(line);
        shared++;
    }
    free(line);
    fclose(cases);
    report(shared > 0, "cases file", "no shared cases were read");
    contract();
    printf("c bridge: %d shared cases\n", shared);
    printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed ? 1 : 0;
}
