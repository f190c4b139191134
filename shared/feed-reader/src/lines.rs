//! Content lines (RFC 5545 §3.1) and the component tree, read in one pass without recursion.
//!
//! A feed is someone else's file: nesting is bounded by [`MAX_DEPTH`] and the number of
//! components by [`MAX_COMPONENTS`], so no input can deepen a stack or grow the tree past a
//! fixed size. Lines that are not content lines are skipped, as calendar apps do.

use crate::budget::Meter;
use crate::FeedError;

/// VCALENDAR › VTIMEZONE › STANDARD is three deep, VCALENDAR › VEVENT › VALARM too; real feeds
/// never need more than a few levels.
pub const MAX_DEPTH: usize = 8;
/// Components of any kind (events, time zones, alarms) in one feed.
pub const MAX_COMPONENTS: usize = 60_000;
/// Parameters read per property; the rest are ignored.
const MAX_PARAMS: usize = 16;

/// One property: its name, its parameters (first value of each, unquoted) and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property<'a> {
    pub name: &'a str,
    params: Vec<(&'a str, &'a str)>,
    pub value: &'a str,
}

impl<'a> Property<'a> {
    /// A parameter's value by name, case-insensitively.
    pub fn param(&self, name: &str) -> Option<&'a str> {
        self.params.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
    }

    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// A component (VEVENT, VTIMEZONE, …) with its own properties; children point at their parent
/// by index, so the tree is a flat list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component<'a> {
    pub name: &'a str,
    pub properties: Vec<Property<'a>>,
    pub parent: Option<usize>,
}

impl<'a> Component<'a> {
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    pub fn property(&self, name: &str) -> Option<&Property<'a>> {
        self.properties.iter().find(|p| p.is(name))
    }

    pub fn value(&self, name: &str) -> Option<&'a str> {
        self.property(name).map(|p| p.value)
    }
}

/// Removes line folding: a line break followed by one space or tab continues the line.
pub fn unfold(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let newline = match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => 2,
            b'\n' => 1,
            _ => 0,
        };
        if newline > 0 && matches!(bytes.get(i + newline), Some(b' ' | b'\t')) {
            i += newline + 1;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    // Only whole ASCII sequences were removed, so the bytes are still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// Splits one content line into name, parameters and value; `None` for anything else.
pub fn parse_line(line: &str) -> Option<Property<'_>> {
    let name_end = line.find([';', ':'])?;
    let name = &line[..name_end];
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return None;
    }
    let mut params = Vec::new();
    let mut rest = &line[name_end..];
    while let Some(after) = rest.strip_prefix(';') {
        let eq = after.find('=')?;
        let key = &after[..eq];
        let mut tail = &after[eq + 1..];
        // A parameter may list several values; the first is the one that matters here.
        let mut first: Option<&str> = None;
        loop {
            let (value, next) = if let Some(quoted) = tail.strip_prefix('"') {
                let close = quoted.find('"')?;
                (&quoted[..close], &quoted[close + 1..])
            } else {
                let end = tail.find([',', ';', ':']).unwrap_or(tail.len());
                (&tail[..end], &tail[end..])
            };
            first.get_or_insert(value);
            tail = next;
            match tail.strip_prefix(',') {
                Some(more) => tail = more,
                None => break,
            }
        }
        if params.len() < MAX_PARAMS {
            params.push((key, first.unwrap_or("")));
        }
        rest = tail;
    }
    let value = rest.strip_prefix(':')?;
    Some(Property { name, params, value })
}

/// Reads every component of an unfolded feed. Fails when nesting passes [`MAX_DEPTH`], when
/// there are more than [`MAX_COMPONENTS`], or when there is no VCALENDAR at all.
pub fn components<'a>(unfolded: &'a str, meter: &mut Meter) -> Result<Vec<Component<'a>>, FeedError> {
    let mut all: Vec<Component<'a>> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for line in unfolded.split('\n') {
        meter.step()?;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let Some(property) = parse_line(line) else {
            continue;
        };
        if property.is("BEGIN") {
            if open.len() >= MAX_DEPTH {
                return Err(FeedError::Malformed(format!("components nested deeper than {MAX_DEPTH} levels")));
            }
            if all.len() >= MAX_COMPONENTS {
                return Err(FeedError::TooLarge(format!("more than {MAX_COMPONENTS} components")));
            }
            all.push(Component { name: property.value.trim(), properties: Vec::new(), parent: open.last().copied() });
            open.push(all.len() - 1);
        } else if property.is("END") {
            // Close the innermost open component of that name, and any left open inside it.
            let name = property.value.trim();
            if let Some(depth) = open.iter().rposition(|&i| all[i].name.eq_ignore_ascii_case(name)) {
                open.truncate(depth);
            }
        } else if let Some(&current) = open.last() {
            all[current].properties.push(property);
        }
    }
    if !all.iter().any(|c| c.is("VCALENDAR")) {
        return Err(FeedError::Malformed("no VCALENDAR: this is not an iCalendar feed".into()));
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Limits;

    #[test]
    fn folded_lines_are_joined_and_properties_split() {
        let text = "SUMMARY:Long\r\n  line\nDTSTART;TZID=\"W. Europe; Standard\";VALUE=DATE-TIME:20270325T140000\r\n";
        let unfolded = unfold(text);
        assert_eq!(
            unfolded,
            "SUMMARY:Long line\nDTSTART;TZID=\"W. Europe; Standard\";VALUE=DATE-TIME:20270325T140000\r\n"
        );
        let line = unfolded.lines().nth(1).unwrap();
        let p = parse_line(line).unwrap();
        assert_eq!((p.name, p.value), ("DTSTART", "20270325T140000"));
        assert_eq!(p.param("tzid"), Some("W. Europe; Standard"));
        assert_eq!(p.param("VALUE"), Some("DATE-TIME"));
        assert_eq!(parse_line("EXDATE;TZID=A,B:x").unwrap().param("TZID"), Some("A"));
        for junk in ["", "no colon", ":value", "BAD NAME:x", "X;P:v", "X;P=\"open:v"] {
            assert_eq!(parse_line(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn nesting_is_bounded_without_recursion() {
        let mut meter = Meter::new(&Limits::default());
        let ok = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nBEGIN:VALARM\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n";
        let all = components(ok, &mut meter).unwrap();
        assert_eq!(all.iter().map(|c| c.name).collect::<Vec<_>>(), ["VCALENDAR", "VEVENT", "VALARM"]);
        assert_eq!((all[1].parent, all[2].parent), (Some(0), Some(1)));
        assert_eq!(all[1].value("uid"), Some("a"));

        let deep = "BEGIN:X\n".repeat(300);
        let err = components(&format!("BEGIN:VCALENDAR\n{deep}"), &mut meter).unwrap_err();
        assert!(matches!(err, FeedError::Malformed(_)), "{err}");
        assert!(components("hello", &mut meter).is_err(), "no VCALENDAR");
    }
}
