//! The demo tenant, created through the API itself (the same handlers a client would reach), so
//! a fresh local stack has something on every screen: a PBX; Ada (the booking page `demo`) and
//! Alan, static members of the service Sales; Barbara, an agent with the admin role; and a
//! meeting Ada scheduled, whose conversation waits in her queue.

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
    let ada_id = created["agent"]["id"].as_str().unwrap_or_default().to_string();
    let ada_token = created["token"].as_str().unwrap_or_default().to_string();
    let colleague = |name: &str, email: &str, role: &str| json!({ "name": name, "email": email, "pbx_id": pbx_id, "time_zone": "Europe/Rome", "role": role });
    let alan =
        call(deps, "POST", "/v1/agents", &admin_key, colleague("Alan Turing", "alan@demo.example", "agent")).await?;
    let alan_id = alan["agent"]["id"].as_str().unwrap_or_default().to_string();
    call(deps, "POST", "/v1/agents", &admin_key, colleague("Barbara Liskov", "admin@demo.example", "admin")).await?;
    let sales = call(deps, "POST", "/v1/services", &admin_key, json!({ "name": "Sales", "pbx_id": pbx_id })).await?;
    let sales_id = sales["id"].as_str().unwrap_or_default();
    for member in [&ada_id, &alan_id] {
        let path = format!("/v1/services/{sales_id}/members/{member}");
        call(deps, "PUT", &path, &admin_key, json!({ "kind": "static" })).await?;
    }
    // Sales takes bookings on its own page (S9): whichever of Ada and Alan is free.
    let page = json!({ "slug": "sales", "bookable": true, "durations": [30, 60] });
    if call(deps, "PATCH", &format!("/v1/services/{sales_id}"), &admin_key, page).await.is_err() {
        tracing::warn!("the demo service's slug `sales` is taken in this table; it has no page");
    }
    // A meeting Ada scheduled for a guest, the day after tomorrow at 11:00 (or the next weekday).
    let zone: chrono_tz::Tz = "Europe/Rome".parse().unwrap_or(chrono_tz::UTC);
    let today = local_date(zone, deps.clock.now());
    let day = (2..=8)
        .map(|days| today + Duration::days(days))
        .find(|day| day.weekday().number_from_monday() <= 5)
        .unwrap_or(today);
    let start = render_utc(wall_to_instant(zone, day, ClockTime::hm(11, 0), Edge::Start));
    let meeting =
        json!({ "subject": "Quarterly review", "start": start, "name": "Grace Hopper", "email": "grace@demo.example" });
    call(deps, "POST", "/v1/me/meetings", &ada_token, meeting).await?;
    Ok(Demo {
        admin_key,
        agent_token: ada_token,
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

  booking page   {base}/b/{slug}   (Ada)   and   {base}/b/sales   (the service Sales: Ada or Alan)
  console        {base}/console   sign in as ada@demo.example (an agent), alan@demo.example
                 (her colleague in Sales) or admin@demo.example (Barbara, an admin agent); the
                 code arrives as the newest email in {outbox}

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
