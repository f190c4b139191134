//! Capped places: at most `cap` of something per key, as numbered places `0..cap`, each free when
//! nobody holds it or its holder's time has ended. The store claims a place with a condition that
//! says exactly that, so two claims of one place never both land; which place to ask for is
//! decided here, from the places as they were last read.
//!
//! The service counts these things this way (each a [`PlaceKind`]): a proven guest's scheduled
//! meetings with an agent (B2), the guest-identity limits of G5, and the per-client bounds of G8
//! and G9 (a client is the address a request came from, so one client cannot fill what is
//! shared: a page's open holds, the codes of someone else's address).

use chrono::{DateTime, Duration, Utc};

use super::identity::{
    HOLD_MINUTES, MAX_BOOKINGS_PER_HOUR, MAX_CODES_PER_CLIENT_PER_HOUR, MAX_CODES_PER_HOUR, MAX_OPEN_HOLDS_PER_EMAIL,
    MAX_OPEN_HOLDS_PER_PAGE, MAX_UNVERIFIED_MEETINGS_PER_CLIENT,
};

/// T4: admin keys a tenant holds at once, the first one included.
pub const MAX_ADMIN_KEYS: u16 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    /// B2 (G9): a proven guest's scheduled meetings with one agent, each held until the meeting
    /// ends; the cap is the agent's setting.
    GuestMeeting,
    /// G5: a guest address's open holds in a tenant.
    OpenHold,
    /// G5: codes sent to a guest address in a tenant, each counted for an hour.
    CodeSent,
    /// G8: codes one client asked for in a tenant, whatever the addresses, each for an hour.
    CodeSentByClient,
    /// G5, G8: one client's open holds on one booking page.
    PageHold,
    /// Bookings a guest address makes in a tenant, each counted for an hour.
    BookingMade,
    /// G9: unproven bookings (verification `off`) one client has with one agent, each held until
    /// the meeting ends: they take no guest's place under the cap.
    UnverifiedMeeting,
    /// T4: a tenant's admin keys, each held until revoked.
    AdminKey,
}

impl PlaceKind {
    /// How many places there are; `None` when the cap is a setting (the guest cap).
    pub fn cap(self) -> Option<u16> {
        match self {
            PlaceKind::GuestMeeting => None,
            PlaceKind::OpenHold => Some(MAX_OPEN_HOLDS_PER_EMAIL),
            PlaceKind::CodeSent => Some(MAX_CODES_PER_HOUR),
            PlaceKind::CodeSentByClient => Some(MAX_CODES_PER_CLIENT_PER_HOUR),
            PlaceKind::PageHold => Some(MAX_OPEN_HOLDS_PER_PAGE),
            PlaceKind::BookingMade => Some(MAX_BOOKINGS_PER_HOUR),
            PlaceKind::UnverifiedMeeting => Some(MAX_UNVERIFIED_MEETINGS_PER_CLIENT),
            PlaceKind::AdminKey => Some(MAX_ADMIN_KEYS),
        }
    }

    /// Until when a place claimed at `now` is held, for the kinds held for a fixed time.
    pub fn held_until(self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            PlaceKind::GuestMeeting | PlaceKind::UnverifiedMeeting | PlaceKind::AdminKey => None,
            PlaceKind::OpenHold | PlaceKind::PageHold => Some(now + Duration::minutes(HOLD_MINUTES)),
            PlaceKind::CodeSent | PlaceKind::CodeSentByClient | PlaceKind::BookingMade => {
                Some(now + Duration::hours(1))
            }
        }
    }
}

/// A place as stored: its number and until when it is held (epoch seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    pub place: u16,
    pub until: i64,
}

/// The lowest place of `0..cap` nobody holds at `now`, if any.
pub fn first_free(held: &[Held], cap: u16, now: DateTime<Utc>) -> Option<u16> {
    let now = now.timestamp();
    (0..cap).find(|p| !held.iter().any(|h| h.place == *p && h.until > now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_is_free_when_empty_or_ended() {
        let now = DateTime::<Utc>::from_timestamp(1000, 0).unwrap();
        assert_eq!(first_free(&[], 2, now), Some(0));
        assert_eq!(first_free(&[Held { place: 0, until: 2000 }], 2, now), Some(1));
        assert_eq!(first_free(&[Held { place: 0, until: 2000 }, Held { place: 1, until: 1500 }], 2, now), None);
        assert_eq!(
            first_free(&[Held { place: 0, until: 1000 }, Held { place: 1, until: 1500 }], 2, now),
            Some(0),
            "ended at now"
        );
        assert_eq!(PlaceKind::CodeSent.cap(), Some(5));
        assert_eq!(PlaceKind::OpenHold.held_until(now).unwrap().timestamp(), 1600);
    }
}
