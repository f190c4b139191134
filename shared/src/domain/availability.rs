//! An agent's availability: zone, weekly hours with breaks, date overrides and booking settings (A1–A4).

use std::collections::BTreeMap;

use chrono::{NaiveDate, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::identity::Verification;
use super::time::ClockTime;
use super::validation::{FieldError, Validate};

/// Every blocked range is a whole number of these, so no-overlap can be enforced by locking
/// fixed time granules (see `store::locks`). Durations, steps, buffers and working-hour edges
/// must be multiples of it; every zone in use today has an offset that is a multiple of it too.
pub const GRANULE_MINUTES: u16 = 5;

/// Longest meeting a guest can pick.
pub const MAX_DURATION_MINUTES: u16 = 180;
pub const MAX_BUFFER_MINUTES: u16 = 30;
/// Longest range one meeting may block (duration plus buffers). A reschedule releases the old
/// range's lock items and takes the new one's in one transaction: 2 × 42 granules plus the
/// meeting, spans, conversation and notification items stay under DynamoDB's 100-item limit.
pub const MAX_BLOCKED_MINUTES: u16 = 210;
/// "It is possible to schedule a meeting a month in advance at maximum" [seed].
pub const MAX_BOOKING_WINDOW_DAYS: u16 = 31;
pub const MAX_INTERVALS_PER_DAY: usize = 12;
pub const MAX_DATE_OVERRIDES: usize = 400;
pub const MAX_REMINDERS: usize = 5;

/// One stretch of working time on the wall clock, `start < end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingInterval {
    pub start: ClockTime,
    pub end: ClockTime,
}

impl WorkingInterval {
    pub fn new(start: ClockTime, end: ClockTime) -> Self {
        Self { start, end }
    }
}

/// The intervals of each weekday. A lunch break is the gap between two intervals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WeeklyHours {
    pub monday: Vec<WorkingInterval>,
    pub tuesday: Vec<WorkingInterval>,
    pub wednesday: Vec<WorkingInterval>,
    pub thursday: Vec<WorkingInterval>,
    pub friday: Vec<WorkingInterval>,
    pub saturday: Vec<WorkingInterval>,
    pub sunday: Vec<WorkingInterval>,
}

impl WeeklyHours {
    pub fn day(&self, weekday: Weekday) -> &[WorkingInterval] {
        match weekday {
            Weekday::Mon => &self.monday,
            Weekday::Tue => &self.tuesday,
            Weekday::Wed => &self.wednesday,
            Weekday::Thu => &self.thursday,
            Weekday::Fri => &self.friday,
            Weekday::Sat => &self.saturday,
            Weekday::Sun => &self.sunday,
        }
    }

    fn days(&self) -> [(&'static str, &[WorkingInterval]); 7] {
        [
            ("monday", &self.monday),
            ("tuesday", &self.tuesday),
            ("wednesday", &self.wednesday),
            ("thursday", &self.thursday),
            ("friday", &self.friday),
            ("saturday", &self.saturday),
            ("sunday", &self.sunday),
        ]
    }

    /// Monday to Friday, 09:00–13:00 and 14:00–18:00: the guide's 1–2 pm lunch break.
    pub fn office_hours() -> Self {
        let day = vec![
            WorkingInterval::new(ClockTime::hm(9, 0), ClockTime::hm(13, 0)),
            WorkingInterval::new(ClockTime::hm(14, 0), ClockTime::hm(18, 0)),
        ];
        Self {
            monday: day.clone(),
            tuesday: day.clone(),
            wednesday: day.clone(),
            thursday: day.clone(),
            friday: day,
            saturday: vec![],
            sunday: vec![],
        }
    }
}

/// Everything that decides when an agent can be booked. Durations and times are in minutes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Availability {
    #[serde(with = "zone_name")]
    pub time_zone: Tz,
    #[serde(default = "WeeklyHours::office_hours")]
    pub weekly_hours: WeeklyHours,
    /// Other hours on specific dates; an empty list closes the day (holiday, time off).
    #[serde(default)]
    pub date_overrides: BTreeMap<NaiveDate, Vec<WorkingInterval>>,
    #[serde(default = "defaults::durations")]
    pub durations: Vec<u16>,
    #[serde(default = "defaults::default_duration")]
    pub default_duration: u16,
    #[serde(default = "defaults::slot_step")]
    pub slot_step: u16,
    #[serde(default)]
    pub buffer_before: u16,
    #[serde(default)]
    pub buffer_after: u16,
    #[serde(default = "defaults::minimum_notice")]
    pub minimum_notice: u32,
    #[serde(default = "defaults::booking_window_days")]
    pub booking_window_days: u16,
    /// B2: scheduled meetings one guest may hold with this agent at once.
    #[serde(default = "defaults::max_meetings_per_guest")]
    pub max_meetings_per_guest: u16,
    /// R1: minutes before the start at which reminders go out.
    #[serde(default = "defaults::reminder_lead_times")]
    pub reminder_lead_times: Vec<u32>,
    /// G1: when a guest must prove their address with a code. A new agent takes the tenant's
    /// default; a document that leaves it out keeps the agent's current setting (see
    /// [`Availability::keeping`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest_verification: Option<Verification>,
}

