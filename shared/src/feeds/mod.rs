//! Connected calendars (A3, SPEC §4): busy time read from the agents' iCalendar feeds, fetched
//! safely ([`fetch`]), read within fixed budgets (the `feed-reader` crate) and cached
//! ([`busy`]), behind a seam a Google or Graph free/busy adapter can later sit behind.

pub mod busy;
pub mod fetch;
