//! iCalendar invitations (RFC 5545, iTIP RFC 5546): METHOD:REQUEST for a new or changed meeting,
//! METHOD:CANCEL when it is cancelled. The UID is fixed for the meeting and SEQUENCE rises with
//! every change, which is how calendars know to update their copy rather than add one.
//!
//! All user text is escaped here (TEXT values and quoted parameters), so a subject cannot add a
//! property or a line; long lines are folded at 75 octets as the RFC requires.

use chrono::{DateTime, Utc};

use crate::domain::meeting::{Meeting, MeetingStatus};
use crate::domain::notification::{AgentContact, Recipient, Role};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Request,
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// The UID calendars key the event on: stable for the meeting's whole life.
pub fn uid(meeting: &Meeting) -> String {
    format!("{}@meeting-scheduler", meeting.id)
}

/// SEQUENCE: 0 when booked, one more for every change (the meeting's version counts them).
pub fn sequence(meeting: &Meeting) -> u64 {
    meeting.version.saturating_sub(1)
}

/// The words of one recipient's invitation, in their language (L2): its title, its description,
/// and where the meeting is discussed (its conversation's page).
pub struct Text<'a> {
    pub summary: &'a str,
    pub description: &'a str,
    pub url: &'a str,
}

/// A meeting's invitation.
pub fn invitation(
    meeting: &Meeting,
    agent: &AgentContact,
    attendees: &[Recipient],
    words: &Text,
    method: Method,
    stamp: DateTime<Utc>,
) -> String {
    let status = match (method, meeting.status) {
        (Method::Cancel, _) | (_, MeetingStatus::Cancelled) => "CANCELLED",
        _ => "CONFIRMED",
    };
    let mut lines = header(&format!("METHOD:{}", method.as_str()));
    lines.extend(event(meeting, words.summary, words.description, status, stamp));
    // A URI value: our own link, never user text; line breaks are dropped all the same, since
    // iCalendar's structure is its lines.
    lines.push(format!("URL:{}", words.url.replace(['\r', '\n'], "")));
    lines.push(format!("ORGANIZER;CN={}:mailto:{}", param(&agent.name), agent.email));
    for attendee in attendees.iter().filter(|a| a.role != Role::Agent) {
        let name = attendee.name.as_deref().unwrap_or(&attendee.email);
        lines.push(format!(
            "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{}",
            param(name),
            attendee.email
        ));
    }
    lines.push("END:VEVENT".to_string());
    lines.push("END:VCALENDAR".to_string());
    join(&lines)
}

/// The agent's meetings as a calendar to subscribe to (METHOD:PUBLISH), with the same UIDs and
/// SEQUENCEs as the invitations, so a calendar app sees one event per meeting either way.
pub fn feed(calendar_name: &str, meetings: &[Meeting], stamp: DateTime<Utc>) -> String {
    let mut lines = header("METHOD:PUBLISH");
    lines.push(format!("X-WR-CALNAME:{}", text(calendar_name)));
    for meeting in meetings {
        let description =
            format!("With {} <{}>\nMeeting reference: {}", meeting.guest.name, meeting.guest.email, meeting.id);
        let status = if meeting.status == MeetingStatus::Cancelled { "CANCELLED" } else { "CONFIRMED" };
        lines.extend(event(meeting, &meeting.subject, &description, status, stamp));
        lines.push("END:VEVENT".to_string());
    }
    lines.push("END:VCALENDAR".to_string());
    join(&lines)
}

fn header(method: &str) -> Vec<String> {
    vec![
        "BEGIN:VCALENDAR".to_string(),
        "PRODID:-//Meeting Scheduler//EN".to_string(),
        "VERSION:2.0".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        method.to_string(),
    ]
}

/// A VEVENT's opening and its common properties; the caller adds its own and the END line.
fn event(meeting: &Meeting, summary: &str, description: &str, status: &str, stamp: DateTime<Utc>) -> Vec<String> {
    vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", uid(meeting)),
        format!("SEQUENCE:{}", sequence(meeting)),
        format!("DTSTAMP:{}", stamp_of(stamp)),
        format!("DTSTART:{}", stamp_of(meeting.start)),
        format!("DTEND:{}", stamp_of(meeting.end)),
        format!("SUMMARY:{}", text(summary)),
        format!("DESCRIPTION:{}", text(description)),
        format!("STATUS:{status}"),
    ]
}

fn join(lines: &[String]) -> String {
    lines.iter().map(|l| fold(l)).collect::<Vec<_>>().join("\r\n") + "\r\n"
}

fn stamp_of(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, and every line break.
pub fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A quoted parameter value (RFC 5545 §3.2): no DQUOTE and no control characters can appear.
fn param(value: &str) -> String {
    let clean: String = value.chars().map(|c| if c == '"' || c.is_control() { ' ' } else { c }).collect();
    format!("\"{clean}\"")
}

/// Folds a content line into 75-octet pieces, never splitting a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 74 * 3);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_everything_that_could_break_a_line_or_a_value() {
        assert_eq!(text("a;b,c\\d\r\ne\nf\rg"), "a\\;b\\,c\\\\d\\ne\\nf\\ng");
        assert_eq!(param("Ann \"the\" Admin\r\n"), "\"Ann  the  Admin  \"");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&line);
        for piece in folded.split("\r\n") {
            assert!(piece.len() <= 75, "{} octets", piece.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), line);
    }
}
