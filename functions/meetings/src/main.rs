//! Lambda function `meetings`: GET, PATCH, DELETE /v1/meetings/{id}.
//! Everything lives in the `shared` crate; this binary only names which routes it serves.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::lambda::run(shared::function::Function::Meetings).await
}
