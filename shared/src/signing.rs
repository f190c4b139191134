//! The deployment's signing key, for what the service hands out without storing it: a member's
//! conversation link (G11) and an unsubscribe link (G7) are HMAC-SHA256 signatures of what they
//! open, so no table read or write is needed to mint one per email, and none can be forged; a
//! confirmation's tokens are sealed for its replay under a key derived from it and the guest's
//! code, so the table alone (a backup, an export) opens nothing.
//!
//! In AWS the key is a Secrets Manager secret the stack generates (`LINK_KEY_SECRET_ARN`), read
//! on first use and kept for the instance's life; locally `LINK_SIGNING_KEY` holds it (the local
//! scripts generate one per checkout); tests make their own.

use std::sync::Arc;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use thiserror::Error;
use tokio::sync::OnceCell;

type HmacSha256 = Hmac<Sha256>;

/// Hex digits of a signature in a link: 128 bits.
const SIGNATURE_HEX: usize = 32;

#[derive(Debug, Error)]
pub enum SigningError {
    #[error("the signing key could not be read: {0}")]
    Unavailable(String),
}

/// The key, once read.
#[derive(Clone)]
pub struct Key([u8; 32]);

impl Key {
    /// A key from any secret text of enough entropy (its SHA-256).
    pub fn from_secret(secret: &str) -> Self {
        Key(Sha256::digest(secret.as_bytes()).into())
    }

    fn mac(&self, parts: &[&str]) -> [u8; 32] {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length");
        for part in parts {
            mac.update(part.as_bytes());
            mac.update(b"|");
        }
        mac.finalize().into_bytes().into()
    }

    /// The signature of `parts` as a link carries it.
    pub fn sign(&self, parts: &[&str]) -> String {
        hex::encode(self.mac(parts))[..SIGNATURE_HEX].to_string()
    }

    /// Whether `signature` is the signature of `parts`, compared in constant time.
    pub fn verify(&self, parts: &[&str], signature: &str) -> bool {
        let expected = self.sign(parts);
        expected.len() == signature.len()
            && expected.bytes().zip(signature.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }

    /// A 32-byte pad derived from `parts`, for sealing a secret (XOR) that only someone holding
    /// both this key and the parts can open.
    pub fn pad(&self, parts: &[&str]) -> [u8; 32] {
        self.mac(parts)
    }
}

/// Seals secrets (hex) under the key and a context only their owner holds (a hold's code), so a
/// stored copy opens for a replay of the same request and for nothing else.
pub struct Sealer {
    key: Key,
    context: Vec<String>,
}

impl Sealer {
    pub fn new(key: &Key, context: &[&str]) -> Self {
        Sealer { key: key.clone(), context: context.iter().map(|c| c.to_string()).collect() }
    }

    /// `secret` (hex, at most 32 bytes) XOR a pad of the key, the context and `purpose`; its own
    /// inverse, so [`Sealer::open`] is the same operation.
    pub fn seal(&self, purpose: &str, secret: &str) -> String {
        let mut parts: Vec<&str> = self.context.iter().map(String::as_str).collect();
        parts.push(purpose);
        let pad = self.key.pad(&parts);
        let bytes = hex::decode(secret).unwrap_or_default();
        hex::encode(bytes.iter().zip(pad.iter()).map(|(a, b)| a ^ b).collect::<Vec<u8>>())
    }

    pub fn open(&self, purpose: &str, sealed: &str) -> String {
        self.seal(purpose, sealed)
    }
}

enum Source {
    Fixed(Key),
    SecretsManager { client: aws_sdk_secretsmanager::Client, arn: String },
    Missing,
}

/// Where the key comes from, and the key once read.
pub struct Signer {
    source: Source,
    loaded: OnceCell<Key>,
}

impl Signer {
    pub fn fixed(secret: &str) -> Arc<Self> {
        Arc::new(Signer { source: Source::Fixed(Key::from_secret(secret)), loaded: OnceCell::new() })
    }

    /// A key of its own, at random (tests; a process whose links need not outlive it).
    pub fn random() -> Arc<Self> {
        Self::fixed(&crate::secrets::new_secret())
    }

    /// `LINK_SIGNING_KEY` if set; otherwise the Secrets Manager secret `LINK_KEY_SECRET_ARN`.
    pub fn from_env(aws: &aws_config::SdkConfig) -> Arc<Self> {
        let source = match (std::env::var("LINK_SIGNING_KEY"), std::env::var("LINK_KEY_SECRET_ARN")) {
            (Ok(secret), _) if secret.trim().len() >= 32 => Source::Fixed(Key::from_secret(secret.trim())),
            (_, Ok(arn)) if !arn.trim().is_empty() => {
                let config = aws_sdk_secretsmanager::config::Builder::from(aws)
                    .timeout_config(
                        aws_config::timeout::TimeoutConfig::builder()
                            .operation_timeout(std::time::Duration::from_secs(3))
                            .build(),
                    )
                    .build();
                Source::SecretsManager {
                    client: aws_sdk_secretsmanager::Client::from_conf(config),
                    arn: arn.trim().into(),
                }
            }
            _ => Source::Missing,
        };
        Arc::new(Signer { source, loaded: OnceCell::new() })
    }

    /// The key: read once, then kept.
    pub async fn key(&self) -> Result<&Key, SigningError> {
        self.loaded
            .get_or_try_init(|| async {
                match &self.source {
                    Source::Fixed(key) => Ok(key.clone()),
                    Source::SecretsManager { client, arn } => {
                        let out = client.get_secret_value().secret_id(arn).send().await.map_err(|e| {
                            SigningError::Unavailable(aws_sdk_secretsmanager::error::DisplayErrorContext(e).to_string())
                        })?;
                        let secret = out.secret_string().unwrap_or_default();
                        if secret.len() < 32 {
                            return Err(SigningError::Unavailable("the secret is shorter than 32 characters".into()));
                        }
                        Ok(Key::from_secret(secret))
                    }
                    Source::Missing => {
                        Err(SigningError::Unavailable("set LINK_SIGNING_KEY or LINK_KEY_SECRET_ARN".into()))
                    }
                }
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_for_what_they_sign() {
        let key = Key::from_secret("a local demo key of at least 32 characters");
        let sig = key.sign(&["cvm", "t1", "c1", "m1"]);
        assert_eq!(sig.len(), SIGNATURE_HEX);
        assert!(key.verify(&["cvm", "t1", "c1", "m1"], &sig));
        assert!(!key.verify(&["cvm", "t1", "c1", "m2"], &sig), "another member");
        assert!(!key.verify(&["uns", "t1", "c1", "m1"], &sig), "another purpose");
        assert!(!key.verify(&["cvm", "t1", "c1m", "1"], &sig), "parts are separated");
        let other = Key::from_secret("another key of at least thirty-two characters");
        assert!(!other.verify(&["cvm", "t1", "c1", "m1"], &sig), "another key");
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_context() {
        let key = Key::from_secret("a local demo key of at least 32 characters");
        let secret = crate::secrets::new_secret();
        let sealed = Sealer::new(&key, &["replay", "123456"]).seal("manage", &secret);
        assert_ne!(sealed, secret);
        assert_eq!(Sealer::new(&key, &["replay", "123456"]).open("manage", &sealed), secret);
        assert_ne!(Sealer::new(&key, &["replay", "123457"]).open("manage", &sealed), secret, "another code");
        assert_ne!(Sealer::new(&key, &["replay", "123456"]).open("session", &sealed), secret, "another purpose");
    }
}
