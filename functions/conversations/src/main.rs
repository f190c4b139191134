//! Lambda function `conversations`: GET and PATCH /v1/conversations/{id}.
//! Everything lives in the `shared` crate; this binary only names which routes it serves.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::lambda::run(shared::function::Function::Conversations).await
}
