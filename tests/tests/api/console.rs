//! The console's session (AC1) against DynamoDB Local, the code read from the email moto's SES
//! received: signed in by email code into a cookie no script reads, every write carrying the
//! console's header, refused at once when the agent is deactivated or the admin ends the
//! sessions, ending after 12 idle hours or 7 days; an admin agent runs the tenant (AC3).

use chrono::Duration;
use integration_tests::moto::mail_to;
use integration_tests::{unique_address, Fixture, TestApp};
use serde_json::json;

const NOW: &str = "2027-03-24T08:00:00Z";

/// A new agent of the fixture's tenant with an address of its own (codes are read back by
/// address): its id and address.
async fn agent(app: &TestApp, f: &Fixture, role: &str) -> (String, String) {
    let email = unique_address("agent");
    let body =
        json!({ "name": "Con Sole", "email": email, "pbx_id": f.pbx_id, "time_zone": "Europe/Rome", "role": role });
    let created = app.call("POST", "/v1/agents", Some(&f.admin_key), Some(body)).await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    (created.body["agent"]["id"].as_str().unwrap().to_string(), email)
}

#[tokio::test]
async fn an_agent_signs_in_by_code_into_a_cookie_and_every_write_carries_the_console_header() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let (id, email) = agent(&app, &f, "agent").await;
    let started = app.call("POST", "/v1/console/sign-in", None, Some(json!({ "email": email }))).await;
    assert_eq!(started.status, 202);
    let code = integration_tests::moto::latest_code(&email).expect("a code");
    let confirm = json!({ "id": started.body["sign_in"]["id"], "code": code });
    let confirmed = app.call("POST", "/v1/console/sign-in/confirm", None, Some(confirm.clone())).await;
    assert_eq!(confirmed.status, 201, "{:?}", confirmed.body);
    let cookie = confirmed.headers.get("set-cookie").unwrap().to_str().unwrap().to_string();
    for attribute in ["__Host-console=ags_", "Path=/", "HttpOnly", "Secure", "SameSite=Strict", "Max-Age=604800"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(!confirmed.body.to_string().contains("ags_"), "the session is never in the body");
    assert_eq!(
        app.call("POST", "/v1/console/sign-in/confirm", None, Some(confirm)).await.status,
        404,
        "a code signs in once"
    );
    let session = cookie.trim_start_matches("__Host-console=").split(';').next().unwrap().to_string();

    let me = app.as_console("GET", "/v1/console/me", &session, None).await;
    assert_eq!((me.status, me.body["agent"]["id"].as_str()), (200, Some(id.as_str())), "{:?}", me.body);
    assert_eq!(me.body["tenant"]["name"], "Acme");
    assert_eq!(app.as_console("GET", "/v1/me/conversations", &session, None).await.status, 200);
    // A write without the console's header is refused (a forged form cannot set it).
    let cookie_only = format!("__Host-console={session}");
    let forged = app
        .call_with("PATCH", "/v1/me/availability", None, Some(json!({ "slot_step": 30 })), &[("cookie", &cookie_only)])
        .await;
    assert_eq!((forged.status, forged.body["type"].as_str()), (403, Some("/problems/forbidden")));
    let written = app.as_console("PATCH", "/v1/me/availability", &session, Some(json!({ "slot_step": 30 }))).await;
    assert_eq!((written.status, &written.body["slot_step"]), (200, &json!(30)), "{:?}", written.body);
    // An agent is no admin.
    assert_eq!(app.as_console("GET", "/v1/agents", &session, None).await.status, 403);

    let out = app.as_console("DELETE", "/v1/console/session", &session, None).await;
    assert_eq!(out.status, 204);
    let cleared = out.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(cleared.starts_with("__Host-console=;") && cleared.contains("Max-Age=0"), "{cleared}");
    assert_eq!(app.as_console("GET", "/v1/console/me", &session, None).await.status, 401, "signed out for good");
}

#[tokio::test]
async fn an_address_that_is_no_agents_gets_the_same_answer_and_no_email() {
    let app = TestApp::at(NOW).await;
    let stranger = unique_address("stranger");
    let started = app.call("POST", "/v1/console/sign-in", None, Some(json!({ "email": stranger }))).await;
    assert_eq!(started.status, 202);
    assert!(started.body["sign_in"]["id"].as_str().is_some_and(|id| id.len() == 40));
    assert!(mail_to(&stranger).is_empty());
    let guess = json!({ "id": started.body["sign_in"]["id"], "code": "123456" });
    assert_eq!(app.call("POST", "/v1/console/sign-in/confirm", None, Some(guess)).await.status, 404);
    // A guest's sign-in is no console sign-in, nor the other way round.
    let f = app.fixture("Europe/Rome").await;
    let guest = unique_address("guest");
    let body = json!({ "slug": f.slug, "email": guest });
    let guest_sign_in = app.call("POST", "/v1/guest/sign-in", None, Some(body)).await;
    let code = integration_tests::moto::latest_code(&guest).unwrap();
    let crossed = json!({ "id": guest_sign_in.body["sign_in"]["id"], "code": code });
    assert_eq!(app.call("POST", "/v1/console/sign-in/confirm", None, Some(crossed)).await.status, 404);
}

