//! A function carrying only what it needs, for comparison: the health check alone (the store's
//! ping behind lambda_http), without the route table, mail, events or feeds that the shared
//! artifact carries. Built with the same profile; the cold-start bench times it beside the
//! bootstrap to show what one artifact for every function costs at start-up.

use lambda_http::{run, service_fn, Body, Error, Request, Response};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let table = std::env::var("TABLE_NAME")?;
    let store = shared::store::Store::from_env(table).await;
    let store = &store;
    run(service_fn(move |_request: Request| async move {
        let status = if store.ping().await.is_ok() { 200 } else { 503 };
        Ok::<_, Error>(Response::builder().status(status).body(Body::from("{}")).expect("a response"))
    }))
    .await
}
