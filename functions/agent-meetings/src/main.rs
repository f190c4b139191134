//! Lambda function `agent-meetings`: POST and GET /v1/me/meetings.
//! Everything lives in the `shared` crate; this binary only names which routes it serves.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::lambda::run(shared::function::Function::AgentMeetings).await
}