pub mod defaults {
    pub fn durations() -> Vec<u16> {
        vec![15, 30, 45, 60]
    }
    /// "By default, meeting duration is 30 min" [seed].
    pub fn default_duration() -> u16 {
        30
    }
    pub fn slot_step() -> u16 {
        15
    }
    pub fn minimum_notice() -> u32 {
        60
    }
    pub fn booking_window_days() -> u16 {
        super::MAX_BOOKING_WINDOW_DAYS
    }
    /// "Maximum 2 scheduled meetings with one agent are allowed" [seed].
    pub fn max_meetings_per_guest() -> u16 {
        2
    }
    pub fn reminder_lead_times() -> Vec<u32> {
        vec![15]
    }
}

impl Availability {
    /// The settings a new agent starts with.
    pub fn new(time_zone: Tz) -> Self {
        Self {
            time_zone,
            weekly_hours: WeeklyHours::office_hours(),
            date_overrides: BTreeMap::new(),
            durations: defaults::durations(),
            default_duration: defaults::default_duration(),
            slot_step: defaults::slot_step(),
            buffer_before: 0,
            buffer_after: 0,
            minimum_notice: defaults::minimum_notice(),
            booking_window_days: defaults::booking_window_days(),
            max_meetings_per_guest: defaults::max_meetings_per_guest(),
            reminder_lead_times: defaults::reminder_lead_times(),
            guest_verification: Some(Verification::default()),
        }
    }

    /// The guest verification in force (G1): the safe `always` when none was ever set.
    /// The rules a meeting handed over to this agent must meet (T5): their hours, date
    /// overrides and buffers, at any notice, on a five-minute grid, of the meeting's own
    /// duration. The meeting exists already; only whether this agent is free for it is asked.
    pub fn for_handover(&self, duration: u16) -> Availability {
        Availability {
            durations: vec![duration],
            default_duration: duration,
            slot_step: GRANULE_MINUTES,
            minimum_notice: 0,
            booking_window_days: MAX_BOOKING_WINDOW_DAYS,
            ..self.clone()
        }
    }

    pub fn verification(&self) -> Verification {
        self.guest_verification.unwrap_or_default()
    }

    /// A replacement document, with what it left out that is not a plain default kept from the
    /// current settings (the guest verification, which the tenant chose for new agents).
    pub fn keeping(mut self, current: &Availability) -> Availability {
        self.guest_verification = self.guest_verification.or(current.guest_verification);
        self
    }

    /// The working intervals of a date: its override if it has one, else its weekday's.
    pub fn intervals_on(&self, date: NaiveDate) -> &[WorkingInterval] {
        use chrono::Datelike;
        match self.date_overrides.get(&date) {
            Some(intervals) => intervals,
            None => self.weekly_hours.day(date.weekday()),
        }
    }
}

