//! Time zone names as calendar feeds write them: IANA names (Google), Windows names (Outlook,
//! Exchange), or a VTIMEZONE block carrying an `X-LIC-LOCATION`.

use chrono_tz::Tz;

/// The Windows names Outlook writes most, with the IANA zone CLDR maps each to ("001" territory).
const WINDOWS: &[(&str, &str)] = &[
    ("UTC", "UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("Romance Standard Time", "Europe/Paris"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("FLE Standard Time", "Europe/Kiev"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("Eastern Standard Time", "America/New_York"),
    ("Central Standard Time", "America/Chicago"),
    ("Mountain Standard Time", "America/Denver"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("India Standard Time", "Asia/Kolkata"),
    ("Nepal Standard Time", "Asia/Kathmandu"),
    ("China Standard Time", "Asia/Shanghai"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("Lord Howe Standard Time", "Australia/Lord_Howe"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
];

/// The zone a TZID names: an IANA name as is, a Windows name through the table, or the
/// `X-LIC-LOCATION` its VTIMEZONE gave (passed as `location`).
pub fn resolve(tzid: &str, location: Option<&str>) -> Option<Tz> {
    let tzid = tzid.trim().trim_matches('"');
    // No zone name is this long; refusing early keeps the path search below cheap.
    if tzid.len() > MAX_NAME {
        return location.and_then(from_location);
    }
    if let Ok(zone) = tzid.parse::<Tz>() {
        return Some(zone);
    }
    if let Some((_, iana)) = WINDOWS.iter().find(|(windows, _)| windows.eq_ignore_ascii_case(tzid)) {
        return iana.parse().ok();
    }
    // Some exporters prefix a path: "/freeassociation.sourceforge.net/Europe/Rome". IANA names
    // have at most three parts, so only the last three are tried.
    let parts: Vec<&str> = tzid.rsplit('/').take(3).collect();
    if let Some(zone) = (2..=parts.len()).find_map(|n| {
        let name: Vec<&str> = parts[..n].iter().rev().copied().collect();
        name.join("/").parse::<Tz>().ok()
    }) {
        return Some(zone);
    }
    location.and_then(from_location)
}

const MAX_NAME: usize = 128;

fn from_location(location: &str) -> Option<Tz> {
    let location = location.trim();
    (location.len() <= MAX_NAME).then(|| location.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_name_zones_three_ways() {
        assert_eq!(resolve("Europe/Rome", None), Some(chrono_tz::Europe::Rome));
        assert_eq!(resolve("W. Europe Standard Time", None), Some(chrono_tz::Europe::Berlin));
        assert_eq!(resolve("\"Eastern Standard Time\"", None), Some(chrono_tz::America::New_York));
        assert_eq!(resolve("/freeassociation.sourceforge.net/Europe/Rome", None), Some(chrono_tz::Europe::Rome));
        assert_eq!(resolve("Custom Zone 1", Some("Asia/Kolkata")), Some(chrono_tz::Asia::Kolkata));
        assert_eq!(resolve("Nowhere", None), None);
        assert_eq!(resolve(&"a/".repeat(100_000), None), None, "a long path is refused at once");
    }
}
