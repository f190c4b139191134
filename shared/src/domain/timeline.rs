//! A conversation's timeline as its members live it (C4, C5): how much a message may hold, how
//! pages are cut, when the next message stands, and what a member is told in a digest.

use chrono::{DateTime, Duration, Utc};

use super::conversation::{Message, Viewer};

/// A message holds at most this many characters and lines: a long email's worth, not a file.
pub const MAX_MESSAGE_CHARS: usize = 4000;
pub const MAX_MESSAGE_LINES: usize = 200;
/// Messages per page when the reader does not say, and at most.
pub const PAGE_DEFAULT: usize = 50;
pub const PAGE_MAX: usize = 100;
/// A member who has not read a new message this long after it was written gets a digest (C5).
pub const DIGEST_DELAY: Duration = Duration::minutes(5);
/// A digest quotes at most this many messages (the rest are counted, and a link opens them all).
pub const DIGEST_SHOWN: usize = 20;
/// How far back a digest looks for what a member missed.
pub const DIGEST_SCAN: usize = PAGE_MAX;

/// G7: a writer posts at most this many messages in one conversation in [`POST_WINDOW`]: every
/// message reaches its members' inboxes as a digest.
pub const MAX_POSTS_PER_WINDOW: usize = 30;
pub const POST_WINDOW: Duration = Duration::minutes(10);

/// G7: a writer's posts in the window (epoch seconds) with this one counted, or how many seconds
/// until the oldest leaves the window when the writer has posted their fill.
pub fn count_post(recent: &[i64], now: DateTime<Utc>) -> Result<Vec<i64>, u32> {
    let since = (now - POST_WINDOW).timestamp();
    let mut kept: Vec<i64> = recent.iter().copied().filter(|at| *at > since).collect();
    kept.sort_unstable();
    if kept.len() >= MAX_POSTS_PER_WINDOW {
        let frees_at = kept[kept.len() - MAX_POSTS_PER_WINDOW] + POST_WINDOW.num_seconds();
        return Err(u32::try_from((frees_at - now.timestamp()).max(1)).unwrap_or(1));
    }
    kept.push(now.timestamp());
    Ok(kept)
}

/// When a new message stands in the timeline: now, or just after the last message when that
/// one's clock ran ahead, so that what is written later is never shown earlier.
pub fn next_at(now: DateTime<Utc>, last_at: Option<DateTime<Utc>>) -> DateTime<Utc> {
    match last_at {
        Some(last) if last >= now => last + Duration::microseconds(1),
        _ => now,
    }
}

/// What a digest tells `member` (C5): the messages people wrote after what the member read or
/// was last told of, not their own; oldest first. `page` is the newest part of the timeline,
/// each message with its sort key (which orders the timeline).
pub fn missed<'a>(
    member: &Viewer,
    page: &'a [(String, Message)],
    read: &str,
    notified: Option<&str>,
) -> Vec<&'a Message> {
    let since = match notified {
        Some(notified) if notified > read => notified,
        _ => read,
    };
    page.iter().filter(|(sk, m)| sk.as_str() > since && m.is_said() && !m.is_by(member)).map(|(_, m)| m).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::conversation::Author;

    fn at(minute: u32) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(&format!("2027-03-24T08:{minute:02}:00Z")).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_writer_posts_thirty_messages_in_any_ten_minutes() {
        let mut recent = Vec::new();
        for k in 0..30 {
            recent = count_post(&recent, at(0) + Duration::seconds(k)).unwrap();
        }
        assert_eq!(count_post(&recent, at(5)), Err(300), "the first leaves the window at 08:10");
        let later = count_post(&recent, at(10) + Duration::seconds(1)).unwrap();
        assert_eq!(later.len(), 29, "the first two have left the window; the new one counts");
        assert!(count_post(&[1, 2, 3], at(0)).unwrap().len() == 1, "what left the window is dropped");
    }

    #[test]
    fn a_message_never_stands_before_the_last_one() {
        assert_eq!(next_at(at(5), Some(at(3))), at(5));
        assert_eq!(next_at(at(5), Some(at(5))), at(5) + Duration::microseconds(1));
        assert_eq!(next_at(at(5), Some(at(9))), at(9) + Duration::microseconds(1), "a clock ahead is followed");
        assert_eq!(next_at(at(5), None), at(5));
    }

    #[test]
    fn a_digest_holds_what_others_wrote_since_the_member_read_or_was_told() {
        let grace = Viewer::Outsider(Some("grace@example.com".into()));
        let ada = Author::agent("a1");
        let page = vec![
            ("MSG#1".to_string(), Message::said(at(1), ada.clone(), "one".into())),
            ("MSG#2".to_string(), Message::said(at(2), Author::Member("grace@example.com".into()), "mine".into())),
            (
                "MSG#3".to_string(),
                Message::event(at(3), Author::System, crate::domain::conversation::Event::Renamed { title: None }),
            ),
            ("MSG#4".to_string(), Message::said(at(4), ada.clone(), "four".into())),
        ];
        let texts = |ms: Vec<&Message>| ms.iter().map(|m| m.text()).collect::<Vec<_>>();
        assert_eq!(texts(missed(&grace, &page, "", None)), vec!["one", "four"], "not her own, not the system's");
        assert_eq!(texts(missed(&grace, &page, "MSG#1", None)), vec!["four"]);
        assert_eq!(texts(missed(&grace, &page, "MSG#1", Some("MSG#4"))), Vec::<String>::new(), "told already");
        assert_eq!(texts(missed(&grace, &page, "MSG#4", Some("MSG#1"))), Vec::<String>::new());
        assert_eq!(texts(missed(&Viewer::Agent("a1".into()), &page, "", None)), vec!["mine"]);
    }
}
