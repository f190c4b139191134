//! Lambda function `admin`: POST /v1/tenants, POST/GET /v1/pbxs, POST/GET /v1/agents, PATCH /v1/agents/{id}.
//! Everything lives in the `shared` crate; this binary only names which routes it serves.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::lambda::run(shared::function::Function::Admin).await
}