impl Validate for Availability {
    fn validate(&self) -> Result<(), FieldError> {
        for (name, intervals) in self.weekly_hours.days() {
            validate_day(&format!("weekly_hours.{name}"), intervals)?;
        }
        if self.date_overrides.len() > MAX_DATE_OVERRIDES {
            return Err(FieldError::new("date_overrides", format!("at most {MAX_DATE_OVERRIDES} dates")));
        }
        for (date, intervals) in &self.date_overrides {
            validate_day(&format!("date_overrides.{date}"), intervals)?;
        }
        if self.durations.is_empty() || self.durations.len() > 10 {
            return Err(FieldError::new("durations", "between 1 and 10 durations"));
        }
        for d in &self.durations {
            minutes_in("durations", u32::from(*d), GRANULE_MINUTES.into(), MAX_DURATION_MINUTES.into())?;
        }
        if !self.durations.contains(&self.default_duration) {
            return Err(FieldError::new("default_duration", "must be one of `durations`"));
        }
        let longest = self.durations.iter().max().copied().unwrap_or(0);
        if longest + self.buffer_before + self.buffer_after > MAX_BLOCKED_MINUTES {
            return Err(FieldError::new(
                "durations",
                format!("the longest duration plus both buffers must be at most {MAX_BLOCKED_MINUTES} minutes"),
            ));
        }
        minutes_in("slot_step", self.slot_step.into(), GRANULE_MINUTES.into(), MAX_DURATION_MINUTES.into())?;
        minutes_in("buffer_before", self.buffer_before.into(), 0, MAX_BUFFER_MINUTES.into())?;
        minutes_in("buffer_after", self.buffer_after.into(), 0, MAX_BUFFER_MINUTES.into())?;
        if self.minimum_notice > 30 * 24 * 60 {
            return Err(FieldError::new("minimum_notice", "at most 43200 minutes (30 days)"));
        }
        if !(1..=MAX_BOOKING_WINDOW_DAYS).contains(&self.booking_window_days) {
            return Err(FieldError::new(
                "booking_window_days",
                format!("between 1 and {MAX_BOOKING_WINDOW_DAYS} days: a meeting is booked a month ahead at most"),
            ));
        }
        if !(1..=100).contains(&self.max_meetings_per_guest) {
            return Err(FieldError::new("max_meetings_per_guest", "between 1 and 100"));
        }
        if self.reminder_lead_times.len() > MAX_REMINDERS {
            return Err(FieldError::new("reminder_lead_times", format!("at most {MAX_REMINDERS} reminders")));
        }
        if self.reminder_lead_times.iter().any(|m| !(1..=7 * 24 * 60).contains(m)) {
            return Err(FieldError::new("reminder_lead_times", "each between 1 and 10080 minutes (a week)"));
        }
        Ok(())
    }
}

fn minutes_in(field: &str, value: u32, min: u32, max: u32) -> Result<(), FieldError> {
    let granule = u32::from(GRANULE_MINUTES);
    if value < min || value > max || value % granule != 0 {
        return Err(FieldError::new(field, format!("a multiple of {granule} minutes between {min} and {max}")));
    }
    Ok(())
}

/// A day's intervals must be ordered, non-overlapping, non-empty and on the granule grid.
fn validate_day(field: &str, intervals: &[WorkingInterval]) -> Result<(), FieldError> {
    if intervals.len() > MAX_INTERVALS_PER_DAY {
        return Err(FieldError::new(field, format!("at most {MAX_INTERVALS_PER_DAY} intervals a day")));
    }
    let mut previous_end = None;
    for interval in intervals {
        if interval.start >= interval.end {
            return Err(FieldError::new(field, format!("{}–{} ends before it starts", interval.start, interval.end)));
        }
        let on_grid = |t: ClockTime| t.minutes() % GRANULE_MINUTES == 0;
        if !on_grid(interval.start) || !on_grid(interval.end) {
            return Err(FieldError::new(field, format!("times must be on a {GRANULE_MINUTES}-minute mark")));
        }
        if previous_end.is_some_and(|end| interval.start < end) {
            return Err(FieldError::new(field, "intervals must be in order and must not overlap"));
        }
        previous_end = Some(interval.end);
    }
    Ok(())
}

