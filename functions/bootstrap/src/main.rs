//! The one binary every Lambda function of the stack runs (`bootstrap`, as the `provided.al2023`
//! runtime expects). Each function is still its own Lambda (its own IAM role, memory, timeout,
//! alarms and routes); `SCHEDULER_FUNCTION` (set per function in `template.yaml`) says which it
//! is, and only that function's routes are served. Built once, uploaded once.

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let name = std::env::var("SCHEDULER_FUNCTION").unwrap_or_default();
    let function = shared::function::Function::from_name(&name)
        .ok_or_else(|| format!("SCHEDULER_FUNCTION must name a function of shared::function, not `{name}`"))?;
    // One thread: a Lambda instance handles one request at a time, and a second worker thread
    // is start-up work no request needs.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(shared::http::lambda::run_function(function))
}
