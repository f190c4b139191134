//! The path a deployed function takes: API Gateway's own REST event (as JSON, stage and all)
//! through lambda_http's adapter into `http::lambda::handle` with the function's name, and the
//! response back as the JSON the runtime returns to API Gateway. A route that another function
//! serves is refused there, as it would be in AWS.

use integration_tests::TestApp;
use lambda_http::request::LambdaRequest;
use lambda_http::tower::ServiceExt;
use lambda_http::{service_fn, Adapter, Context, LambdaEvent, Request};
use serde_json::{json, Value};
use shared::function::Function;

const NOW: &str = "2027-03-24T08:00:00Z";

async fn invoke(app: &TestApp, function: Function, event: &str) -> Value {
    let payload: LambdaRequest = serde_json::from_str(event).expect("an API Gateway event");
    let deps = &app.deps;
    let service = service_fn(move |request: Request| async move {
        Ok::<_, std::convert::Infallible>(shared::http::lambda::handle(deps, function, request).await)
    });
    let response = Adapter::from(service).oneshot(LambdaEvent::new(payload, Context::default())).await.unwrap();
    serde_json::to_value(&response).unwrap()
}

/// A REST API response carries its headers as `multiValueHeaders`.
fn header<'a>(response: &'a Value, name: &str) -> &'a Value {
    &response["multiValueHeaders"][name][0]
}

fn body(response: &Value) -> Value {
    serde_json::from_str(response["body"].as_str().unwrap_or("null")).unwrap()
}

#[tokio::test]
async fn api_gateway_events_reach_their_function_and_only_theirs() {
    let app = TestApp::at(NOW).await;
    let health = include_str!("../../fixtures/apigw/rest-get-health.json");
    let answer = invoke(&app, Function::Health, health).await;
    assert_eq!(answer["statusCode"], 200, "{answer}");
    assert_eq!(body(&answer)["status"], "ok");
    assert_eq!(header(&answer, "cache-control"), "no-store", "{answer}");

    // The booking function does not serve /v1/health: refused as an unknown route.
    let elsewhere = invoke(&app, Function::Booking, health).await;
    assert_eq!(elsewhere["statusCode"], 404, "{elsewhere}");
    assert_eq!(header(&elsewhere, "content-type"), "application/problem+json");
    assert_eq!(body(&elsewhere)["type"], "/problems/not-found");
}

#[tokio::test]
async fn a_booking_event_books_through_the_booking_function() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let request = json!({ "subject": "From API Gateway", "start": "2027-03-29T07:00:00Z", "name": "Grace", "email": "grace@example.com" });
    let event = include_str!("../../fixtures/apigw/rest-post-booking.json")
        .replace("SLUG", &f.slug)
        .replace("\"BODY\"", &serde_json::to_string(&request.to_string()).unwrap());
    let answer = invoke(&app, Function::Booking, &event).await;
    assert_eq!(answer["statusCode"], 201, "{answer}");
    assert_eq!(body(&answer)["meeting"]["subject"], "From API Gateway");
    assert_eq!(invoke(&app, Function::Slots, &event).await["statusCode"], 404, "the slots function does not book");
    let replay = invoke(&app, Function::Booking, &event).await;
    assert_eq!(header(&replay, "idempotent-replayed"), "true", "the key's header reached the handler");
}

/// One deploy: with no address configured, the links in emails use the address API Gateway says
/// the first request came to (its `execute-api` domain and stage); a configured one (a custom
/// domain) wins.
#[tokio::test]
async fn links_in_emails_use_the_address_api_gateway_reports() {
    let mut app = TestApp::at(NOW).await;
    app.deps.notifier.links = shared::mail::Links::learning();
    let f = app.fixture("Europe/Rome").await;
    let request =
        json!({ "subject": "Learnt", "start": "2027-03-29T07:00:00Z", "name": "Grace", "email": "learnt@example.com" });
    let event = include_str!("../../fixtures/apigw/rest-post-booking.json")
        .replace("SLUG", &f.slug)
        .replace("\"BODY\"", &serde_json::to_string(&request.to_string()).unwrap());
    assert_eq!(invoke(&app, Function::Booking, &event).await["statusCode"], 201);
    assert_eq!(app.deps.notifier.links.base(), "https://k3x9q2abcd.execute-api.eu-south-1.amazonaws.com/prod");
    let mail = integration_tests::moto::mail_to("learnt@example.com").pop().expect("the invitation");
    let parsed = mail_parser::MessageParser::default().parse(mail.raw.as_bytes()).unwrap();
    let text = parsed.body_text(0).unwrap().to_string();
    assert!(text.contains("https://k3x9q2abcd.execute-api.eu-south-1.amazonaws.com/prod/b/manage/"), "{text}");

    let configured = shared::mail::Links::fixed("https://book.example.com/");
    configured.learn(|| Some("https://elsewhere.example".into()));
    assert_eq!(configured.base(), "https://book.example.com");
}
