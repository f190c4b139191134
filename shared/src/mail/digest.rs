//! The digest (C5): one email telling a member what people wrote in a conversation since they
//! last read it, with a link to the conversation's page. Messages are quoted as plain text,
//! escaped for HTML, with times on the recipient's wall clock.

use chrono::{DateTime, Utc};

use super::html;
use super::render::{greeting, page, RecipientLinks, Rendered};
use crate::domain::notification::Recipient;
use crate::domain::timeline::DIGEST_SHOWN;
use crate::domain::validation::single_line;

/// One message as the digest quotes it.
pub struct Quoted {
    pub author: String,
    pub at: DateTime<Utc>,
    pub text: String,
}

pub fn render_digest(title: &str, quoted: &[Quoted], to: &Recipient, links: &RecipientLinks) -> Rendered {
    let link = &links.conversation;
    let title = single_line(title);
    let count = quoted.len();
    let subject = match count {
        1 => format!("New message from {} in {title}", single_line(&quoted[0].author)),
        n => format!("{n} new messages in {title}"),
    };
    let shown = &quoted[count.saturating_sub(DIGEST_SHOWN)..];
    let earlier = count - shown.len();
    let stamp = |at: &DateTime<Utc>| at.with_timezone(&to.time_zone).format("%a %-d %b, %H:%M").to_string();
    let greeting = greeting(to);
    let footer = "You get this email because you are in this conversation and had not read these messages. \
                  To stop these emails, mute the conversation on its page, or use the link below.";

    let mut text = format!("Hello {greeting},\n\nNew in the conversation \"{title}\":\n");
    if earlier > 0 {
        text.push_str(&format!("\n({earlier} earlier messages are on the conversation's page.)\n"));
    }
    for q in shown {
        text.push_str(&format!("\n{} ({}, {}):\n", single_line(&q.author), stamp(&q.at), to.time_zone.name()));
        for line in q.text.lines() {
            text.push_str(&format!("  {line}\n"));
        }
    }
    text.push_str(&format!(
        "\nRead and reply: {link}\n\n{footer}\nStop emails about this conversation: {}\n",
        links.unsubscribe
    ));

    let mut body = format!(
        "<p>Hello {},</p>\n<p>New in the conversation <strong>{}</strong>:</p>\n",
        html::escape(&greeting),
        html::escape(&title)
    );
    if earlier > 0 {
        body.push_str(&format!("<p>({earlier} earlier messages are on the conversation's page.)</p>\n"));
    }
    for q in shown {
        body.push_str(&format!(
            "<p><strong>{}</strong> <span style=\"color:#666\">{} ({})</span><br>{}</p>\n",
            html::escape(&single_line(&q.author)),
            html::escape(&stamp(&q.at)),
            html::escape(to.time_zone.name()),
            html::paragraph(&q.text)
        ));
    }
    body.push_str(&format!("<p><a href=\"{}\">Read and reply</a></p>\n", html::escape(link)));
    body.push_str(&format!("<p style=\"color:#666\">{}</p>\n", html::escape(footer)));
    body.push_str(&format!(
        "<p><a href=\"{}\">Stop emails about this conversation</a></p>\n",
        html::escape(&links.unsubscribe)
    ));
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
    }
}
