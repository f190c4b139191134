//! The HTTP edge: request parsing, auth, problem+json, and the route table every function and
//! the local server serve. Handlers stay thin: parse, authorise, call the domain and the store,
//! map errors.

pub mod auth;
pub mod handlers;
pub mod lambda;
pub mod problem;
pub mod request;
pub mod router;
pub mod routes;
pub mod telemetry;
pub mod views;

/// Every handler answers with this; the body is JSON text or empty.
pub type Response = http::Response<lambda_http::Body>;

/// A JSON response with the given status.
/// 204: done, nothing to say.
pub fn no_content() -> Response {
    http::Response::builder().status(204).body(lambda_http::Body::Empty).expect("valid response")
}

pub fn json<T: serde::Serialize>(status: u16, body: &T) -> Response {
    let text = serde_json::to_string(body).expect("response bodies serialise");
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(lambda_http::Body::Text(text))
        .expect("valid response")
}
