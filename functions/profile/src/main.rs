//! Lambda function `profile`: GET /v1/book/{slug}.
//! Everything lives in the `shared` crate; this binary only names which routes it serves.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::lambda::run(shared::function::Function::Profile).await
}
