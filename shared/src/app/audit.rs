//! The audit trail (T8): what each admin action leaves behind. Written once the action has
//! succeeded; a trail that could not be written is logged and alarmed, and the action stands.

use super::Deps;
use crate::store::AuditEntry;

/// The target of an action about a guest's address (an export, an erasure's start, revoked
/// sessions, a lifted suppression): no address, nor a digest of one, so the trail is never a
/// second copy of an address that an erasure would have to chase (T7).
pub const A_GUEST: &str = "guest";

/// Records that `by` (`key:<id>`, `agent:<id>`) did `action` to `target`.
pub async fn record(deps: &Deps, tenant_id: &str, by: &str, action: &str, target: &str, detail: impl Into<String>) {
    let entry = AuditEntry {
        at: deps.clock.now(),
        by: by.to_string(),
        action: action.to_string(),
        target: target.to_string(),
        detail: detail.into(),
    };
    if let Err(err) = deps.store.audit(tenant_id, &entry).await {
        tracing::error!(%err, action, "an admin action was not recorded in the audit trail");
        crate::alarms::count(crate::alarms::Count::StoreErrors);
    }
}
