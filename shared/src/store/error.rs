use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use thiserror::Error;

/// What can go wrong talking to the table, in the terms a handler needs to answer.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A conditional write lost: the item changed since it was read, or already exists.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// DynamoDB throttled us; the caller may retry shortly.
    #[error("the database is busy, retry shortly")]
    Throttled,
    /// The database could not be reached or failed; nothing was written.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// An item did not have the shape this code writes: a bug or a hand edit.
    #[error("a stored item is malformed: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub fn from_sdk<E, R>(err: SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        let timed_out = match &err {
            SdkError::TimeoutError(_) => true,
            SdkError::DispatchFailure(failure) => failure.is_timeout(),
            _ => false,
        };
        if timed_out {
            return StoreError::Unavailable("the database did not answer in time".into());
        }
        if let Some(code) = err.code() {
            if matches!(code, "ProvisionedThroughputExceededException" | "ThrottlingException" | "RequestLimitExceeded")
            {
                return StoreError::Throttled;
            }
        }
        let detail = match err.message() {
            Some(message) => format!("{}: {message}", err.code().unwrap_or("error")),
            None => format!("{}", aws_sdk_dynamodb::error::DisplayErrorContext(&err)),
        };
        StoreError::Unavailable(detail)
    }
}

impl From<serde_dynamo::Error> for StoreError {
    fn from(err: serde_dynamo::Error) -> Self {
        StoreError::Corrupt(err.to_string())
    }
}
