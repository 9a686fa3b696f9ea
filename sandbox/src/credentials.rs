//! The published test credentials every emulator and the demo merchant use, in one file
//! (issue 15: they lived in the merchant, so every emulator depended on it), and one
//! [`TestMerchant`] row per PG: the PG-native facts the demo merchant sends with them, so the
//! merchant reads a row instead of switching on the PG.
//!
//! The KCP, KISPG, XPay, Smartro and KSNET values are the ones the vendors' public samples
//! publish (notes/pg-protocols.md §1.4, §2.1, §3.1, §4.2, §5.4). SMARTRO PAY's are made up:
//! the keys in its public samples belong to real merchants.

use hanpay::pg::Pg;

pub const SMARTRO_MID: &str = "SMTPAY001m";
pub const SMARTRO_KEY: &str =
    "0/4GFsSd7ERVRGX9WHOzJ96GyeMTwvIaKSWUCKmN3fDklNRGw3CualCFoMPZaS99YiFGOuwtzTkrLo4bR4V+Ow==";
/// The cancel password registered in Smartro's merchant admin (manual 001 §5.2.1 `Cancelpw`).
pub const SMARTRO_CANCEL_PW: &str = "123456";
pub const KISPG_MID: &str = "kistest00m";
pub const KISPG_KEY: &str =
    "2d6ECGhR1pg/1QGE1lcRI4awsWEgshjEyI8UgYslLPJSuNeyPTkdrT8XWARezvDTUJClWQWhjxzBbu7AsuLZqg==";
pub const XPAY_CST_MID: &str = "lgdacomxpay";
pub const XPAY_KEY: &str = "95160cce09854ef44d2edb2bfb05f9f3";
pub const KCP_SITE_CD: &str = "T0000";
/// Sent as `kcp_cert_info`: the sandbox holds no KCP certificate and checks only the PEM
/// framing; a real merchant sends the certificate KCP issued to it.
pub const KCP_CERT_INFO: &str =
    "-----BEGIN CERTIFICATE-----hanpay-sandbox-----END CERTIFICATE-----";
/// The test merchant's KCP key pair for `kcp_sign_data` (notes §3.2: RSA-SHA256 over
/// `site_cd^tno^mod_type`), generated for hanpay's tests (`openssl genpkey -algorithm RSA
/// -pkeyopt rsa_keygen_bits:2048`): KCP verifies with the public key registered for the site
/// (the sandbox's `mod` gateway, emulator/kcp/api.rs); the merchant signs with the private key
/// (hanpay-client `kcp_private_key`, hanpay/server `kcpPrivateKey`, the demo's lifecycle routes).
/// KCP's own published test key ships encrypted and cannot be committed in usable form.
pub const KCP_TEST_PUBLIC_KEY: &str = include_str!("../../tests/data/kcp-test-public.pem");
pub const KCP_TEST_PRIVATE_KEY: &str = include_str!("../../tests/data/kcp-test-key.pem");
pub const KSPAY_STORE_ID: &str = "2999199999";

/// The sandbox's own test merchant (a made-up pair: the published samples' keys belong to
/// real merchants).
pub const SMARTROPAY_MID: &str = "t_hanpay1m";
pub const SMARTROPAY_KEY: &str =
    "N6GS8Q7A4hDr5/YWJKoxYAf5qPgk0qtQfTGlsHfcZMIPEQqlsV6mXbxVfBz48EeOMidIS90UiaTyvR2Hn3HSeTd0";
/// The cancel password registered for the test merchant (S5 `CANCEL_PW`).
pub const SMARTROPAY_CANCEL_PWD: &str = "123456";

/// `res_cd` of a buyer who closed KCP's window (notes §3.3).
pub const KCP_USER_CANCEL: &str = "3001";
/// What XPay's official `returnurl.php` samples treat as the buyer closing the window.
pub const XPAY_USER_CANCEL: &str = "S053";
/// Sandbox-defined: KISPG manual 004 §8.2 lists no code for a buyer who leaves the auth window,
/// so the emulator posts this one. The library knows no KISPG cancel code (data/pg/kispg.json
/// `return.cancel` is null), so a merchant reads such a post as `failed`, not `cancelled`; the
/// desktop window's cancel is the `XXXX` message the browser reads as USER_CANCEL.
pub const KISPG_USER_CANCEL: &str = "C999";

/// Fields in a PG's own names, as the rows below list them.
pub type Fields = &'static [(&'static str, &'static str)];

