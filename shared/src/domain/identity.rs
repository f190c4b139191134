//! Guest identity (G1–G6): a guest's email is a claim until a code sent to it comes back.
//!
//! A booking that needs the proof becomes a **hold**: it takes the slot for others at once (every
//! booking rule checked as for a booking) and is turned into the meeting only when the guest
//! confirms with the code, or the one-click link, within [`HOLD_MINUTES`]. An unconfirmed hold
//! frees its slot by itself: every condition that protects a slot treats a hold past its expiry
//! as free, so no process has to run. Confirming (or signing in by code without booking) gives a
//! session with which later bookings confirm at once.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::directory::BookingPage;
use super::meeting::ValidBooking;
use super::time::Interval;

/// When a guest must prove their email before a booking stands (G1): a setting per agent whose
/// default the tenant chooses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Every booking by a guest who is not signed in as that address.
    #[default]
    Always,
    /// Only when the address already has meetings or a conversation with the agent: a
    /// newcomer books at once, a returning address must prove it is theirs.
    Returning,
    /// Never; such bookings stay unverified (G4: they join no existing conversation).
    Off,
}

/// How long a hold waits for its code, and a code for its guest.
pub const HOLD_MINUTES: i64 = 10;
/// Wrong codes a hold (or a sign-in) accepts; the next wrong one drops it.
pub const MAX_CODE_ATTEMPTS: u32 = 5;
/// How long a guest session lasts.
pub const SESSION_DAYS: i64 = 30;
/// AC1: an agent's console session ends after this many days…
pub const CONSOLE_SESSION_DAYS: i64 = 7;
/// …or after this many hours without use (its use is recorded to the hour).
pub const CONSOLE_IDLE_HOURS: i64 = 12;

/// AC1: whether a console session opened at `created_at`, last used in the hour `last_used`
/// (`YYYY-MM-DDTHH`), still stands at `now`. Idleness is counted from the end of the hour of last
/// use, so a session is never cut short by the hour's rounding.
pub fn console_session_stands(created_at: DateTime<Utc>, last_used: Option<&str>, now: DateTime<Utc>) -> bool {
    let last_hour = last_used
        .and_then(|hour| chrono::NaiveDateTime::parse_from_str(&format!("{hour}:00"), "%Y-%m-%dT%H:%M").ok())
        .map(|at| at.and_utc() + Duration::hours(1));
    let last = last_hour.map_or(created_at, |hour| hour.max(created_at));
    now < created_at + Duration::days(CONSOLE_SESSION_DAYS) && now < last + Duration::hours(CONSOLE_IDLE_HOURS)
}

/// G5: open holds per guest address in a tenant.
pub const MAX_OPEN_HOLDS_PER_EMAIL: u16 = 3;
/// G5: codes sent to one address in an hour (holds, resends, sign-ins).
pub const MAX_CODES_PER_HOUR: u16 = 5;
/// G5, G8: open holds one client may have on one booking page, whatever addresses it makes up
/// (counted per client, so that no client can fill a page for everyone else).
pub const MAX_OPEN_HOLDS_PER_PAGE: u16 = 10;
/// G8: codes one client may ask for in an hour, whatever the addresses: a client cannot spend
/// many addresses' budgets (and those it spends, their owners still sign in by the emails' links).
pub const MAX_CODES_PER_CLIENT_PER_HOUR: u16 = 30;
/// G9: unproven bookings (verification `off`) one client may have scheduled with one agent.
pub const MAX_UNVERIFIED_MEETINGS_PER_CLIENT: u16 = 10;
/// Bookings one address makes in an hour: what a verified guest can send by booking and
/// cancelling in a loop (every booking mails up to eleven people).
pub const MAX_BOOKINGS_PER_HOUR: u16 = 10;

/// Whether a guest booking by `email` must wait for the guest's code (G1, G2). `signed_in_as`
/// is the address of the guest session that came with the request, if any; `returning` says
/// whether the address already has meetings or a conversation with the agent (only asked when
/// the setting is [`Verification::Returning`]).
pub fn needs_proof(setting: Verification, email: &str, signed_in_as: Option<&str>, returning: bool) -> bool {
    if signed_in_as == Some(email) {
        return false;
    }
    match setting {
        Verification::Always => true,
        Verification::Returning => returning,
        Verification::Off => false,
    }
}

/// What a hold or a sign-in waits for: a code (stored as a hash) and a try counter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// SHA-256 of the challenge's id and the code: the code is never stored.
    pub code_hash: String,
    pub attempts: u32,
    /// Epoch seconds; after it the challenge is gone (its slot, if any, free).
    pub expires_at: i64,
}

/// What a code, presented to a challenge, comes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Right,
    /// Wrong, with this many tries left.
    Wrong {
        left: u32,
    },
    /// Wrong, and the last try: the challenge is dropped.
    Exhausted,
    Expired,
}

impl Challenge {
    pub fn new(code_hash: String, now: DateTime<Utc>) -> Self {
        Self { code_hash, attempts: 0, expires_at: (now + Duration::minutes(HOLD_MINUTES)).timestamp() }
    }

