//! Lambda function `guest`: a guest signs in by email code, lists their meetings and
//! conversations, signs out (G3). Everything lives in the `shared` crate.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::lambda::run(shared::function::Function::Guest).await
}