/// IANA zone names as strings on the wire, with an error that names the bad value.
pub mod zone_name {
    use chrono_tz::Tz;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(zone: &Tz, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(zone.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
        let name = String::deserialize(d)?;
        super::parse_zone(&name).ok_or_else(|| serde::de::Error::custom(format!("`{name}` is not an IANA time zone")))
    }
}

/// Optional zones, same wire form.
pub mod optional_zone_name {
    use chrono_tz::Tz;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(zone: &Option<Tz>, s: S) -> Result<S::Ok, S::Error> {
        match zone {
            Some(zone) => s.serialize_some(zone.name()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Tz>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(name) => super::parse_zone(&name)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("`{name}` is not an IANA time zone"))),
        }
    }
}

/// An IANA zone by its exact name (`Europe/Rome`), refusing over-long input before parsing.
pub fn parse_zone(name: &str) -> Option<Tz> {
    if name.len() > 64 {
        return None;
    }
    name.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rome() -> Availability {
        Availability::new("Europe/Rome".parse().unwrap())
    }

    #[test]
    fn defaults_follow_the_guide() {
        let a = rome();
        assert_eq!(a.default_duration, 30);
        assert_eq!(a.durations, vec![15, 30, 45, 60]);
        assert_eq!(a.booking_window_days, 31);
        assert_eq!(a.max_meetings_per_guest, 2);
        assert_eq!(a.weekly_hours.monday.len(), 2, "a lunch break splits the day");
        assert!(a.validate().is_ok());
    }

    #[test]
    fn an_omitted_field_takes_its_default() {
        let a: Availability = serde_json::from_str(r#"{"time_zone":"Asia/Kolkata","slot_step":30}"#).unwrap();
        assert_eq!(a.slot_step, 30);
        assert_eq!(a.default_duration, 30);
        assert_eq!(a.weekly_hours, WeeklyHours::office_hours());
    }

    #[test]
    fn invalid_settings_name_their_field() {
        type Breakage = Box<dyn Fn(&mut Availability)>;
        let cases: Vec<(&str, Breakage)> = vec![
            ("booking_window_days", Box::new(|a| a.booking_window_days = 32)),
            ("durations", Box::new(|a| a.durations = vec![7])),
            ("durations", Box::new(|a| a.durations = vec![300])),
            ("default_duration", Box::new(|a| a.default_duration = 20)),
            ("slot_step", Box::new(|a| a.slot_step = 0)),
            ("buffer_after", Box::new(|a| a.buffer_after = 45)),
            (
                "durations",
                Box::new(|a| {
                    a.durations = vec![180];
                    a.default_duration = 180;
                    a.buffer_before = 30;
                    a.buffer_after = 5;
                }),
            ),
            ("weekly_hours.monday", Box::new(|a| a.weekly_hours.monday.reverse())),
            (
                "weekly_hours.friday",
                Box::new(|a| {
                    a.weekly_hours.friday = vec![WorkingInterval::new(ClockTime::hm(9, 3), ClockTime::hm(10, 0))]
                }),
            ),
            ("max_meetings_per_guest", Box::new(|a| a.max_meetings_per_guest = 0)),
            ("reminder_lead_times", Box::new(|a| a.reminder_lead_times = vec![0])),
        ];
        for (field, break_it) in cases {
            let mut a = rome();
            break_it(&mut a);
            assert_eq!(a.validate().unwrap_err().field, field);
        }
    }

    #[test]
    fn unknown_zones_are_refused_with_the_name() {
        let err = serde_json::from_str::<Availability>(r#"{"time_zone":"Mars/Olympus"}"#).unwrap_err();
        assert!(err.to_string().contains("Mars/Olympus"), "{err}");
    }
}
