//! Busy time from an agent's connected calendars, as the slot engine takes it.
//!
//! A slot lookup refreshes copies older than [`FRESH_FOR`]: one process at a time per feed (a
//! lease in the table), the fetch with its own timeout, the reading on a blocking thread within
//! the feed reader's budget of work and time. The lookup waits for that at most
//! [`REFRESH_WAIT`], then answers with the copies it has; a refresh still running finishes on its
//! own and saves its copy. A failed fetch or an unreadable feed is saved as such (with the last
//! good busy time kept), so it is not tried again on every lookup, and the answer says which
//! calendars are `stale` or `failed`. A booking reads the copies as they are, so it checks exactly
//! what the guest was shown.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use feed_reader::{FeedError, Limits};
use serde::Serialize;

use super::fetch::{Fetched, Fetcher, Validators};
use crate::domain::directory::ConnectedCalendar;
use crate::domain::time::{merge, render_utc, Interval};
use crate::store::{FeedCache, Store, StoreError, MAX_STORED_BUSY};

/// How long a fetched copy is used before the next lookup fetches again.
pub const FRESH_FOR: Duration = Duration::minutes(5);
/// The longest a lookup waits for its feeds to refresh before answering with the copies it has.
pub const REFRESH_WAIT: StdDuration = StdDuration::from_millis(1500);
/// A refresh holds its feed at most this long (fetch and read take a few seconds at most).
const REFRESH_LEASE: Duration = Duration::seconds(30);

/// How a connected calendar's copy stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedStatus {
    /// Read successfully within the last few minutes.
    Fresh,
    /// Not read yet: connected a moment ago, its first read still running.
    Pending,
    /// The host could not be reached or answered an error; the last good copy is in use.
    Stale,
    /// The feed's content could not be read (malformed, too large, too complex); the last good
    /// copy is in use until the feed changes.
    Failed,
}

/// What a slot lookup tells about each calendar: its id, how its copy stands and when it was
/// last read successfully.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CalendarStatus {
    pub id: String,
    pub status: FeedStatus,
    /// `status` is anything but `fresh`.
    pub stale: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Why the last read failed; only the agent's own views show it.
    #[serde(skip)]
    pub error: Option<String>,
}

impl CalendarStatus {
    fn of(copy: &FeedCache) -> Self {
        let status = match (&copy.error, copy.succeeded_at) {
            (Some(_), _) if copy.unreadable => FeedStatus::Failed,
            (Some(_), _) => FeedStatus::Stale,
            (None, None) => FeedStatus::Pending,
            (None, Some(_)) => FeedStatus::Fresh,
        };
        Self {
            id: copy.calendar_id.clone(),
            status,
            stale: status != FeedStatus::Fresh,
            updated_at: copy.succeeded_at.and_then(|at| DateTime::<Utc>::from_timestamp(at, 0)).map(render_utc),
            error: copy.error.clone(),
        }
    }
}

/// Reads connected calendars for one process: the table, the fetcher, the reader's limits.
#[derive(Clone)]
pub struct Reader {
    pub store: Store,
    pub fetcher: Arc<Fetcher>,
    pub limits: Limits,
}

