//! Busy time from an agent's connected calendars, as the slot engine takes it. A lookup refreshes
//! copies older than [`FRESH_FOR`] (all feeds at once); a failed fetch keeps the last good copy
//! and the answer says which calendars are stale. A booking reads the copies as they are, so it
//! checks exactly what the guest was shown.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::fetch::{fetch, FeedPolicy, Fetched};
use super::parse::busy_times;
use crate::domain::directory::ConnectedCalendar;
use crate::domain::time::{render_utc, Interval};
use crate::store::{FeedCache, Store, StoreError};

/// How long a fetched copy is used before the next lookup fetches again.
pub const FRESH_FOR: Duration = Duration::minutes(5);
/// How far ahead a fetch reads busy time: past the longest booking window, with a margin.
const HORIZON_DAYS: i64 = 62;

/// What a slot lookup tells about each calendar: its id, whether its copy is stale (the last
/// fetch failed or none has succeeded yet) and when it was last read successfully.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CalendarStatus {
    pub id: String,
    pub stale: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

pub struct Reader<'a> {
    pub store: &'a Store,
    pub policy: &'a FeedPolicy,
}

impl Reader<'_> {
    pub async fn busy(
        &self,
        tenant_id: &str,
        agent_id: &str,
        calendars: &[ConnectedCalendar],
        zone: Tz,
        now: DateTime<Utc>,
        refresh: bool,
    ) -> Result<(Vec<Interval>, Vec<CalendarStatus>), StoreError> {
        if calendars.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let cached = self.store.feed_caches(tenant_id, agent_id).await?;
        let current = |calendar: &ConnectedCalendar| {
            cached
                .iter()
                .find(|c| c.calendar_id == calendar.id)
                .cloned()
                .unwrap_or_else(|| FeedCache { calendar_id: calendar.id.clone(), ..Default::default() })
        };
        let copies: Vec<FeedCache> = if refresh {
            let stale_after = (now - FRESH_FOR).timestamp();
            futures::future::join_all(calendars.iter().map(|calendar| {
                let copy = current(calendar);
                async move {
                    if copy.fetched_at > stale_after {
                        return Ok(copy);
                    }
                    let fresh = self.refreshed(calendar, copy, zone, now).await;
                    self.store.save_feed_cache(tenant_id, agent_id, &fresh).await?;
                    Ok::<_, StoreError>(fresh)
                }
            }))
            .await
            .into_iter()
            .collect::<Result<_, _>>()?
        } else {
            calendars.iter().map(current).collect()
        };
        let busy = copies.iter().flat_map(FeedCache::intervals).collect();
        let statuses = copies
            .iter()
            .map(|c| CalendarStatus {
                id: c.calendar_id.clone(),
                stale: c.error.is_some() || c.succeeded_at.is_none(),
                updated_at: c.succeeded_at.and_then(|at| DateTime::<Utc>::from_timestamp(at, 0)).map(render_utc),
            })
            .collect();
        Ok((busy, statuses))
    }

    /// One fetch: a new copy on success, the old busy time with the error on failure.
    async fn refreshed(&self, calendar: &ConnectedCalendar, old: FeedCache, zone: Tz, now: DateTime<Utc>) -> FeedCache {
        let attempt = fetch(&calendar.url, old.etag.as_deref(), old.last_modified.as_deref(), self.policy).await;
        let failed = |error: String| FeedCache { fetched_at: now.timestamp(), error: Some(error), ..old.clone() };
        match attempt {
            Ok(Fetched::NotModified) => {
                FeedCache { fetched_at: now.timestamp(), succeeded_at: Some(now.timestamp()), error: None, ..old }
            }
            Ok(Fetched::Modified { body, etag, last_modified }) => {
                let horizon = (now - Duration::days(1))..(now + Duration::days(HORIZON_DAYS));
                match busy_times(&body, zone, &horizon) {
                    Ok(busy) => FeedCache {
                        calendar_id: calendar.id.clone(),
                        busy: busy.iter().take(20_000).map(|i| (i.start.timestamp(), i.end.timestamp())).collect(),
                        etag,
                        last_modified,
                        fetched_at: now.timestamp(),
                        succeeded_at: Some(now.timestamp()),
                        error: None,
                    },
                    Err(err) => failed(err.to_string()),
                }
            }
            Err(err) => {
                tracing::warn!(calendar = %calendar.id, %err, "calendar feed not refreshed; the last good copy stays in use");
                failed(err.to_string())
            }
        }
    }
}
