//! The signature the merchant makes with its own RSA private key over the input
//! [`hanpay::pg::call::key_signature`] names, for the PG whose `SERVER.key_signature` asks for
//! one. Today that is KCP's `kcp_sign_data` for the REST `mod` calls (cancel `STSC`, partial
//! cancel `STPC`, acquisition `STMR`): base64 of the RSA signature (PKCS#1 v1.5, SHA-256 —
//! `openssl_sign(…, 'sha256WithRSAEncryption')` in the integrations notes §3.2 cites) over
//! `site_cd^tno^mod_type` ([`hanpay::pg::kcp::call::sign_input`]). Manual 003 predates the REST
//! gateway and does not describe it; notes §3.2 is the source.

use base64::Engine;
use hanpay::{Rule, ValidationError};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::RsaPrivateKey;
use sha2::Sha256;

/// The merchant's private key from PEM: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1
/// (`BEGIN RSA PRIVATE KEY`). An encrypted PKCS#8 key (KCP ships its test key encrypted) is
/// decrypted first: `openssl pkcs8 -in splPrikeyPKCS8.pem -out key.pem`.
pub fn private_key(pem: &str) -> Result<RsaPrivateKey, ValidationError> {
    RsaPrivateKey::from_pkcs8_pem(pem)
        .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
        .map_err(|_| {
            ValidationError::new(
                "kcp_private_key",
                Rule::Format,
                "an unencrypted RSA private key in PEM (PKCS#8 or PKCS#1)",
            )
        })
}

/// The signature of `input` ([`hanpay::pg::call::key_signature`]'s), base64.
pub fn sign(key: &RsaPrivateKey, input: &str) -> String {
    let signer = SigningKey::<Sha256>::new(key.clone());
    let sig = signer.sign(input.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(sig.to_bytes())
}
