//! Capped places (B2): at most `cap` of something per key, as numbered places `0..cap`, each
//! free when nobody holds it or its holder's time has ended. The store claims a place with a
//! condition that says exactly that, so two claims of one place never both land; which place to
//! ask for is decided here, from the places as they were last read.

use chrono::{DateTime, Utc};

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
    }
}