    /// A hold's challenge (G10): it ends at the earlier of [`HOLD_MINUTES`] and `bookable_until`,
    /// the last moment its slot may still be booked (its start less the minimum notice), so a
    /// hold never outlives its slot.
    pub fn for_hold(code_hash: String, now: DateTime<Utc>, bookable_until: DateTime<Utc>) -> Self {
        let challenge = Self::new(code_hash, now);
        Self { expires_at: challenge.expires_at.min(bookable_until.timestamp()), ..challenge }
    }

    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        now.timestamp() >= self.expires_at
    }

    /// When it expires, as an instant.
    pub fn expiry(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.expires_at, 0).unwrap_or_default()
    }

    /// The challenge as it stands for a try: `taken` tries were taken before it (the store
    /// counts each try before its code is compared, so racing guesses each get their own).
    pub fn at_try(&self, taken: u32) -> Self {
        Self { attempts: taken, ..self.clone() }
    }

    pub fn tries_left(&self) -> u32 {
        MAX_CODE_ATTEMPTS.saturating_sub(self.attempts)
    }

    /// `matches` says whether the presented code hashes to `code_hash` (compared by the caller,
    /// in constant time); `self.attempts` is the number of tries taken before this one.
    pub fn judge(&self, matches: bool, now: DateTime<Utc>) -> Verdict {
        if self.expired(now) || self.attempts >= MAX_CODE_ATTEMPTS {
            return Verdict::Expired;
        }
        if matches {
            return Verdict::Right;
        }
        match MAX_CODE_ATTEMPTS - self.attempts - 1 {
            0 => Verdict::Exhausted,
            left => Verdict::Wrong { left },
        }
    }
}

/// Where a hold stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldStatus {
    /// Waiting for the code (or gone, once past its expiry: see [`Hold::open_at`]).
    Open,
    /// Turned into the meeting of the same id.
    Confirmed,
    /// Dropped after too many wrong codes or by a failed confirmation; its slot is free.
    Dropped,
}

/// A booking waiting for its guest's code (G2): everything the meeting will be once confirmed,
/// and the challenge that confirms it. Its id becomes the meeting's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hold {
    pub id: String,
    /// The page it was made through, as it was then: the meeting keeps its rules.
    pub page: BookingPage,
    pub request: ValidBooking,
    pub blocked_from: DateTime<Utc>,
    pub blocked_to: DateTime<Utc>,
    pub challenge: Challenge,
    pub status: HoldStatus,
    /// The G5 places it holds (its guest's open holds, its client's on the page), given back on
    /// confirmation. A guest with a session takes no place on the page (G8).
    pub guest_place: u16,
    #[serde(default)]
    pub page_place: Option<u16>,
    /// The client it came from (a digest, `store::keys::client`): whose page places it holds.
    #[serde(default)]
    pub client: String,
    pub created_at: DateTime<Utc>,
}

impl Hold {
    pub fn blocked(&self) -> Interval {
        self.blocked_from..self.blocked_to
    }

    /// Open and not expired: the only state in which it holds its slot or can be confirmed.
    pub fn open_at(&self, now: DateTime<Utc>) -> bool {
        self.status == HoldStatus::Open && !self.challenge.expired(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_console_session_ends_after_twelve_idle_hours_or_seven_days() {
        let at = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc);
        let opened = at("2027-03-01T09:30:00Z");
        let table = [
            ("fresh", None, "2027-03-01T21:29:00Z", true),
            ("never used, 12 hours on", None, "2027-03-01T21:30:00Z", false),
            ("used at 10:xx: idle counts from 11:00", Some("2027-03-01T10"), "2027-03-01T22:59:00Z", true),
            ("used at 10:xx, 12 hours after 11:00", Some("2027-03-01T10"), "2027-03-01T23:00:00Z", false),
            ("used every day, on day 6", Some("2027-03-07T08"), "2027-03-07T09:00:00Z", true),
            ("used every day, 7 days on", Some("2027-03-08T09"), "2027-03-08T09:30:00Z", false),
            ("a garbled hour counts as never used", Some("yesterday"), "2027-03-01T22:00:00Z", false),
        ];
        for (what, last, now, stands) in table {
            assert_eq!(console_session_stands(opened, last, at(now)), stands, "{what}");
        }
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    #[test]
    fn who_must_prove_their_address() {
        use Verification::*;
        let me = "grace@example.com";
        assert!(needs_proof(Always, me, None, false));
        assert!(
            needs_proof(Always, me, Some("eve@example.com"), false),
            "a session for another address does not count"
        );
        assert!(!needs_proof(Always, me, Some(me), false));
        assert!(!needs_proof(Returning, me, None, false), "a newcomer books at once");
        assert!(needs_proof(Returning, me, None, true), "a returning address must prove it is theirs");
        assert!(!needs_proof(Off, me, None, true));
    }

    #[test]
    fn a_hold_ends_before_its_slot_stops_being_bookable() {
        let c = Challenge::for_hold("h".into(), at(0), at(3600));
        assert_eq!(c.expires_at, 600, "ten minutes when the slot is far enough");
        let c = Challenge::for_hold("h".into(), at(0), at(165));
        assert_eq!(c.expires_at, 165, "at the start less the notice when that comes first");
        assert_eq!(c.judge(true, at(165)), Verdict::Expired);
    }

    #[test]
    fn five_wrong_codes_drop_the_challenge_and_time_ends_it() {
        let mut c = Challenge::new("h".into(), at(0));
        assert_eq!(c.expires_at, 600);
        assert_eq!(c.judge(false, at(10)), Verdict::Wrong { left: 4 });
        c.attempts = 4;
        assert_eq!(c.judge(false, at(10)), Verdict::Exhausted);
        assert_eq!(c.judge(true, at(10)), Verdict::Right, "the right code on the fifth try");
        c.attempts = 5;
        assert_eq!(c.judge(true, at(10)), Verdict::Expired);
        assert_eq!(Challenge::new("h".into(), at(0)).judge(true, at(600)), Verdict::Expired);
    }
}
