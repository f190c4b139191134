//! Tenants, PBXs and agents through the API: auth by role (SPEC §5), hashed secrets (T3),
//! tenant isolation of the admin routes (T1), slug handling.

use integration_tests::TestApp;
use serde_json::json;

const NOW: &str = "2027-03-24T08:00:00Z";

#[tokio::test]
async fn only_the_operator_creates_tenants() {
    let app = TestApp::at(NOW).await;
    let body = Some(json!({ "name": "Acme" }));
    assert_eq!(app.call("POST", "/v1/tenants", None, body.clone()).await.status, 401);
    let wrong = app.call("POST", "/v1/tenants", Some("not-the-key"), body.clone()).await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.headers["www-authenticate"], "Bearer");
    let f = app.fixture("Europe/Rome").await;
    assert_eq!(
        app.call("POST", "/v1/tenants", Some(&f.admin_key), body.clone()).await.status,
        403,
        "an admin is not the operator"
    );
    let created = app.call("POST", "/v1/tenants", Some(&app.operator_key), body).await;
    assert_eq!(created.status, 201);
    assert!(created.body["admin_key"].as_str().unwrap().starts_with("adm_"));
}

#[tokio::test]
async fn secrets_are_shown_once_and_stored_only_as_hashes() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let secret_of = |token: &str| token.rsplit('_').next().unwrap().to_string();
    let scan = app.deps.store.client().scan().table_name(app.deps.store.table()).send().await.unwrap();
    let dump = format!("{:?}", scan.items());
    for token in [&f.admin_key, &f.agent_token] {
        assert!(!dump.contains(&secret_of(token)), "a secret is stored in clear");
    }
    let agents = app.call("GET", "/v1/agents", Some(&f.admin_key), None).await;
    assert!(!agents.body.to_string().contains("hash"), "no hash leaves the service: {}", agents.body);
}

#[tokio::test]
async fn admins_manage_their_own_pbxs_and_agents() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let pbxs = app.call("GET", "/v1/pbxs", Some(&f.admin_key), None).await;
    assert_eq!(pbxs.body["pbxs"].as_array().unwrap().len(), 1);
    let agents = app.call("GET", "/v1/agents", Some(&f.admin_key), None).await;
    assert_eq!(agents.body["agents"][0]["id"], f.agent_id.as_str());

    // Another tenant sees none of it and cannot change it.
    let other = app.fixture("Asia/Kolkata").await;
    let theirs = app.call("GET", "/v1/agents", Some(&other.admin_key), None).await;
    assert_eq!(theirs.body["agents"].as_array().unwrap().len(), 1);
    assert_ne!(theirs.body["agents"][0]["id"], f.agent_id.as_str());
    let patch = app
        .call("PATCH", &format!("/v1/agents/{}", f.agent_id), Some(&other.admin_key), Some(json!({ "name": "X" })))
        .await;
    assert_eq!(patch.status, 404);
    let foreign_pbx = json!({ "name": "Y", "email": "y@acme.example", "pbx_id": f.pbx_id, "time_zone": "UTC" });
    let created = app.call("POST", "/v1/agents", Some(&other.admin_key), Some(foreign_pbx)).await;
    assert_eq!((created.status, created.body["type"].as_str()), (422, Some("/problems/unknown-pbx")));

    // An agent token is not an admin key.
    assert_eq!(app.call("GET", "/v1/agents", Some(&f.agent_token), None).await.status, 403);
}

#[tokio::test]
async fn slugs_are_unique_and_move_with_the_agent() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let taken =
        json!({ "name": "Bo", "email": "bo@acme.example", "pbx_id": f.pbx_id, "time_zone": "UTC", "slug": f.slug });
    let clash = app.call("POST", "/v1/agents", Some(&f.admin_key), Some(taken)).await;
    assert_eq!((clash.status, clash.body["type"].as_str()), (409, Some("/problems/slug-taken")));

    let moved = app
        .call(
            "PATCH",
            &format!("/v1/agents/{}", f.agent_id),
            Some(&f.admin_key),
            Some(json!({ "slug": "ada-new", "name": "Ada L." })),
        )
        .await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    assert_eq!(
        app.call("GET", &format!("/v1/book/{}", f.slug), None, None).await.status,
        404,
        "the old slug is released"
    );
    let page = app.call("GET", "/v1/book/ada-new", None, None).await;
    assert_eq!(page.body["agent_name"], "Ada L.");

    let bad = app
        .call("PATCH", &format!("/v1/agents/{}", f.agent_id), Some(&f.admin_key), Some(json!({ "slug": "Not A Slug" })))
        .await;
    assert_eq!((bad.status, bad.body["field"].as_str()), (400, Some("slug")));
}

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    let app = TestApp::at(NOW).await;
    let missing = app.call("GET", "/v1/nowhere", None, None).await;
    assert_eq!(missing.status, 404);
    let method = app.call("DELETE", "/v1/pbxs", None, None).await;
    assert_eq!(method.status, 405);
    let health = app.call("GET", "/v1/health", None, None).await;
    assert_eq!((health.status, health.body["store"].as_str()), (200, Some("ok")));
}
