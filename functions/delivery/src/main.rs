//! Lambda function `delivery`: run every minute by an EventBridge schedule, it delivers what the
//! outbox holds that is due (notifications still pending, reminders). Everything lives in the
//! `shared` crate.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::http::lambda::run_delivery().await
}
