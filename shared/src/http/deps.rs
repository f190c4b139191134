//! What every handler needs, built once per Lambda instance (cold start) or per local server.

use std::sync::Arc;

use crate::clock::Clock;
use crate::store::Store;

#[derive(Clone)]
pub struct Config {
    /// SHA-256 (hex) of the operator key; the key itself is never configured anywhere.
    /// `None` disables the operator endpoints.
    pub operator_key_hash: Option<String>,
}

impl Config {
    pub fn from_env() -> Self {
        let operator_key_hash =
            std::env::var("OPERATOR_KEY_SHA256").ok().map(|h| h.trim().to_lowercase()).filter(|h| !h.is_empty());
        Self { operator_key_hash }
    }
}

#[derive(Clone)]
pub struct Deps {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub config: Config,
}

impl Deps {
    /// Reads `TABLE_NAME` and the standard AWS variables. Only configuration happens here: no
    /// request is made to AWS until a handler needs one, to keep cold starts short.
    pub async fn from_env(clock: Arc<dyn Clock>) -> Result<Self, String> {
        let table = std::env::var("TABLE_NAME").map_err(|_| "TABLE_NAME must name the DynamoDB table".to_string())?;
        Ok(Self { store: Store::from_env(table).await, clock, config: Config::from_env() })
    }
}
