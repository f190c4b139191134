//! Recurrence rules (RFC 5545 §3.3.10), expanded only where they can reach the horizon.
//!
//! The expansion follows the RFC's model: a rule steps through periods of FREQ × INTERVAL; each
//! period's candidate days and times come from the BYxxx parts (or from DTSTART where a part is
//! absent), BYSETPOS picks among them, and COUNT and UNTIL end the series. What makes it safe on
//! someone else's feed:
//!
//! - a rule without COUNT that starts long before the horizon is advanced arithmetically to the
//!   period just before it, never stepped there (a weekly rule from 1601 costs one division);
//! - periods in which no day can match are skipped a day or an hour at a time, not a second at a time;
//! - every period, day and candidate is a step of the feed's one [`Meter`], and a period with
//!   more candidates than [`MAX_CANDIDATES`] fails the read instead of allocating;
//! - all date arithmetic is checked: a rule that runs off the calendar simply ends.

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

use crate::budget::Meter;
use crate::values::{parse_date, parse_date_time};
use crate::FeedError;

/// Candidates one period may produce (e.g. every minute of a day is 1,440).
pub const MAX_CANDIDATES: usize = 10_000;
const MAX_LIST: usize = 400;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Freq {
    Secondly,
    Minutely,
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// When a series ends, as UNTIL wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
    /// A UTC instant (`…Z`), compared after conversion by the caller.
    Utc(NaiveDateTime),
    /// A wall-clock time or a date (end of that day included), on the rule's own clock.
    Wall(NaiveDateTime),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub freq: Freq,
    pub interval: u32,
    pub count: Option<u32>,
    pub until: Option<Until>,
    by_month: Vec<u32>,
    by_monthday: Vec<i32>,
    by_yearday: Vec<i32>,
    by_weekno: Vec<i32>,
    /// (ordinal, weekday); ordinal 0 means every such weekday.
    by_day: Vec<(i32, Weekday)>,
    by_hour: Vec<u32>,
    by_minute: Vec<u32>,
    by_second: Vec<u32>,
    by_setpos: Vec<i32>,
    wkst: Weekday,
}

fn list<T: std::str::FromStr>(value: &str, ok: impl Fn(&T) -> bool) -> Option<Vec<T>> {
    let items: Vec<&str> = value.split(',').collect();
    if items.len() > MAX_LIST {
        return None;
    }
    items.into_iter().map(|item| item.trim().parse::<T>().ok().filter(|v| ok(v))).collect()
}

