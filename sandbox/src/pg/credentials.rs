//! The published test credentials every emulator and the demo merchant use, in one file
//! (issue 15: they lived in the merchant, so every emulator depended on it).
//!
//! The KCP, KISPG, XPay, Smartro and KSNET values are the ones the vendors' public samples
//! publish (notes/pg-protocols.md §1.4, §2.1, §3.1, §4.2, §5.4). SMARTRO PAY's are made up:
//! the keys in its public samples belong to real merchants.

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
/// (the sandbox's `mod` gateway, api_kcp.rs); the merchant signs with the private key
/// (hanpay-client `kcp_private_key`, hanpay/server `kcpPrivateKey`, the demo's lifecycle routes).
/// KCP's own published test key ships encrypted and cannot be committed in usable form.
pub const KCP_TEST_PUBLIC_KEY: &str = include_str!("../../../tests/data/kcp-test-public.pem");
pub const KCP_TEST_PRIVATE_KEY: &str = include_str!("../../../tests/data/kcp-test-key.pem");
pub const KSPAY_STORE_ID: &str = "2999199999";

/// The sandbox's own test merchant (a made-up pair: the published samples' keys belong to
/// real merchants).
pub const SMARTROPAY_MID: &str = "t_hanpay1m";
pub const SMARTROPAY_KEY: &str =
    "N6GS8Q7A4hDr5/YWJKoxYAf5qPgk0qtQfTGlsHfcZMIPEQqlsV6mXbxVfBz48EeOMidIS90UiaTyvR2Hn3HSeTd0";
/// The cancel password registered for the test merchant (S5 `CANCEL_PW`).
pub const SMARTROPAY_CANCEL_PWD: &str = "123456";

/// The test merchant's key for `pg` (empty where the PG signs with none: KCP, KSNET).
pub fn merchant_key(pg: hanpay::pg::Pg) -> &'static str {
    use hanpay::pg::Pg;
    match pg {
        Pg::Xpay => XPAY_KEY,
        Pg::Smartro => SMARTRO_KEY,
        Pg::SmartroPay => SMARTROPAY_KEY,
        Pg::Kispg => KISPG_KEY,
        Pg::Kcp | Pg::Kspay => "",
    }
}
