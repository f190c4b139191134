//! The guest's pages: `/b/{slug}` (pick a day and a time, book), `/b/manage/{id}?token=` (see,
//! reschedule, change the duration, cancel), `/b/confirm/{hold}` (confirm a hold) and `/c/{id}`
//! (the conversation: its timeline, a message box, its meetings as cards); and the agents'
//! console, `/console` (one page, a module per screen). Static HTML, CSS and JavaScript embedded
//! in the binary; the pages call the public API only. A strict Content-Security-Policy allows nothing
//! but this origin's own script and style.

use crate::app::Deps;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::Response;
use crate::i18n::Lang;
use crate::store::Page;

// Each page in each language, as `build.rs` set it into the layout: `PAGE_LANGUAGES` and one
// `[&str; 6]` per page (`BOOKING`, `MANAGE`, …).
include!(concat!(env!("OUT_DIR"), "/pages.rs"));

#[cfg(test)]
const PAGES: [[&str; 6]; 7] = [BOOKING, MANAGE, CONFIRM, CONVERSATION, SIGN_IN, UNSUBSCRIBE, CONSOLE];

/// The language a guest page is shown in (L1), where the request names one: chosen on a page
/// (`?lang=`, or the cookie the language picker sets), else the browser's `Accept-Language`.
/// `qps`, the pseudo-language the browser tests run pages in, is reached by `?lang=qps` only.
fn asked(ctx: &Ctx) -> Option<usize> {
    let index = |tag: &str| PAGE_LANGUAGES.iter().position(|l| *l == tag);
    ctx.query("lang").and_then(index).or_else(|| {
        let lang = ctx.cookie("lang").and_then(Lang::from_tag);
        lang.or_else(|| ctx.header("accept-language").and_then(Lang::negotiate)).and_then(|l| index(l.code()))
    })
}

/// A guest page in the language asked for, else `fallback`'s (the tenant's default, where the
/// page knows its tenant), else English; it varies by what decided that.
fn guest_page(built: &[&'static str; 6], ctx: &Ctx, fallback: Option<Lang>, cache: &str) -> Response {
    let index = asked(ctx).or_else(|| PAGE_LANGUAGES.iter().position(|l| *l == fallback.unwrap_or_default().code()));
    let mut response = page("text/html; charset=utf-8", built[index.unwrap_or(0)], cache);
    response.headers_mut().insert("vary", http::HeaderValue::from_static("accept-language, cookie"));
    response
}

/// The API's own description, served as it is in the repository (`GET /openapi.yaml`).
const OPENAPI: &str = include_str!("../../../../openapi.yaml");

/// The pages' scripts (modules that import each other by relative path) and style, by name.
const ASSETS: &[(&str, &str, &str)] = &[
    ("scheduler.css", "text/css; charset=utf-8", include_str!("../pages/assets/scheduler.css")),
    ("common.js", JS, include_str!("../pages/assets/common.js")),
    ("i18n.js", JS, include_str!("../pages/assets/i18n.js")),
    ("picker.js", JS, include_str!("../pages/assets/picker.js")),
    ("code-step.js", JS, include_str!("../pages/assets/code-step.js")),
    ("countdown.js", JS, include_str!("../pages/assets/countdown.js")),
    ("sign-in.js", JS, include_str!("../pages/assets/sign-in.js")),
    ("booking.js", JS, include_str!("../pages/assets/booking.js")),
    ("manage.js", JS, include_str!("../pages/assets/manage.js")),
    ("confirm.js", JS, include_str!("../pages/assets/confirm.js")),
    ("meeting-card.js", JS, include_str!("../pages/assets/meeting-card.js")),
    ("conversation.js", JS, include_str!("../pages/assets/conversation.js")),
    ("sign-in-link.js", JS, include_str!("../pages/assets/sign-in-link.js")),
    ("unsubscribe.js", JS, include_str!("../pages/assets/unsubscribe.js")),
    ("console.js", JS, include_str!("../pages/assets/console.js")),
    ("timeline.js", JS, include_str!("../pages/assets/timeline.js")),
    ("console-api.js", JS, include_str!("../pages/assets/console-api.js")),
    ("console-ui.js", JS, include_str!("../pages/assets/console-ui.js")),
    ("console-poll.js", JS, include_str!("../pages/assets/console-poll.js")),
    ("console-sign-in.js", JS, include_str!("../pages/assets/console-sign-in.js")),
    ("console-inbox.js", JS, include_str!("../pages/assets/console-inbox.js")),
    ("console-conversation.js", JS, include_str!("../pages/assets/console-conversation.js")),
    ("console-meetings.js", JS, include_str!("../pages/assets/console-meetings.js")),
    ("console-meeting.js", JS, include_str!("../pages/assets/console-meeting.js")),
    ("console-schedule.js", JS, include_str!("../pages/assets/console-schedule.js")),
    ("console-availability.js", JS, include_str!("../pages/assets/console-availability.js")),
    ("console-calendars.js", JS, include_str!("../pages/assets/console-calendars.js")),
    ("console-links.js", JS, include_str!("../pages/assets/console-links.js")),
    ("console-admin-agents.js", JS, include_str!("../pages/assets/console-admin-agents.js")),
    ("console-admin-pbxs.js", JS, include_str!("../pages/assets/console-admin-pbxs.js")),
    ("console-admin-services.js", JS, include_str!("../pages/assets/console-admin-services.js")),
    ("console-admin-usage.js", JS, include_str!("../pages/assets/console-admin-usage.js")),
    ("console-admin-keys.js", JS, include_str!("../pages/assets/console-admin-keys.js")),
    ("console-admin-audit.js", JS, include_str!("../pages/assets/console-admin-audit.js")),
    ("console-admin-suppressions.js", JS, include_str!("../pages/assets/console-admin-suppressions.js")),
    ("console-admin-privacy.js", JS, include_str!("../pages/assets/console-admin-privacy.js")),
];
const JS: &str = "text/javascript; charset=utf-8";

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; \
                   base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn page(media: &str, body: &'static str, cache: &str) -> Response {
    http::Response::builder()
        .status(200)
        .header("content-type", media)
        .header("cache-control", cache)
        .header("content-security-policy", CSP)
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "no-referrer")
        .body(lambda_http::Body::Text(body.to_string()))
        .expect("valid response")
}

