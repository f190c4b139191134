//! Connected calendars (A3, SPEC §4): busy time read from the agents' iCalendar feeds, fetched
//! safely and cached, behind a seam a Google or Graph free/busy adapter can later sit behind.

pub mod busy;
pub mod fetch;
pub mod parse;
pub mod zones;
