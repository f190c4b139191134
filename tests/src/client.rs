//! One helper per endpoint, so a test says what it does (`app.book(..)`, `app.change(..)`) and a
//! change to an endpoint's shape is made here once. Each returns the [`Reply`] as it came; the
//! `*_ok` forms also assert the success a test takes for granted.

use serde_json::{json, Value};

use crate::{Reply, TestApp};

/// A guest's booking as a test builds it: a plain booking by default, changed where it matters.
#[derive(Clone, Debug)]
pub struct Booking {
    pub subject: String,
    pub start: String,
    pub name: String,
    pub email: String,
    pub additional_members: Vec<String>,
    pub time_zone: Option<String>,
    pub duration: Option<u16>,
    pub idempotency_key: Option<String>,
    /// A guest session to book with (G3).
    pub session: Option<String>,
}

impl Booking {
    pub fn at(start: &str, email: &str) -> Self {
        Self {
            subject: "Intro".into(),
            start: start.into(),
            name: "Guest".into(),
            email: email.into(),
            additional_members: Vec::new(),
            time_zone: None,
            duration: None,
            idempotency_key: None,
            session: None,
        }
    }

    /// Booked as the holder of this guest session (its address must be the booking's).
    pub fn signed_in(mut self, session: &str) -> Self {
        self.session = Some(session.into());
        self
    }

    pub fn subject(mut self, subject: &str) -> Self {
        self.subject = subject.into();
        self
    }

    pub fn name(mut self, name: &str) -> Self {
        self.name = name.into();
        self
    }

    pub fn with_members(mut self, members: &[&str]) -> Self {
        self.additional_members = members.iter().map(|m| m.to_string()).collect();
        self
    }

    pub fn in_zone(mut self, zone: &str) -> Self {
        self.time_zone = Some(zone.into());
        self
    }

    pub fn lasting(mut self, minutes: u16) -> Self {
        self.duration = Some(minutes);
        self
    }

    pub fn key(mut self, key: &str) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    pub fn body(&self) -> Value {
        let mut body = json!({ "subject": self.subject, "start": self.start, "name": self.name, "email": self.email });
        if !self.additional_members.is_empty() {
            body["additional_members"] = json!(self.additional_members);
        }
        if let Some(zone) = &self.time_zone {
            body["time_zone"] = json!(zone);
        }
        if let Some(duration) = self.duration {
            body["duration"] = json!(duration);
        }
        body
    }
}

/// What a successful booking hands back, in the form tests use it.
#[derive(Clone, Debug)]
pub struct Booked {
    pub id: String,
    pub token: String,
    pub conversation: String,
    /// The conversation's public link, when this booking opened it.
    pub link: Option<String>,
    pub body: Value,
}

impl Booked {
    fn from(reply: &Reply) -> Self {
        let body = &reply.body;
        Self {
            id: body["meeting"]["id"].as_str().expect("meeting id").to_string(),
            token: body["manage_token"].as_str().expect("manage token").to_string(),
            conversation: body["conversation"]["id"].as_str().expect("conversation id").to_string(),
            link: body["conversation"]["link_token"].as_str().map(str::to_string),
            body: body.clone(),
        }
    }
}

impl TestApp {
    /// POST /v1/book/{slug}/meetings.
    pub async fn book_as(&self, slug: &str, booking: &Booking) -> Reply {
        let key = booking.idempotency_key.as_deref().map(|k| [("idempotency-key", k)]);
        let headers: &[(&str, &str)] = key.as_ref().map(|k| k.as_slice()).unwrap_or(&[]);
        let path = format!("/v1/book/{slug}/meetings");
        self.call_with("POST", &path, booking.session.as_deref(), Some(booking.body()), headers).await
    }

    /// POST /v1/holds/{id}/confirm with a code (or `token` for the one-click link's).
    pub async fn confirm_hold(&self, hold_id: &str, body: Value) -> Reply {
        self.call("POST", &format!("/v1/holds/{hold_id}/confirm"), None, Some(body)).await
    }

