//! The yardstick: the smallest `lambda_http` function, built with the same profile as the
//! service's bootstrap, so the cold-start bench compares like with like.

use lambda_http::{run, service_fn, Body, Error, Request, Response};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(|_request: Request| async { Ok::<_, Error>(Response::new(Body::from("ok"))) })).await
}
