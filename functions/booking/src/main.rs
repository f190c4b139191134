//! Lambda function `booking`: POST /v1/book/{slug}/meetings.
//! Everything lives in the `shared` crate; this binary only names which routes it serves.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::lambda::run(shared::function::Function::Booking).await
}