    /// Signs a guest in by email code (G3), the code read from the email SES (moto) received;
    /// returns the session's token. `email` should be the test's own address.
    pub async fn guest_session(&self, slug: &str, email: &str) -> String {
        let started = self.call("POST", "/v1/guest/sign-in", None, Some(json!({ "slug": slug, "email": email }))).await;
        assert_eq!(started.status, 202, "{:?}", started.body);
        let code = crate::moto::latest_code(email).expect("the sign-in code was mailed");
        let body = json!({ "id": started.body["sign_in"]["id"], "code": code });
        let confirmed = self.call("POST", "/v1/guest/sign-in/confirm", None, Some(body)).await;
        assert_eq!(confirmed.status, 201, "{:?}", confirmed.body);
        confirmed.body["session"]["token"].as_str().unwrap().to_string()
    }

    /// A guest who proved their address: a fresh address and its session (G3). Only such a guest
    /// takes places under the cap (G9).
    pub async fn proven_guest(&self, slug: &str, name: &str) -> (String, String) {
        let email = crate::unique_address(name);
        let session = self.guest_session(slug, &email).await;
        (email, session)
    }

    /// Signs an agent in to the console by email code (AC1), the code read from the email; returns
    /// the session token the cookie carries (`__Host-console=<token>`).
    pub async fn console_session(&self, email: &str) -> String {
        let started = self.call("POST", "/v1/console/sign-in", None, Some(json!({ "email": email }))).await;
        assert_eq!(started.status, 202, "{:?}", started.body);
        let code = crate::moto::latest_code(email).expect("the console code was mailed");
        let body = json!({ "id": started.body["sign_in"]["id"], "code": code });
        let confirmed = self.call("POST", "/v1/console/sign-in/confirm", None, Some(body)).await;
        assert_eq!(confirmed.status, 201, "{:?}", confirmed.body);
        let cookie = confirmed.headers.get("set-cookie").and_then(|v| v.to_str().ok()).expect("a session cookie");
        let token = cookie.strip_prefix("__Host-console=").and_then(|rest| rest.split(';').next()).expect("the cookie");
        token.to_string()
    }

    /// A request as the console makes it: the session in its cookie, a write with its header.
    pub async fn as_console(&self, method: &str, path: &str, session: &str, body: Option<Value>) -> Reply {
        let cookie = format!("__Host-console={session}");
        let mut headers = vec![("cookie", cookie.as_str())];
        if method != "GET" {
            headers.push(("x-requested-with", "console"));
        }
        self.call_with(method, path, None, body, &headers).await
    }

    /// A plain booking by a guest.
    pub async fn book(&self, slug: &str, start: &str, email: &str) -> Reply {
        self.book_as(slug, &Booking::at(start, email)).await
    }

    /// A booking that must succeed.
    pub async fn booked(&self, slug: &str, booking: &Booking) -> Booked {
        let reply = self.book_as(slug, booking).await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        Booked::from(&reply)
    }

    /// GET /v1/book/{slug}/slots?{query}: the free slot starts, as UTC strings.
    pub async fn slot_starts(&self, slug: &str, query: &str) -> Vec<String> {
        let reply = self.call("GET", &format!("/v1/book/{slug}/slots?{query}"), None, None).await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        reply.body["slots"].as_array().unwrap().iter().map(|s| s["start"].as_str().unwrap().to_string()).collect()
    }

    /// GET /v1/meetings/{id}.
    pub async fn meeting(&self, id: &str, token: &str) -> Reply {
        self.call("GET", &format!("/v1/meetings/{id}"), Some(token), None).await
    }

    /// PATCH /v1/meetings/{id}.
    pub async fn change(&self, id: &str, token: &str, body: Value) -> Reply {
        self.call("PATCH", &format!("/v1/meetings/{id}"), Some(token), Some(body)).await
    }

    /// DELETE /v1/meetings/{id}.
    pub async fn cancel(&self, id: &str, token: &str) -> Reply {
        self.call("DELETE", &format!("/v1/meetings/{id}"), Some(token), None).await
    }