#[tokio::test]
async fn a_session_is_refused_at_once_when_the_agent_is_deactivated_or_the_admin_ends_it() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let (id, email) = agent(&app, &f, "agent").await;
    let first = app.console_session(&email).await;
    let second = app.console_session(&email).await;
    let ended = app.call("DELETE", &format!("/v1/agents/{id}/sessions"), Some(&f.admin_key), None).await;
    assert_eq!(ended.status, 204);
    for session in [&first, &second] {
        assert_eq!(app.as_console("GET", "/v1/console/me", session, None).await.status, 401);
    }
    app.clock.advance(Duration::seconds(1));
    let third = app.console_session(&email).await;
    assert_eq!(app.as_console("GET", "/v1/console/me", &third, None).await.status, 200, "a new one works");

    let body = json!({ "meetings": "cancel" });
    let off = app.call("POST", &format!("/v1/agents/{id}/deactivate"), Some(&f.admin_key), Some(body)).await;
    assert_eq!(off.status, 200);
    assert_eq!(app.as_console("GET", "/v1/console/me", &third, None).await.status, 401, "deactivated: refused at once");
    let again = app.call("POST", "/v1/console/sign-in", None, Some(json!({ "email": email }))).await;
    assert_eq!(again.status, 202);
    let codes = mail_to(&email).len();
    assert_eq!(codes, 3, "no code for a deactivated agent");
}

#[tokio::test]
async fn a_session_ends_after_twelve_idle_hours_or_seven_days() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let (_, email) = agent(&app, &f, "agent").await;
    let idle = app.console_session(&email).await;
    let busy = app.console_session(&email).await;
    // Used every 11 hours: it stands, for 15 × 11 = 165 hours.
    for step in 1..=15 {
        app.clock.advance(Duration::hours(11));
        let status = app.as_console("GET", "/v1/console/me", &busy, None).await.status;
        assert_eq!(status, 200, "used within 12 hours, {} hours on", step * 11);
        if step == 2 {
            assert_eq!(app.as_console("GET", "/v1/console/me", &idle, None).await.status, 401, "idle for 22 hours");
        }
    }
    app.clock.advance(Duration::hours(4));
    assert_eq!(app.as_console("GET", "/v1/console/me", &busy, None).await.status, 401, "7 days is the most");
}

#[tokio::test]
async fn an_admin_agent_runs_the_tenant_from_the_console_and_the_audit_names_them() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let (admin_id, email) = agent(&app, &f, "admin").await;
    let session = app.console_session(&email).await;
    let agents = app.as_console("GET", "/v1/agents", &session, None).await;
    assert_eq!(agents.status, 200);
    app.clock.advance(Duration::seconds(1));
    let pbx = app.as_console("POST", "/v1/pbxs", &session, Some(json!({ "name": "Turin" }))).await;
    assert_eq!(pbx.status, 201, "{:?}", pbx.body);
    let audit = app.as_console("GET", "/v1/audit?limit=1", &session, None).await;
    assert_eq!(audit.body["entries"][0]["action"], "pbx.created");
    assert_eq!(audit.body["entries"][0]["by"], format!("agent:{admin_id}"));
    // Demoted: refused at once.
    let demote = app
        .call("PATCH", &format!("/v1/agents/{admin_id}"), Some(&f.admin_key), Some(json!({ "role": "agent" })))
        .await;
    assert_eq!(demote.status, 200);
    assert_eq!(app.as_console("GET", "/v1/agents", &session, None).await.status, 403);
}

#[tokio::test]
async fn availability_changes_by_merge_patch_and_keeps_what_was_not_sent() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let tuesday = json!({ "weekly_hours": { "tuesday": [{ "start": "10:00", "end": "12:00" }] } });
    let patched = app.call("PATCH", "/v1/me/availability", Some(&f.agent_token), Some(tuesday)).await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    let hours = &patched.body["weekly_hours"];
    assert_eq!(hours["tuesday"], json!([{ "start": "10:00", "end": "12:00" }]));
    assert_eq!(hours["wednesday"].as_array().unwrap().len(), 2, "the other days stay: {hours}");
    assert_eq!(patched.body["time_zone"], "Europe/Rome");
    let reset =
        app.call("PATCH", "/v1/me/availability", Some(&f.agent_token), Some(json!({ "weekly_hours": null }))).await;
    assert_eq!(reset.body["weekly_hours"]["tuesday"].as_array().unwrap().len(), 2, "null resets to the default");
    let bad = app.call("PATCH", "/v1/me/availability", Some(&f.agent_token), Some(json!({ "slot_step": 7 }))).await;
    assert_eq!((bad.status, bad.body["field"].as_str()), (400, Some("slot_step")), "{:?}", bad.body);
    let unknown =
        app.call("PATCH", "/v1/me/availability", Some(&f.agent_token), Some(json!({ "colour": "red" }))).await;
    assert_eq!((unknown.status, unknown.body["field"].as_str()), (400, Some("colour")), "{:?}", unknown.body);
    let not_object = app.call("PATCH", "/v1/me/availability", Some(&f.agent_token), Some(json!([1]))).await;
    assert_eq!(not_object.status, 400);
    // An empty body where every field is optional: "assign to me" needs none.
    let c = app
        .booked(&f.slug, &integration_tests::client::Booking::at("2027-03-29T07:00:00Z", &unique_address("g")))
        .await;
    let empty = app
        .call_with("PUT", &format!("/v1/conversations/{}/assignee", c.conversation), Some(&f.agent_token), None, &[])
        .await;
    assert_ne!(empty.status, 415, "{:?}", empty.body);
}
