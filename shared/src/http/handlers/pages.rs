//! The guest's pages: `/b/{slug}` (pick a day and a time, book) and `/b/manage/{id}?token=`
//! (see, reschedule, change the duration, cancel). Static HTML, CSS and JavaScript embedded in the
//! binary; the pages call the public API only. A strict Content-Security-Policy allows nothing
//! but this origin's own script and style.

use crate::app::Deps;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::Response;

const BOOKING_HTML: &str = include_str!("../pages/booking.html");
const MANAGE_HTML: &str = include_str!("../pages/manage.html");
const CONFIRM_HTML: &str = include_str!("../pages/confirm.html");
const SCRIPT: &str = include_str!("../pages/scheduler.js");
const STYLE: &str = include_str!("../pages/scheduler.css");

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

/// The booking page; an unknown slug is for the page to say, after asking the API.
pub async fn booking(_deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    ctx.slug()?;
    Ok(page("text/html; charset=utf-8", BOOKING_HTML, "no-cache"))
}

/// The manage page; the token in its query never reaches the server's logs as a path.
pub async fn manage(_deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    ctx.id("id", "meeting")?;
    Ok(page("text/html; charset=utf-8", MANAGE_HTML, "no-store"))
}

/// The one-click confirmation of a hold: a page with one button, so a mail scanner that follows
/// links confirms nothing; the token in its query is sent by the page's script.
pub async fn confirm(_deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    crate::secrets::split_public_id(ctx.param("id")).ok_or_else(|| Problem::not_found("hold"))?;
    Ok(page("text/html; charset=utf-8", CONFIRM_HTML, "no-store"))
}

pub async fn asset(_deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    match ctx.param("name") {
        "scheduler.js" => Ok(page("text/javascript; charset=utf-8", SCRIPT, "public, max-age=300")),
        "scheduler.css" => Ok(page("text/css; charset=utf-8", STYLE, "public, max-age=300")),
        _ => Err(Problem::not_found("asset")),
    }
}
