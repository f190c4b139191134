//! Booking a service, not a person (S9–S11): its slots are the union of its hosts' (each by their
//! own rules, calendars and meetings, read side by side with a bounded fan-out); a booking picks
//! the host among those free at the time by S10's order and books with them, trying the next in
//! the same request when a racing booking took the first one's time.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use futures::stream::{self, StreamExt};
use rand::Rng;

use super::book::{self, BookError, Order, Outcome};
use super::slots::{LookupError, Query};
use super::Deps;
use crate::domain::availability::MAX_BLOCKED_MINUTES;
use crate::domain::directory::{Agent, BookingPage, ConnectedCalendar};
use crate::domain::hosts::{order, HostReason, HostStats};
use crate::domain::service_page::ServicePage;
use crate::domain::service_slots::{free_at, union_slots, Member};
use crate::domain::slots::{BusyTimes, Refusal, Slot};
use crate::domain::time::{billing_month, wall_to_instant, ClockTime, Edge, Interval};
use crate::store::{Page, StoreError};

/// How many hosts' meetings are read at once.
const FAN_OUT: usize = 32;

/// A service's slots as a guest sees them.
pub struct ServiceLookup {
    pub time_zone: Tz,
    pub duration: u16,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub slots: Vec<Slot>,
}

/// The hosts of a service page: its active static members on its PBX (S9, T5), one batch read.
async fn hosts(deps: &Deps, page: &ServicePage) -> Result<Vec<Agent>, StoreError> {
    let ids: Vec<&str> = page.members.iter().map(|m| m.agent_id.as_str()).collect();
    let agents = deps.store.agents_by_id(&page.tenant_id, &ids).await?;
    Ok(agents.into_iter().filter(|a| page.may_host(a)).collect())
}

/// Each host's page through the service and busy time around `range`: their calendars' copies
/// in one batch read, their meetings' spans one query each with a bounded fan-out.
async fn hosts_busy(
    deps: &Deps,
    page: &ServicePage,
    hosts: &[Agent],
    range: &Interval,
    now: DateTime<Utc>,
) -> Result<Vec<(BookingPage, BusyTimes)>, StoreError> {
    let pages: Vec<BookingPage> = hosts.iter().map(|host| page.for_host(host, HostReason::OnlyFree)).collect();
    if range.end <= now {
        return Ok(pages.into_iter().map(|p| (p, BusyTimes::default())).collect());
    }
    let reach = Duration::minutes(MAX_BLOCKED_MINUTES.into());
    let around = (range.start - reach)..(range.end + reach);
    let calendars: Vec<(&str, &[ConnectedCalendar], Tz)> =
        hosts.iter().map(|h| (h.id.as_str(), h.calendars.as_slice(), h.availability.time_zone)).collect();
    let spans: Vec<_> =
        hosts.iter().map(|host| deps.store.busy_spans(&page.tenant_id, &host.id, &around, now)).collect();
    let reader = deps.calendars();
    let (external, spans) = tokio::join!(
        reader.busy_of(&page.tenant_id, &calendars, now),
        stream::iter(spans).buffered(FAN_OUT).collect::<Vec<_>>()
    );
    let external = external?;
    pages
        .into_iter()
        .zip(spans.into_iter().zip(external))
        .map(|(p, (spans, external))| Ok((p, BusyTimes::new(spans?.into_iter().chain(external).collect()))))
        .collect()
}

fn duration_of(page: &ServicePage, asked: Option<u16>) -> Result<u16, Refusal> {
    let duration = asked.unwrap_or_else(|| page.durations.first().copied().unwrap_or(30));
    if !page.durations.contains(&duration) {
        return Err(Refusal::DurationNotAllowed { requested: duration, allowed: page.durations.clone() });
    }
    Ok(duration)
}

/// S9: the union of the hosts' free slots.
pub async fn lookup(deps: &Deps, page: &ServicePage, query: Query) -> Result<ServiceLookup, LookupError> {
    let now = deps.clock.now();
    let zone = query.time_zone.unwrap_or(chrono_tz::UTC);
    let (from, to) = super::slots::dates(&query, zone, now)?;
    let duration = duration_of(page, query.duration)?;
    let range = wall_to_instant(zone, from, ClockTime::MIDNIGHT, Edge::Start)
        ..wall_to_instant(zone, to, ClockTime::END_OF_DAY, Edge::Start);
    let hosts = hosts(deps, page).await?;
    let read = hosts_busy(deps, page, &hosts, &range, now).await?;
    let members: Vec<Member> =
        read.iter().map(|(p, busy)| Member { id: &p.agent_id, rules: p.rules(), busy }).collect();
    let slots = union_slots(&members, now, duration, &range).into_iter().map(|(slot, _)| slot).collect();
    Ok(ServiceLookup { time_zone: zone, duration, from, to, slots })
}

