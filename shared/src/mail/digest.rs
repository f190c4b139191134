//! The digest (C5): one email telling a member what people wrote in a conversation since they
//! last read it, with a link to the conversation's page. Messages are quoted as plain text,
//! escaped for HTML, with times on the recipient's wall clock.

use chrono::{DateTime, Utc};

use super::html;
use super::render::{greeting, page, RecipientLinks, Rendered};
use crate::domain::notification::Recipient;
use crate::domain::timeline::DIGEST_SHOWN;
use crate::domain::validation::single_line;
use crate::i18n::{self, dates};

/// One message as the digest quotes it.
pub struct Quoted {
    pub author: String,
    pub at: DateTime<Utc>,
    pub text: String,
}

pub fn render_digest(title: &str, quoted: &[Quoted], to: &Recipient, links: &RecipientLinks) -> Rendered {
    let lang = to.language;
    let link = &links.conversation;
    let title = single_line(title);
    let count = quoted.len();
    let subject = match count {
        1 => i18n::format(
            lang,
            "mail-digest-subject-one",
            &[("author", &single_line(&quoted[0].author)), ("title", &title)],
        ),
        n => i18n::format(lang, "mail-digest-subject-many", &[("count", &n.to_string()), ("title", &title)]),
    };
    let shown = &quoted[count.saturating_sub(DIGEST_SHOWN)..];
    let earlier = count - shown.len();
    let stamp = |at: &DateTime<Utc>| dates::short_stamp(lang, to.time_zone, *at);
    let hello = i18n::format(lang, "mail-hello", &[("name", &greeting(to))]);
    let intro = i18n::format(lang, "mail-digest-intro", &[("title", &title)]);
    let earlier_line = i18n::format(lang, "mail-digest-earlier", &[("count", &earlier.to_string())]);
    let (read_reply, footer) = (i18n::text(lang, "mail-digest-read-reply"), i18n::text(lang, "mail-digest-footer"));
    let stop = i18n::text(lang, "mail-link-unsubscribe");
    let zone = to.time_zone.name();

    let mut text = format!("{hello}\n\n{intro}\n");
    if earlier > 0 {
        text.push_str(&format!("\n{earlier_line}\n"));
    }
    for q in shown {
        text.push_str(&format!("\n{} ({}, {zone}):\n", single_line(&q.author), stamp(&q.at)));
        for line in q.text.lines() {
            text.push_str(&format!("  {line}\n"));
        }
    }
    text.push_str(&format!("\n{read_reply}: {link}\n\n{footer}\n{stop}: {}\n", links.unsubscribe));

    let mut body = format!("<p>{}</p>\n<p>{}</p>\n", html::escape(&hello), html::escape(&intro));
    if earlier > 0 {
        body.push_str(&format!("<p>{}</p>\n", html::escape(&earlier_line)));
    }
    for q in shown {
        body.push_str(&format!(
            "<p><strong>{}</strong> <span style=\"color:#666\">{} ({})</span><br>{}</p>\n",
            html::escape(&single_line(&q.author)),
            html::escape(&stamp(&q.at)),
            html::escape(zone),
            html::paragraph(&q.text)
        ));
    }
    body.push_str(&format!("<p><a href=\"{}\">{}</a></p>\n", html::escape(link), html::escape(read_reply)));
    body.push_str(&format!("<p style=\"color:#666\">{}</p>\n", html::escape(footer)));
    body.push_str(&format!("<p><a href=\"{}\">{}</a></p>\n", html::escape(&links.unsubscribe), html::escape(stop)));
    Rendered { subject, text, html: page(&body), calendar: None, unsubscribe: Some(links.unsubscribe.clone()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::notification::Role;

    #[test]
    fn a_digest_quotes_plain_text_safely_and_names_its_zone() {
        let to = Recipient {
            email: "grace@example.com".into(),
            name: Some("Grace".into()),
            role: Role::Guest,
            time_zone: chrono_tz::Europe::Rome,
            language: Default::default(),
        };
        let at = DateTime::parse_from_rfc3339("2027-03-24T08:00:00Z").unwrap().with_timezone(&Utc);
        let quoted = [Quoted { author: "Ada".into(), at, text: "<b>hi</b>\nsecond line".into() }];
        let links =
            RecipientLinks { conversation: "https://x.test/c/abc".into(), unsubscribe: "https://x.test/u".into() };
        let mail = render_digest("Ada, Bob", &quoted, &to, &links);
        assert_eq!(mail.subject, "New message from Ada in Ada, Bob");
        assert!(mail.text.contains("Ada (Wed 24 Mar, 09:00, Europe/Rome):\n  <b>hi</b>\n  second line\n"));
        assert!(mail.html.contains("&lt;b&gt;hi&lt;/b&gt;<br>second line"), "{}", mail.html);
        assert!(!mail.html.contains("<b>hi"));

        let italian = render_digest("Ada, Bob", &quoted, &Recipient { language: crate::i18n::Lang::It, ..to }, &links);
        assert!(italian.subject != mail.subject && italian.subject.contains("Ada, Bob"), "{}", italian.subject);
        assert!(italian.text.starts_with("Ciao Grace,"), "{}", italian.text);
        assert!(italian.text.contains("Ada (mer 24 mar, 09:00, Europe/Rome):"), "{}", italian.text);
    }
}
