//! GET /v1/book/{slug}: the public profile a booking link opens.

use crate::app::Deps;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::BookingPageView;
use crate::http::{json, Response};

pub async fn get(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let page = deps.store.booking_page(ctx.slug()?, false).await?.ok_or_else(|| Problem::not_found("booking page"))?;
    Ok(json(200, &BookingPageView::new(&page, deps.clock.now())))
}
