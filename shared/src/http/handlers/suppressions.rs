//! The tenant's suppressed addresses (T8): listed a page at a time, lifted by the admin (an
//! address that bounced once, a complaint made by mistake, an unsubscribe taken back).

use serde_json::json;

use crate::app::Deps;
use crate::domain::time::render_utc;
use crate::domain::validation;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::{auth, json, Response};

/// GET /v1/suppressions?after=&limit=
pub async fn list(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let tenant = auth::admin(deps, ctx).await?;
    let limit = ctx.limit(50, 100)?;
    let after = match ctx.query("after") {
        Some(after) if after.len() <= 120 && after.starts_with(crate::store::keys::SUPPRESSION_ROW_PREFIX) => {
            Some(after)
        }
        Some(_) => return Err(Problem::invalid("after", "a cursor as the API returned it")),
        None => None,
    };
    let page = deps.store.suppressions(&tenant.id, after, limit).await?;
    let rows: Vec<_> = page
        .suppressions
        .iter()
        .map(|s| {
            json!({
                "email": s.email,
                "reason": s.reason,
                "at": render_utc(s.at),
                "conversation_id": s.conversation_id,
            })
        })
        .collect();
    Ok(json(200, &json!({ "suppressions": rows, "next": page.next })))
}

/// DELETE /v1/suppressions/{email}: the address is mailed again (everything that stopped it).
pub async fn lift(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let tenant = auth::admin(deps, ctx).await?;
    let raw = percent_decoded(ctx.param("email"));
    let email = validation::email("email", &raw)?;
    match deps.store.lift_suppressions(&tenant.id, &email).await? {
        0 => Err(Problem::not_found("suppression")),
        lifted => {
            let audit = crate::app::audit::A_GUEST;
            crate::app::audit::record(deps, &tenant.id, &tenant.by, "suppression.lifted", audit, "").await;
            Ok(json(200, &json!({ "email": email, "lifted": lifted })))
        }
    }
}

/// A path segment with its `%XX` escapes decoded (an address in a path is usually encoded; a `+`
/// stays a `+`, as paths have it).
pub(super) fn percent_decoded(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_are_decoded_and_plus_stays() {
        assert_eq!(super::percent_decoded("grace%2Bwork%40example.com"), "grace+work@example.com");
        assert_eq!(super::percent_decoded("a+b@x.io"), "a+b@x.io");
        assert_eq!(super::percent_decoded("bad%zz%4"), "bad%zz%4");
    }
}