/// One PG's test merchant: its credentials and the PG-native facts the demo merchant
/// (`merchant/`) sends with them beyond what `hanpay::order::Order` covers.
pub struct TestMerchant {
    pub pg: Pg,
    /// The merchant id of the checkout form (XPay `CST_MID`, Smartro `MID`, KCP `site_cd`,
    /// KSNET `sndStoreid`, KISPG `mid`, SMARTRO PAY `Mid`).
    pub mid: &'static str,
    /// The signing key; empty where the PG signs with none (KCP, KSNET).
    pub key: &'static str,
    /// Fixed checkout fields the generic order does not cover.
    pub checkout_fields: Fields,
    /// The field that carries a virtual account's expiry (three days ahead), where the
    /// merchant sets one.
    pub vbank_expiry_field: Option<&'static str>,
    /// The browser step posts no order id back, so the merchant's return URL carries it
    /// (`?oid=`; a real merchant would keep it in the session).
    pub return_carries_order: bool,
    /// The merchant's configuration sent with the approval step (`call::complete`).
    pub approval_fields: Fields,
    /// The merchant's configuration sent with cancels, captures and lookups.
    pub lifecycle_fields: Fields,
    /// The request field that carries the signature (the lifecycle `tamper` hook's target).
    pub signature_field: &'static str,
    /// Whether the answer to a full cancel states the amount (XPay's answers only
    /// `LGD_RESPCODE`/`LGD_RESPMSG`, manual 000 §7.2).
    pub full_cancel_states_amount: bool,
}

/// The six test merchants, one per `Pg`.
pub const TEST_MERCHANTS: &[TestMerchant] = &[
    TestMerchant {
        pg: Pg::Smartro,
        mid: SMARTRO_MID,
        key: SMARTRO_KEY,
        checkout_fields: &[("MallIP", "127.0.0.1")],
        vbank_expiry_field: Some("VbankExpDate"),
        return_carries_order: false,
        approval_fields: &[],
        lifecycle_fields: &[("Cancelpw", SMARTRO_CANCEL_PW)],
        signature_field: "hashData",
        full_cancel_states_amount: true,
    },
    TestMerchant {
        pg: Pg::Kispg,
        mid: KISPG_MID,
        key: KISPG_KEY,
        checkout_fields: &[],
        vbank_expiry_field: None,
        return_carries_order: false,
        approval_fields: &[("mid", KISPG_MID)],
        lifecycle_fields: &[("mid", KISPG_MID)],
        signature_field: "encData",
        full_cancel_states_amount: true,
    },
    TestMerchant {
        pg: Pg::Xpay,
        mid: XPAY_CST_MID,
        key: XPAY_KEY,
        checkout_fields: &[],
        vbank_expiry_field: None,
        return_carries_order: true,
        approval_fields: &[("CST_MID", XPAY_CST_MID)],
        lifecycle_fields: &[("CST_MID", XPAY_CST_MID)],
        signature_field: "LGD_AUTHCODE",
        full_cancel_states_amount: false,
    },
    TestMerchant {
        pg: Pg::Kcp,
        mid: KCP_SITE_CD,
        key: "",
        checkout_fields: &[("site_name", "hanpay sandbox"), ("encoding_trans", "UTF-8")],
        vbank_expiry_field: None,
        return_carries_order: false,
        approval_fields: &[("site_cd", KCP_SITE_CD), ("kcp_cert_info", KCP_CERT_INFO)],
        lifecycle_fields: &[("site_cd", KCP_SITE_CD), ("kcp_cert_info", KCP_CERT_INFO)],
        signature_field: "kcp_sign_data",
        full_cancel_states_amount: true,
    },
    TestMerchant {
        pg: Pg::Kspay,
        mid: KSPAY_STORE_ID,
        key: "",
        checkout_fields: &[("sndStoreName", "hanpay")],
        vbank_expiry_field: None,
        return_carries_order: true,
        approval_fields: &[],
        lifecycle_fields: &[],
        signature_field: "encData",
        full_cancel_states_amount: true,
    },
    TestMerchant {
        pg: Pg::SmartroPay,
        mid: SMARTROPAY_MID,
        key: SMARTROPAY_KEY,
        checkout_fields: &[("MallIp", "127.0.0.1")],
        vbank_expiry_field: None,
        return_carries_order: false,
        approval_fields: &[],
        lifecycle_fields: &[
            ("Mid", SMARTROPAY_MID),
            ("CancelPwd", SMARTROPAY_CANCEL_PWD),
        ],
        signature_field: "EncData",
        full_cancel_states_amount: true,
    },
];

/// The test merchant of the PG named `name` (`Pg::from_name`).
pub fn test_merchant(name: &str) -> Option<&'static TestMerchant> {
    let pg = Pg::from_name(name)?;
    TEST_MERCHANTS.iter().find(|m| m.pg == pg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pg_has_one_test_merchant() {
        for pg in Pg::ALL {
            assert_eq!(
                TEST_MERCHANTS.iter().filter(|m| m.pg == pg).count(),
                1,
                "{}",
                pg.name()
            );
            assert!(test_merchant(pg.name()).is_some_and(|m| m.pg == pg));
        }
    }
}
