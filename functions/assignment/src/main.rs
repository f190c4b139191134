//! Lambda function `assignment`: PUT /v1/conversations/{id}/assignee.
//! Everything lives in the `shared` crate; this binary only names which routes it serves.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::lambda::run(shared::function::Function::Assignment).await
}
