//! GET /v1/book/{slug}: the public profile a booking page opens: an agent's (or a link's), or a
//! service's (S9).

use crate::app::Deps;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::BookingPageView;
use crate::http::{json, Response};
use crate::store::Page;

pub async fn get(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let now = deps.clock.now();
    match page(deps, ctx, false).await? {
        Page::Agent(page) => Ok(json(200, &BookingPageView::new(&page, now))),
        Page::Service(page) => Ok(json(200, &BookingPageView::of_service(&page, now))),
    }
}

/// What the route's slug opens, or 404.
pub(super) async fn page(deps: &Deps, ctx: &Ctx, consistent: bool) -> Result<Page, Problem> {
    deps.store.page(ctx.slug()?, consistent).await?.ok_or_else(|| Problem::not_found("booking page"))
}