fn weekday(text: &str) -> Option<Weekday> {
    Some(match text.to_ascii_uppercase().as_str() {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

impl Rule {
    /// Parses an RRULE value; `None` for anything the RFC does not allow (unknown parts are
    /// ignored, as x-names may appear).
    pub fn parse(text: &str) -> Option<Rule> {
        let mut rule = Rule {
            freq: Freq::Daily,
            interval: 1,
            count: None,
            until: None,
            by_month: vec![],
            by_monthday: vec![],
            by_yearday: vec![],
            by_weekno: vec![],
            by_day: vec![],
            by_hour: vec![],
            by_minute: vec![],
            by_second: vec![],
            by_setpos: vec![],
            wkst: Weekday::Mon,
        };
        let mut freq = None;
        for part in text.trim().split(';').filter(|p| !p.is_empty()).take(32) {
            let (key, value) = part.split_once('=')?;
            match key.trim().to_ascii_uppercase().as_str() {
                "FREQ" => {
                    freq = Some(match value.trim().to_ascii_uppercase().as_str() {
                        "SECONDLY" => Freq::Secondly,
                        "MINUTELY" => Freq::Minutely,
                        "HOURLY" => Freq::Hourly,
                        "DAILY" => Freq::Daily,
                        "WEEKLY" => Freq::Weekly,
                        "MONTHLY" => Freq::Monthly,
                        "YEARLY" => Freq::Yearly,
                        _ => return None,
                    })
                }
                "INTERVAL" => rule.interval = value.trim().parse().ok().filter(|i| (1..=1_000_000).contains(i))?,
                "COUNT" => rule.count = Some(value.trim().parse().ok().filter(|c| *c >= 1)?),
                "UNTIL" => {
                    let value = value.trim();
                    rule.until = Some(if let Some(utc) = value.strip_suffix('Z') {
                        Until::Utc(parse_date_time(utc)?)
                    } else if value.len() == 8 {
                        Until::Wall(parse_date(value)?.and_hms_opt(23, 59, 59)?)
                    } else {
                        Until::Wall(parse_date_time(value)?)
                    })
                }
                "BYMONTH" => rule.by_month = list(value, |m: &u32| (1..=12).contains(m))?,
                "BYMONTHDAY" => rule.by_monthday = list(value, |d: &i32| *d != 0 && d.abs() <= 31)?,
                "BYYEARDAY" => rule.by_yearday = list(value, |d: &i32| *d != 0 && d.abs() <= 366)?,
                "BYWEEKNO" => rule.by_weekno = list(value, |w: &i32| *w != 0 && w.abs() <= 53)?,
                "BYHOUR" => rule.by_hour = list(value, |h: &u32| *h < 24)?,
                "BYMINUTE" => rule.by_minute = list(value, |m: &u32| *m < 60)?,
                "BYSECOND" => {
                    rule.by_second = list(value, |s: &u32| *s <= 60)?.into_iter().map(|s| s.min(59)).collect()
                }
                "BYSETPOS" => rule.by_setpos = list(value, |p: &i32| *p != 0 && p.abs() <= 366)?,
                "WKST" => rule.wkst = weekday(value.trim())?,
                "BYDAY" => {
                    let items: Vec<&str> = value.split(',').collect();
                    if items.len() > MAX_LIST {
                        return None;
                    }
                    for item in items {
                        let item = item.trim();
                        let split = item.len().checked_sub(2)?;
                        let day = weekday(item.get(split..)?)?;
                        let ordinal: i32 = match item.get(..split)? {
                            "" => 0,
                            n => n.trim_start_matches('+').parse().ok().filter(|n: &i32| *n != 0 && n.abs() <= 53)?,
                        };
                        rule.by_day.push((ordinal, day));
                    }
                }
                _ => {}
            }
        }
        rule.freq = freq?;
        Some(rule)
    }
}

/// Occurrence starts of `rule` from `start` (a wall-clock reading on the rule's clock) that can
/// fall within `[from, to)` of the same clock. `until_utc` is UNTIL already converted to that
/// clock when it was given in UTC (the caller knows the zone).
pub fn expand(
    rule: &Rule,
    start: NaiveDateTime,
    from: NaiveDateTime,
    to: NaiveDateTime,
    until: Option<NaiveDateTime>,
    meter: &mut Meter,
) -> Result<Vec<NaiveDateTime>, FeedError> {
    let series = Series::new(rule, start);
    let mut out = Vec::new();
    let mut emitted: u64 = 0;
    // With COUNT every occurrence from the start counts, so nothing may be skipped.
    let mut k = if rule.count.is_some() { 0 } else { series.periods_before(from) };
    loop {
        meter.step()?;
        let Some(period) = series.period(k) else {
            return Ok(out);
        };
        if period.start >= to {
            return Ok(out);
        }
        // A period whose day (or hour) cannot match yields nothing, COUNT or not.
        if let Some(next) = series.skip_unmatched(&period) {
            k = next.max(k + 1);
            continue;
        }
        for candidate in series.candidates(&period, meter)? {
            if candidate < start {
                continue;
            }
            if until.is_some_and(|u| candidate > u) {
                return Ok(out);
            }
            if rule.count.is_some_and(|c| emitted >= u64::from(c)) {
                return Ok(out);
            }
            emitted += 1;
            if candidate >= to {
                return Ok(out);
            }
            if candidate >= from {
                meter.busy()?;
                out.push(candidate);
            }
        }
        k += 1;
    }
}

/// One period of the series: its first wall-clock instant and the days it spans.
struct Period {
    start: NaiveDateTime,
    /// The calendar days whose candidates belong to this period.
    first_day: NaiveDate,
    days: u32,
}

struct Series<'a> {
    rule: &'a Rule,
    start: NaiveDateTime,
    /// Defaults the RFC takes from DTSTART when a BYxxx part is absent.
    by_month: Vec<u32>,
    by_monthday: Vec<i32>,
    by_day: Vec<(i32, Weekday)>,
}

impl<'a> Series<'a> {
    fn new(rule: &'a Rule, start: NaiveDateTime) -> Self {
        let mut by_month = rule.by_month.clone();
        let mut by_monthday = rule.by_monthday.clone();
        let mut by_day = rule.by_day.clone();
        let no_day_part = rule.by_weekno.is_empty()
            && rule.by_yearday.is_empty()
            && rule.by_monthday.is_empty()
            && rule.by_day.is_empty();
        if no_day_part {
            match rule.freq {
                Freq::Yearly => {
                    if by_month.is_empty() {
                        by_month = vec![start.month()];
                    }
                    by_monthday = vec![start.day() as i32];
                }
                Freq::Monthly => by_monthday = vec![start.day() as i32],
                Freq::Weekly => by_day = vec![(0, start.weekday())],
                _ => {}
            }
        }
        Self { rule, start, by_month, by_monthday, by_day }
    }

    fn interval(&self) -> i64 {
        i64::from(self.rule.interval)
    }

    /// The length of one step for the fixed-length frequencies, in seconds.
    fn step_seconds(&self) -> Option<i64> {
        let unit = match self.rule.freq {
            Freq::Secondly => 1,
            Freq::Minutely => 60,
            Freq::Hourly => 3600,
            Freq::Daily => 86_400,
            Freq::Weekly => 7 * 86_400,
            Freq::Monthly | Freq::Yearly => return None,
        };
        Some(unit * self.interval())
    }

    /// Where period 0 starts: DTSTART truncated to the frequency's unit.
    fn origin(&self) -> NaiveDateTime {
        let s = self.start;
        let day = s.date();
        match self.rule.freq {
            Freq::Secondly => s,
            Freq::Minutely => day.and_hms_opt(s.hour(), s.minute(), 0).unwrap_or(s),
            Freq::Hourly => day.and_hms_opt(s.hour(), 0, 0).unwrap_or(s),
            Freq::Daily => day.and_time(NaiveTime::MIN),
            Freq::Weekly => {
                let back = (7 + s.weekday().num_days_from_monday() - self.rule.wkst.num_days_from_monday()) % 7;
                day.checked_sub_signed(Duration::days(back.into())).unwrap_or(day).and_time(NaiveTime::MIN)
            }
            Freq::Monthly => day.with_day(1).unwrap_or(day).and_time(NaiveTime::MIN),
            Freq::Yearly => day.with_ordinal(1).unwrap_or(day).and_time(NaiveTime::MIN),
        }
    }

    fn period(&self, k: i64) -> Option<Period> {
        let origin = self.origin();
        let start = match self.step_seconds() {
            Some(step) => origin.checked_add_signed(Duration::try_seconds(step.checked_mul(k)?)?)?,
            None => {
                let months = match self.rule.freq {
                    Freq::Monthly => k.checked_mul(self.interval())?,
                    _ => k.checked_mul(self.interval())?.checked_mul(12)?,
                };
                origin.checked_add_months(Months::new(u32::try_from(months).ok()?))?
            }
        };
        let day = start.date();
        let days = match self.rule.freq {
            Freq::Yearly => {
                if day.leap_year() {
                    366
                } else {
                    365
                }
            }
            Freq::Monthly => days_in_month(day.year(), day.month())?,
            Freq::Weekly => 7,
            _ => 1,
        };
        Some(Period { start, first_day: day, days })
    }

    /// The first period that can hold an instant at or after `from`, less one for safety.
    fn periods_before(&self, from: NaiveDateTime) -> i64 {
        let origin = self.origin();
        if from <= origin {
            return 0;
        }
        let k = match self.step_seconds() {
            Some(step) => from.signed_duration_since(origin).num_seconds() / step,
            None => {
                let months = (from.year() - origin.year()) as i64 * 12 + from.month() as i64 - origin.month() as i64;
                match self.rule.freq {
                    Freq::Monthly => months / self.interval(),
                    _ => months / 12 / self.interval(),
                }
            }
        };
        (k - 1).max(0)
    }

    /// For the sub-daily frequencies: when the period's day or hour cannot match the rule, the
    /// index of the first period of the next day (or hour) that might, so empty periods are
    /// skipped wholesale.
    fn skip_unmatched(&self, period: &Period) -> Option<i64> {
        let step = self.step_seconds()?;
        if self.rule.freq >= Freq::Daily {
            return None;
        }
        let t = period.start;
        let next = if !self.day_matches(t.date()) {
            t.date().succ_opt()?.and_time(NaiveTime::MIN)
        } else if !self.rule.by_hour.is_empty() && !self.rule.by_hour.contains(&t.hour()) {
            t.date().and_hms_opt(t.hour(), 0, 0)?.checked_add_signed(Duration::hours(1))?
        } else {
            return None;
        };
        let elapsed = next.signed_duration_since(self.origin()).num_seconds();
        Some((elapsed + step - 1) / step)
    }

    /// Every candidate of a period, in order, after BYSETPOS.
    fn candidates(&self, period: &Period, meter: &mut Meter) -> Result<Vec<NaiveDateTime>, FeedError> {
        let mut days = Vec::new();
        for offset in 0..period.days {
            meter.step()?;
            let Some(day) = period.first_day.checked_add_signed(Duration::days(offset.into())) else {
                break;
            };
            if self.day_matches(day) && self.ordinal_matches(day) {
                days.push(day);
            }
        }
        let times = self.times(period);
        if days.len().saturating_mul(times.len()) > MAX_CANDIDATES {
            return Err(FeedError::TooLarge(format!(
                "a recurrence rule yields more than {MAX_CANDIDATES} times in one period"
            )));
        }
        let mut all = Vec::with_capacity(days.len() * times.len());
        for day in &days {
            for time in &times {
                meter.step()?;
                all.push(day.and_time(*time));
            }
        }
        if self.rule.by_setpos.is_empty() {
            return Ok(all);
        }
        let n = all.len() as i32;
        let mut picked: Vec<NaiveDateTime> = self
            .rule
            .by_setpos
            .iter()
            .filter_map(|&pos| {
                let index = if pos > 0 { pos - 1 } else { n + pos };
                (0..n).contains(&index).then(|| all[index as usize])
            })
            .collect();
        picked.sort();
        picked.dedup();
        Ok(picked)
    }

    /// The times of day a period's days take, in order.
    fn times(&self, period: &Period) -> Vec<NaiveTime> {
        let r = self.rule;
        let s = self.start;
        let pick = |by: &Vec<u32>, default: u32| if by.is_empty() { vec![default] } else { by.clone() };
        let (hours, minutes, seconds) = match r.freq {
            Freq::Secondly => {
                let t = period.start;
                let ok = (r.by_hour.is_empty() || r.by_hour.contains(&t.hour()))
                    && (r.by_minute.is_empty() || r.by_minute.contains(&t.minute()))
                    && (r.by_second.is_empty() || r.by_second.contains(&t.second()));
                if !ok {
                    return vec![];
                }
                (vec![t.hour()], vec![t.minute()], vec![t.second()])
            }
            Freq::Minutely => {
                let t = period.start;
                let ok = (r.by_hour.is_empty() || r.by_hour.contains(&t.hour()))
                    && (r.by_minute.is_empty() || r.by_minute.contains(&t.minute()));
                if !ok {
                    return vec![];
                }
                (vec![t.hour()], vec![t.minute()], pick(&r.by_second, s.second()))
            }
            Freq::Hourly => {
                let t = period.start;
                if !(r.by_hour.is_empty() || r.by_hour.contains(&t.hour())) {
                    return vec![];
                }
                (vec![t.hour()], pick(&r.by_minute, s.minute()), pick(&r.by_second, s.second()))
            }
            _ => (pick(&r.by_hour, s.hour()), pick(&r.by_minute, s.minute()), pick(&r.by_second, s.second())),
        };
        if hours.len() * minutes.len() * seconds.len() > MAX_CANDIDATES {
            // Caught by the caller's check on days × times; an empty list cannot mislead it.
            return vec![NaiveTime::MIN; MAX_CANDIDATES + 1];
        }
        let mut times = Vec::new();
        for h in &hours {
            for m in &minutes {
                for sec in &seconds {
                    if let Some(t) = NaiveTime::from_hms_opt(*h, *m, *sec) {
                        times.push(t);
                    }
                }
            }
        }
        times.sort();
        times.dedup();
        times
    }

    /// BYMONTH, BYMONTHDAY, BYYEARDAY, BYWEEKNO and the plain weekdays of BYDAY.
    fn day_matches(&self, day: NaiveDate) -> bool {
        if !self.by_month.is_empty() && !self.by_month.contains(&day.month()) {
            return false;
        }
        if !self.by_monthday.is_empty() {
            let last = days_in_month(day.year(), day.month()).unwrap_or(31) as i32;
            let d = day.day() as i32;
            if !self.by_monthday.iter().any(|&m| m == d || (m < 0 && last + 1 + m == d)) {
                return false;
            }
        }
        if !self.rule.by_yearday.is_empty() {
            let length = if day.leap_year() { 366 } else { 365 };
            let d = day.ordinal() as i32;
            if !self.rule.by_yearday.iter().any(|&y| y == d || (y < 0 && length + 1 + y == d)) {
                return false;
            }
        }
        if !self.rule.by_weekno.is_empty() {
            let Some((week, weeks)) = week_number(day, self.rule.wkst) else {
                return false;
            };
            if !self.rule.by_weekno.iter().any(|&w| w == week || (w < 0 && weeks + 1 + w == week)) {
                return false;
            }
        }
        if !self.by_day.is_empty() {
            let ordinals_apply = matches!(self.rule.freq, Freq::Monthly | Freq::Yearly);
            let any_weekday = self.by_day.iter().any(|&(n, w)| w == day.weekday() && (n == 0 || !ordinals_apply));
            let any_ordinal = ordinals_apply && self.by_day.iter().any(|&(n, w)| n != 0 && w == day.weekday());
            if !any_weekday && !any_ordinal {
                return false;
            }
        }
        true
    }

    /// The ordinal weekdays of BYDAY (`2TU`, `-1SU`): within the month for MONTHLY rules and
    /// YEARLY rules with BYMONTH, within the year otherwise.
    fn ordinal_matches(&self, day: NaiveDate) -> bool {
        let ordinals_apply = matches!(self.rule.freq, Freq::Monthly | Freq::Yearly);
        if !ordinals_apply || self.by_day.iter().all(|&(n, _)| n == 0) {
            return true;
        }
        if self.by_day.iter().any(|&(n, w)| n == 0 && w == day.weekday()) {
            return true;
        }
        let in_month = self.rule.freq == Freq::Monthly || !self.rule.by_month.is_empty();
        let (position, count) = if in_month {
            let length = days_in_month(day.year(), day.month()).unwrap_or(31);
            let position = (day.day() - 1) / 7 + 1;
            let count = position + (length - day.day()) / 7;
            (position as i32, count as i32)
        } else {
            let length = if day.leap_year() { 366 } else { 365 };
            let position = (day.ordinal() - 1) / 7 + 1;
            let count = position + (length - day.ordinal()) / 7;
            (position as i32, count as i32)
        };
        self.by_day.iter().any(|&(n, w)| w == day.weekday() && (n == position || (n < 0 && count + 1 + n == position)))
    }
}

fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = first.checked_add_months(Months::new(1))?;
    Some(next.signed_duration_since(first).num_days() as u32)
}

/// The week number of `day` within its year (weeks start on `wkst`; week 1 is the first with at
/// least four days in the year), and the number of weeks that year has. Days before week 1 or
/// after the last week count as week 0 and `weeks + 1`, matching nothing.
fn week_number(day: NaiveDate, wkst: Weekday) -> Option<(i32, i32)> {
    let week_one = |year: i32| -> Option<NaiveDate> {
        let jan1 = NaiveDate::from_ymd_opt(year, 1, 1)?;
        let offset = (7 + jan1.weekday().num_days_from_monday() - wkst.num_days_from_monday()) % 7;
        if offset <= 3 {
            jan1.checked_sub_signed(Duration::days(offset.into()))
        } else {
            jan1.checked_add_signed(Duration::days((7 - offset).into()))
        }
    };
    let this = week_one(day.year())?;
    let next = week_one(day.year() + 1)?;
    let weeks = (next.signed_duration_since(this).num_days() / 7) as i32;
    let week = if day < this { 0 } else { (day.signed_duration_since(this).num_days() / 7) as i32 + 1 };
    Some((week.min(weeks + 1), weeks))
}

#[cfg(test)]
#[path = "recur_tests.rs"]
mod tests;
