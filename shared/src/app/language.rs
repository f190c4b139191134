//! Which language a guest's request is answered in (L1): the one they chose on the page, else
//! the best their browser's `Accept-Language` names, else their tenant's default. The choice
//! is kept with what the request makes (a meeting, a hold, a sign-in), so every later email
//! about it is in the same language.

use super::Deps;
use crate::i18n::Lang;
use crate::store::StoreError;

pub async fn of_guest(
    deps: &Deps,
    chosen: Option<Lang>,
    accept_language: Option<&str>,
    tenant_id: &str,
) -> Result<Lang, StoreError> {
    if let Some(lang) = chosen.or_else(|| accept_language.and_then(Lang::negotiate)) {
        return Ok(lang);
    }
    Ok(deps.store.tenant_recent(tenant_id).await?.map(|t| t.default_language).unwrap_or_default())
}