/// The booking page, when its slug takes guests: an unknown slug, or a deactivated agent's or a
/// removed link's (T5, T6), answers 404 as the API does. A browser that names none of our
/// languages gets the tenant's default.
pub async fn booking(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let slug = ctx.slug()?;
    let page = deps.store.page(slug, false).await?.ok_or_else(|| Problem::not_found("booking page"))?;
    let fallback = match asked(ctx) {
        Some(_) => None,
        None => {
            let tenant_id = match &page {
                Page::Agent(page) => &page.tenant_id,
                Page::Service(page) => &page.tenant_id,
            };
            // A page in English beats no page when the tenant cannot be read just now.
            deps.store.tenant_recent(tenant_id).await.ok().flatten().map(|t| t.default_language)
        }
    };
    Ok(guest_page(&BOOKING, ctx, fallback, "no-cache"))
}

/// The manage page; the token in its query never reaches the server's logs as a path.
pub async fn manage(_deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    ctx.id("id", "meeting")?;
    Ok(guest_page(&MANAGE, ctx, None, "no-store"))
}

/// The one-click confirmation of a hold: a page with one button, so a mail scanner that follows
/// links confirms nothing; the token in its query is sent by the page's script.
pub async fn confirm(_deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    ctx.public_id("id", "hold")?;
    Ok(guest_page(&CONFIRM, ctx, None, "no-store"))
}

/// The one-click sign-in of a sign-in's email (G8): a page with one button (a mail scanner that
/// follows links signs nobody in); the token in its query is sent by the page's script.
pub async fn sign_in(_deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    ctx.public_id("id", "sign-in")?;
    Ok(guest_page(&SIGN_IN, ctx, None, "no-store"))
}

/// The unsubscribe page (G7) behind an email's `List-Unsubscribe` address: one button, which
/// posts to the same address (as a mail client's one-click does by itself).
pub async fn unsubscribe(_deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    crate::secrets::parse_link(ctx.param("token")).ok_or_else(|| Problem::not_found("unsubscribe link"))?;
    Ok(guest_page(&UNSUBSCRIBE, ctx, None, "no-store"))
}

/// The conversation page (C7): its address names the tenant and the conversation; a token, if
/// any, travels in the query and is sent by the page's script.
pub async fn conversation(_deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    ctx.public_id("id", "conversation")?;
    Ok(guest_page(&CONVERSATION, ctx, None, "no-store"))
}

/// The agents' console (AC1-AC4): one page whose script draws each screen from the API; it
/// signs in by email code into the console's cookie. Its own screens are written in English
/// only so far; it is served in English whatever the browser asks.
pub async fn console(_deps: &Deps, _ctx: &Ctx) -> Result<Response, Problem> {
    Ok(page("text/html; charset=utf-8", CONSOLE[0], "no-cache"))
}

/// `GET /openapi.yaml`: the whole contract, for clients and code generators.
pub async fn openapi(_deps: &Deps, _ctx: &Ctx) -> Result<Response, Problem> {
    Ok(page("application/yaml; charset=utf-8", OPENAPI, "public, max-age=300"))
}

pub async fn asset(_deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let name = ctx.param("name");
    let (_, media, body) = ASSETS.iter().find(|(n, _, _)| *n == name).ok_or_else(|| Problem::not_found("asset"))?;
    Ok(page(media, body, "public, max-age=300"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every script a page loads and every module a script imports is an asset that is served,
    /// and the API description lists exactly the served names.
    #[test]
    fn every_asset_a_page_names_is_served() {
        let served: Vec<&str> = ASSETS.iter().map(|(name, _, _)| *name).collect();
        let mut named = Vec::new();
        for html in PAGES.iter().flatten() {
            for attr in ["src=\"", "href=\""] {
                for part in html.split(attr).skip(1) {
                    let target = part.split('"').next().unwrap_or_default();
                    if let Some(name) = target.rsplit_once("assets/").map(|(_, n)| n) {
                        named.push(name.to_string());
                    }
                }
            }
        }
        // Static imports, and the console's screens loaded when first opened (`import("./…")`).
        for (_, _, body) in ASSETS {
            for opening in ["from \"./", "import(\"./"] {
                for part in body.split(opening).skip(1) {
                    named.push(part.split('"').next().unwrap_or_default().to_string());
                }
            }
        }
        assert!(named.iter().any(|n| n == "picker.js"), "the scan finds imports: {named:?}");
        assert!(named.iter().any(|n| n == "console-inbox.js"), "the scan finds dynamic imports: {named:?}");
        for name in &named {
            assert!(served.contains(&name.as_str()), "{name} is named by a page but not served");
        }
        for html in PAGES.iter().flatten() {
            assert!(html.starts_with("<!doctype html>") && html.contains("</html>"), "a whole page");
        }
        let api = include_str!("../../../../openapi.yaml");
        let listed = api.split("/b/assets/{name}:").nth(1).and_then(|s| s.split("enum: [").nth(1)).unwrap();
        let listed: Vec<&str> = listed.split(']').next().unwrap().split(',').map(str::trim).collect();
        assert_eq!(listed, served, "openapi.yaml lists the served assets");
    }
}
