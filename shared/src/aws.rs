//! The AWS SDK configuration every process shares, set up for a short cold start:
//!
//! - TLS trusts the root certificates compiled into the binary (the Mozilla set, as
//!   `webpki-root-certs` ships it) instead of reading the system's certificate store from disk:
//!   every AWS endpoint chains to one of them; and the HTTPS client is built on the first call,
//!   not at start-up;
//! - in Lambda, credentials come from the environment Lambda sets, so the default chain's other
//!   providers (profile files, container and instance metadata) are never built.
//!
//! Endpoints still follow the standard `AWS_ENDPOINT_URL_<SERVICE>` variables (DynamoDB Local
//! and moto locally); nothing else knows the difference.

use aws_config::environment::EnvironmentVariableCredentialsProvider;
use aws_config::{BehaviorVersion, SdkConfig};
use std::sync::OnceLock;

use aws_smithy_http_client::tls::{self, TlsContext, TrustStore};
use aws_smithy_runtime_api::client::http::{HttpClient, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use base64::Engine;

pub async fn sdk_config() -> SdkConfig {
    let http = SharedHttpClient::new(LazyHttps::default());
    let loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http);
    let loader = if std::env::var_os("AWS_LAMBDA_FUNCTION_NAME").is_some() {
        loader.credentials_provider(EnvironmentVariableCredentialsProvider::new())
    } else {
        loader
    };
    loader.load().await
}

/// The SDK's HTTPS client, built when the first call asks for a connection.
#[derive(Debug, Default)]
struct LazyHttps(OnceLock<SharedHttpClient>);

impl HttpClient for LazyHttps {
    fn http_connector(&self, settings: &HttpConnectorSettings, components: &RuntimeComponents) -> SharedHttpConnector {
        let client = self.0.get_or_init(|| {
            aws_smithy_http_client::Builder::new()
                .tls_provider(tls::Provider::Rustls(tls::rustls_provider::CryptoMode::AwsLc))
                .tls_context(TlsContext::builder().with_trust_store(compiled_roots()).build().expect("a TLS context"))
                .build_https()
        });
        client.http_connector(settings, components)
    }
}

/// The compiled-in roots as the SDK's trust store takes them (PEM).
fn compiled_roots() -> TrustStore {
    let mut store = TrustStore::empty().with_native_roots(false);
    for der in webpki_root_certs::TLS_SERVER_ROOT_CERTS {
        let body = base64::engine::general_purpose::STANDARD.encode(der.as_ref());
        let mut pem = String::with_capacity(body.len() + 80);
        pem.push_str("-----BEGIN CERTIFICATE-----\n");
        for line in body.as_bytes().chunks(64) {
            pem.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
            pem.push('\n');
        }
        pem.push_str("-----END CERTIFICATE-----\n");
        store.add_pem_certificate(pem.into_bytes());
    }
    store
}