/// A member free at a time, in S10's order: why they are chosen, and the range their meeting
/// would block.
pub(crate) struct Turn {
    pub host: Agent,
    pub reason: HostReason,
    pub blocked: Interval,
}

/// S10: the service's hosts free for `duration` minutes from `start`, in the order they are
/// tried (by priority, this month's count, least recently booked, then at random).
pub(crate) async fn turns(
    deps: &Deps,
    page: &ServicePage,
    start: DateTime<Utc>,
    duration: u16,
    now: DateTime<Utc>,
) -> Result<Vec<Turn>, StoreError> {
    let around = start..start + Duration::minutes(duration.into());
    let hosts = hosts(deps, page).await?;
    let month = billing_month(now);
    let (read, stats) = tokio::join!(
        hosts_busy(deps, page, &hosts, &around, now),
        deps.store.host_stats(&page.tenant_id, &page.service_id, &month)
    );
    let (read, stats) = (read?, stats?);
    let members: Vec<Member> =
        read.iter().map(|(p, busy)| Member { id: &p.agent_id, rules: p.rules(), busy }).collect();
    let free = free_at(&members, now, start, duration);
    let ranked: Vec<(&str, HostStats)> = free
        .iter()
        .map(|(id, _)| {
            let counted = stats.get(*id).cloned().unwrap_or_default();
            (*id, HostStats { priority: page.priority(id), ..counted })
        })
        .collect();
    let ordered = order(&ranked, |n| rand::rng().random_range(0..n));
    Ok(ordered
        .into_iter()
        .filter_map(|(id, reason)| {
            let host = hosts.iter().find(|h| h.id == id)?;
            let blocked = free.iter().find(|(free_id, _)| *free_id == id)?.1.clone();
            Some(Turn { host: host.clone(), reason, blocked })
        })
        .collect())
}

/// What a service booking needs besides the service: the request and who books.
pub struct ServiceOrder<'a> {
    pub request: crate::domain::meeting::ValidBooking,
    pub signed_in_as: Option<&'a str>,
    pub idempotency_key: Option<&'a str>,
    pub client: &'a str,
}

/// S10: the hosts free at the time, in order; each tried in turn until one books (a hold counts:
/// the host is chosen then). Refused only when none is free.
pub async fn book(deps: &Deps, page: &ServicePage, order_of: ServiceOrder<'_>) -> Result<Outcome, BookError> {
    let now = deps.clock.now();
    let request = &order_of.request;
    duration_of(page, Some(request.duration))?;
    let turns = turns(deps, page, request.start, request.duration, now).await?;
    if turns.is_empty() {
        return Err(BookError::Refused(Refusal::SlotTaken));
    }
    for turn in turns {
        let host_page = page.for_host(&turn.host, turn.reason);
        let attempt = book::book(
            deps,
            Order {
                page: &host_page,
                request: request.clone(),
                booker: book::Booker::Guest { signed_in_as: order_of.signed_in_as },
                idempotency_key: order_of.idempotency_key,
                client: order_of.client,
            },
        )
        .await;
        match attempt {
            // A racing booking took this host's time: the next one (S10).
            Err(BookError::SlotTaken) | Err(BookError::Refused(Refusal::SlotTaken)) => continue,
            other => return other,
        }
    }
    Err(BookError::SlotTaken)
}

/// The page a hold was made through as it is now (G10): an agent's page or link, or for a
/// service the host's page through it while the host still hosts it.
pub(crate) async fn current_page(deps: &Deps, held: &BookingPage) -> Result<Option<BookingPage>, StoreError> {
    match deps.store.page(&held.slug, true).await? {
        Some(Page::Agent(page)) => Ok(Some(*page).filter(|p| p.agent_id == held.agent_id && held.service.is_none())),
        Some(Page::Service(service)) => {
            let Some(chosen) = held.service.as_ref().filter(|s| s.id == service.service_id) else { return Ok(None) };
            let host = deps.store.agent(&service.tenant_id, &held.agent_id).await?.map(|(agent, _)| agent);
            Ok(host.filter(|h| service.may_host(h)).map(|h| service.for_host(&h, chosen.reason)))
        }
        None => Ok(None),
    }
}
