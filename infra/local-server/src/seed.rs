//! The demo tenant, PBX and agent, created through the API itself (the same handlers a client
//! would reach), so a fresh local stack is usable at once.

use chrono::{DateTime, Datelike, Duration, Utc};
use serde_json::{json, Value};
use shared::app::Deps;
use shared::domain::time::{local_date, render_utc, wall_to_instant, ClockTime, Edge};
use shared::http::router;

pub struct Demo {
    pub admin_key: String,
    pub agent_token: String,
    pub slug: String,
    pub time_zone: String,
}

async fn call(deps: &Deps, method: &str, path: &str, bearer: &str, body: Value) -> Result<Value, String> {
    let request = http::Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {bearer}"))
        .header("content-type", "application/json")
        .body(lambda_http::Body::Text(body.to_string()))
        .map_err(|e| e.to_string())?;
    let response = router::handle(deps, request, None).await;
    let status = response.status();
    let text = match response.into_body() {
        lambda_http::Body::Text(text) => text,
        _ => String::new(),
    };
    if !status.is_success() {
        return Err(format!("{method} {path}: {status} {text}"));
    }
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

pub async fn demo(deps: &Deps, operator_key: &str) -> Result<Demo, String> {
    let tenant = call(deps, "POST", "/v1/tenants", operator_key, json!({ "name": "Demo Co" })).await?;
    let admin_key = tenant["admin_key"].as_str().unwrap_or_default().to_string();
    let pbx = call(deps, "POST", "/v1/pbxs", &admin_key, json!({ "name": "Rome office" })).await?;
    let pbx_id = pbx["id"].as_str().unwrap_or_default();
    let agent = json!({ "name": "Ada Lovelace", "email": "ada@demo.example", "pbx_id": pbx_id, "time_zone": "Europe/Rome", "slug": "demo" });
    let created = match call(deps, "POST", "/v1/agents", &admin_key, agent.clone()).await {
        Ok(created) => created,
        // A table kept from an earlier run already has `demo`: let the service pick a slug.
        Err(_) => {
            let mut agent = agent;
            agent.as_object_mut().map(|a| a.remove("slug"));
            call(deps, "POST", "/v1/agents", &admin_key, agent).await?
        }
    };
    Ok(Demo {
        admin_key,
        agent_token: created["token"].as_str().unwrap_or_default().to_string(),
        slug: created["agent"]["slug"].as_str().unwrap_or_default().to_string(),
        time_zone: created["agent"]["time_zone"].as_str().unwrap_or_default().to_string(),
    })
}

pub fn instructions(
    base: &str,
    operator_key: &str,
    demo: &Demo,
    now: DateTime<Utc>,
    outbox: &std::path::Path,
    dispatch_every: u64,
) -> String {
    let zone = demo.time_zone.parse().unwrap_or(chrono_tz::UTC);
    let from = local_date(zone, now);
    let to = from + Duration::days(6);
    // The demo agent works Monday to Friday: the next such day at 10:00 is a free slot to try.
    let example_day = (1..=7)
        .map(|days| from + Duration::days(days))
        .find(|day| day.weekday().number_from_monday() <= 5)
        .unwrap_or(from);
    let example_start = render_utc(wall_to_instant(zone, example_day, ClockTime::hm(10, 0), Edge::Start));
    format!(
        "\
Meeting Scheduler is listening on {base}  (clock: {now})

  operator key   {operator_key}
  admin key      {admin}        (tenant \"Demo Co\")
  agent token    {token}        (Ada Lovelace, Europe/Rome, Mon-Fri 09:00-13:00 and 14:00-18:00)
  booking slug   {slug}

These are local demo credentials, made for this run only.
Mail is written to {outbox}/*.eml and events to {outbox}/events.jsonl; reminders go out every {dispatch_every} s.

Try:
  curl -s {base}/v1/health
  curl -s {base}/v1/book/{slug}
  curl -s '{base}/v1/book/{slug}/slots?from={from}&to={to}&time_zone=America/New_York'
  START={example_start}   # or any other start the slots line lists
  curl -s -X POST {base}/v1/book/{slug}/meetings -H 'content-type: application/json' \\
       -H \"Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)\" \\
       -d '{{\"subject\":\"Intro call\",\"start\":\"'\"$START\"'\",\"name\":\"Grace Hopper\",\"email\":\"grace@example.com\"}}'
  (202: a hold. The code is in the subject of the newest email: ls -t {outbox} | head -1)
  curl -s -X POST {base}/v1/holds/<hold id>/confirm -H 'content-type: application/json' -d '{{\"code\":\"<code>\"}}'
  curl -s {base}/v1/me/availability -H 'authorization: Bearer {token}'
",
        admin = demo.admin_key,
        token = demo.agent_token,
        slug = demo.slug,
        outbox = outbox.display(),
    )
}