    /// POST /v1/me/meetings: an agent schedules for an external person.
    pub async fn schedule(&self, agent_token: &str, booking: &Booking) -> Reply {
        self.call("POST", "/v1/me/meetings", Some(agent_token), Some(booking.body())).await
    }

    /// GET /v1/me/meetings?{query}.
    pub async fn my_meetings(&self, agent_token: &str, query: &str) -> Reply {
        self.call("GET", &format!("/v1/me/meetings?{query}"), Some(agent_token), None).await
    }

    /// GET /v1/conversations/{id}.
    pub async fn conversation(&self, id: &str, token: &str) -> Reply {
        self.call("GET", &format!("/v1/conversations/{id}"), Some(token), None).await
    }

    /// PATCH /v1/conversations/{id}.
    pub async fn rename(&self, id: &str, token: &str, title: Option<&str>) -> Reply {
        self.call("PATCH", &format!("/v1/conversations/{id}"), Some(token), Some(json!({ "title": title }))).await
    }

    /// PUT /v1/conversations/{id}/assignee.
    pub async fn assign(&self, id: &str, agent_token: &str, body: Value) -> Reply {
        self.call("PUT", &format!("/v1/conversations/{id}/assignee"), Some(agent_token), Some(body)).await
    }

    /// PUT /v1/me/availability.
    pub async fn set_availability(&self, agent_token: &str, settings: Value) -> Reply {
        self.call("PUT", "/v1/me/availability", Some(agent_token), Some(settings)).await
    }

    /// PUT /v1/me/calendars.
    pub async fn connect_calendars(&self, agent_token: &str, feeds: &[&str]) -> Reply {
        self.call("PUT", "/v1/me/calendars", Some(agent_token), Some(json!({ "feeds": feeds }))).await
    }

    /// POST /v1/me/booking-links.
    pub async fn create_link(&self, agent_token: &str, body: Value) -> Reply {
        self.call("POST", "/v1/me/booking-links", Some(agent_token), Some(body)).await
    }

    /// GET /v1/usage?month=…
    pub async fn usage(&self, admin_key: &str, month: &str) -> Reply {
        self.call("GET", &format!("/v1/usage?month={month}"), Some(admin_key), None).await
    }

    /// POST /v1/conversations/{id}/messages.
    pub async fn post_message(&self, id: &str, token: &str, text: &str) -> Reply {
        self.call("POST", &format!("/v1/conversations/{id}/messages"), Some(token), Some(json!({ "text": text }))).await
    }

    /// A message that must be written; returns its id.
    pub async fn said(&self, id: &str, token: &str, text: &str) -> String {
        let reply = self.post_message(id, token, text).await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        reply.body["message"]["id"].as_str().unwrap().to_string()
    }

    /// GET /v1/conversations/{id}/messages?{query}.
    pub async fn messages(&self, id: &str, token: &str, query: &str) -> Reply {
        self.call("GET", &format!("/v1/conversations/{id}/messages?{query}"), Some(token), None).await
    }

    /// PUT /v1/conversations/{id}/read; `up_to` a message id, everything when `None`.
    pub async fn mark_read(&self, id: &str, token: &str, up_to: Option<&str>) -> Reply {
        let body = match up_to {
            Some(message) => json!({ "up_to": message }),
            None => json!({}),
        };
        self.call("PUT", &format!("/v1/conversations/{id}/read"), Some(token), Some(body)).await
    }

    /// PUT /v1/conversations/{id}/mute.
    pub async fn mute(&self, id: &str, token: &str, muted: bool) -> Reply {
        self.call("PUT", &format!("/v1/conversations/{id}/mute"), Some(token), Some(json!({ "muted": muted }))).await
    }

    /// GET /v1/me/conversations?{query}.
    pub async fn inbox(&self, agent_token: &str, query: &str) -> Reply {
        self.call("GET", &format!("/v1/me/conversations?{query}"), Some(agent_token), None).await
    }
}