impl Reader {
    /// The busy time of `calendars` and how each stands; with `refresh`, stale copies are
    /// refreshed first (waiting at most [`REFRESH_WAIT`]).
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
        let mut copies: Vec<FeedCache> = calendars
            .iter()
            .map(|c| cached.iter().find(|f| f.calendar_id == c.id).cloned().unwrap_or_else(|| FeedCache::empty(&c.id)))
            .collect();
        if refresh {
            self.refresh_stale(tenant_id, agent_id, calendars, &mut copies, zone, now).await?;
        }
        let busy = copies.iter().flat_map(FeedCache::intervals).collect();
        Ok((busy, copies.iter().map(CalendarStatus::of).collect()))
    }

    /// The busy time of many agents' calendars (a service's hosts): their copies in one batch
    /// read; only an agent with a stale copy is refreshed (as [`Reader::busy`] does). In the order
    /// given.
    pub async fn busy_of(
        &self,
        tenant_id: &str,
        hosts: &[(&str, &[ConnectedCalendar], Tz)],
        now: DateTime<Utc>,
    ) -> Result<Vec<Vec<Interval>>, StoreError> {
        let wanted: Vec<(&str, &str)> = hosts
            .iter()
            .flat_map(|(agent, calendars, _)| calendars.iter().map(move |c| (*agent, c.id.as_str())))
            .collect();
        if wanted.is_empty() {
            return Ok(vec![Vec::new(); hosts.len()]);
        }
        let copies = self.store.feed_caches_of(tenant_id, &wanted).await?;
        let stale_before = (now - FRESH_FOR).timestamp();
        let mut busy = Vec::with_capacity(hosts.len());
        for (agent, calendars, zone) in hosts {
            let theirs: Vec<&FeedCache> = calendars
                .iter()
                .filter_map(|c| {
                    copies.iter().find(|(a, copy)| a == agent && copy.calendar_id == c.id).map(|(_, copy)| copy)
                })
                .collect();
            let fresh = theirs.len() == calendars.len() && theirs.iter().all(|copy| copy.fetched_at > stale_before);
            busy.push(match fresh {
                true => theirs.iter().flat_map(|copy| copy.intervals()).collect(),
                false => self.busy(tenant_id, agent, calendars, *zone, now, true).await?.0,
            });
        }
        Ok(busy)
    }

    async fn refresh_stale(
        &self,
        tenant_id: &str,
        agent_id: &str,
        calendars: &[ConnectedCalendar],
        copies: &mut [FeedCache],
        zone: Tz,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let stale_before = now - FRESH_FOR;
        let stale: Vec<usize> =
            (0..copies.len()).filter(|&i| copies[i].fetched_at <= stale_before.timestamp()).collect();
        if stale.is_empty() {
            return Ok(());
        }
        let claims = futures::future::join_all(stale.iter().map(|&i| {
            self.store.claim_feed_refresh(tenant_id, agent_id, &calendars[i].id, now, stale_before, now + REFRESH_LEASE)
        }))
        .await;
        let mut running = Vec::new();
        for (&i, claimed) in stale.iter().zip(claims) {
            if !claimed? {
                continue; // another lookup is refreshing it, or just did
            }
            let (reader, calendar, old) = (self.clone(), calendars[i].clone(), copies[i].clone());
            let (tenant_id, agent_id) = (tenant_id.to_string(), agent_id.to_string());
            let task = tokio::spawn(async move {
                let was_failing = old.error.is_some();
                let fresh = reader.refreshed(&calendar, old, zone, now).await;
                if let (false, Some(error)) = (was_failing, &fresh.error) {
                    reader.alert(&tenant_id, &agent_id, &calendar, error, now).await;
                }
                if let Err(err) = reader.store.save_feed_cache(&tenant_id, &agent_id, &fresh).await {
                    tracing::warn!(calendar = %calendar.id, %err, "a refreshed calendar copy could not be saved");
                }
                fresh
            });
            running.push((i, task));
        }
        // Dropping a handle detaches its task: a refresh that outlasts the wait still saves.
        let waited = tokio::time::timeout(REFRESH_WAIT, futures::future::join_all(running.iter_mut().map(|(_, t)| t)));
        if let Ok(done) = waited.await {
            for ((i, _), fresh) in running.iter().zip(done) {
                if let Ok(fresh) = fresh {
                    copies[*i] = fresh;
                }
            }
        }
        Ok(())
    }

    /// Tells the agent a calendar stopped being readable (its busy time is missing from the
    /// slots meanwhile): an outbox item the scheduled delivery sends, at most one a day per
    /// calendar. Never a failure for the lookup that noticed.
    async fn alert(
        &self,
        tenant_id: &str,
        agent_id: &str,
        calendar: &ConnectedCalendar,
        error: &str,
        now: DateTime<Utc>,
    ) {
        let host =
            reqwest::Url::parse(&calendar.url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
        let planned = crate::domain::notification::calendar_alert(tenant_id, agent_id, &calendar.id, &host, error, now);
        if let Err(err) = self.store.put_planned_once(&planned).await {
            tracing::warn!(calendar = %calendar.id, %err, "the agent could not be told a calendar cannot be read");
        }
    }

    /// One refresh: a new copy on success; on failure the old busy time with the reason.
    async fn refreshed(&self, calendar: &ConnectedCalendar, old: FeedCache, zone: Tz, now: DateTime<Utc>) -> FeedCache {
        // After unreadable content, ask with its validators: "not modified" then means the same
        // bad file, which is not read again.
        let retrying_bad = old.unreadable && (old.failed_etag.is_some() || old.failed_last_modified.is_some());
        let validators = if retrying_bad {
            Validators { etag: old.failed_etag.as_deref(), last_modified: old.failed_last_modified.as_deref() }
        } else {
            Validators { etag: old.etag.as_deref(), last_modified: old.last_modified.as_deref() }
        };
        let attempt = self.fetcher.fetch(&calendar.url, validators).await;
        let fetched_at = now.timestamp();
        match attempt {
            Ok(Fetched::NotModified) if retrying_bad => FeedCache { fetched_at, ..old },
            Ok(Fetched::NotModified) => FeedCache { fetched_at, succeeded_at: Some(fetched_at), error: None, ..old },
            Ok(Fetched::Modified { body, etag, last_modified }) => match self.read(body, zone, now).await {
                Ok((busy_base, busy)) => FeedCache {
                    calendar_id: calendar.id.clone(),
                    busy,
                    busy_base,
                    etag,
                    last_modified,
                    fetched_at,
                    succeeded_at: Some(fetched_at),
                    ..FeedCache::default()
                },
                Err(err) => {
                    tracing::warn!(calendar = %calendar.id, %err, "calendar feed unreadable; the last good copy stays in use");
                    FeedCache {
                        fetched_at,
                        error: Some(err.to_string()),
                        unreadable: true,
                        failed_etag: etag,
                        failed_last_modified: last_modified,
                        ..old
                    }
                }
            },
            Err(err) => {
                tracing::warn!(calendar = %calendar.id, %err, "calendar feed not refreshed; the last good copy stays in use");
                FeedCache { fetched_at, error: Some(err.to_string()), unreadable: false, ..old }
            }
        }
    }

    /// Reads a feed's busy time on a blocking thread, within the reader's limits, and packs it.
    async fn read(&self, body: String, zone: Tz, now: DateTime<Utc>) -> Result<(i64, Vec<u8>), FeedError> {
        let horizon = feed_reader::horizon(now);
        let limits = self.limits.clone();
        let start = horizon.start;
        let read = tokio::task::spawn_blocking(move || feed_reader::busy_times(&body, zone, &horizon, &limits))
            .await
            .map_err(|_| FeedError::Malformed("the reader stopped unexpectedly".into()))??;
        let merged = merge(read);
        if merged.len() > MAX_STORED_BUSY {
            return Err(FeedError::TooLarge(format!("more than {MAX_STORED_BUSY} separate busy periods")));
        }
        Ok(FeedCache::pack(start, &merged))
    }
}
