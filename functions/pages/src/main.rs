//! Lambda function `pages`: the guest's booking and manage pages (GET /b/{slug}, /b/manage/{id}, /b/assets/{name}).
//! Everything lives in the `shared` crate; this binary only names which routes it serves.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::lambda::run(shared::function::Function::Pages).await
}
