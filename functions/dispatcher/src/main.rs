//! Lambda function `dispatcher`: run every minute by an EventBridge schedule, it sends the due
//! notifications and reminders from the outbox. Everything lives in the `shared` crate.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::http::lambda::run_dispatcher().await
}
