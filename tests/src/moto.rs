//! Reading back what the app sent through moto: SES mail from `/moto-api/data.json`, events
//! through a real EventBridge rule into an SQS queue.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::Value;

/// One message as SES received it.
#[derive(Debug, Clone)]
pub struct SentMail {
    pub destinations: Vec<String>,
    pub raw: String,
}

fn moto_url() -> String {
    std::env::var("MOTO_URL").expect("MOTO_URL names the moto server (./infra/test.sh sets it)")
}

/// Every raw message moto's SES has accepted since it started.
pub fn sent_mail() -> Vec<SentMail> {
    // moto serialises its whole state for this endpoint; while other tests send mail at the same
    // moment it can answer with an error page, so a few attempts are made.
    for attempt in 0..10 {
        if let Some(mail) = try_sent_mail() {
            return mail;
        }
        std::thread::sleep(Duration::from_millis(50 * (attempt + 1)));
    }
    panic!("moto's /moto-api/data.json did not answer with JSON");
}

fn try_sent_mail() -> Option<Vec<SentMail>> {
    let url = moto_url();
    let authority = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(authority).expect("moto");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET /moto-api/data.json HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n")?;
    if !head.starts_with("HTTP/1.1 200") && !head.starts_with("HTTP/1.0 200") {
        return None;
    }
    let body =
        if head.to_ascii_lowercase().contains("transfer-encoding: chunked") { dechunk(body) } else { body.to_string() };
    let data: Value = serde_json::from_str(&body).ok()?;
    Some(
        data["ses"]["RawMessage"]
            .as_array()
            .map(|messages| {
                messages
                    .iter()
                    .map(|m| SentMail {
                        destinations: m["destinations"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|d| d.as_str().unwrap().to_string())
                            .collect(),
                        raw: m["raw_data"].as_str().unwrap().to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    )
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&tail[..size]);
        rest = &tail[size + 2..];
    }
    out
}

/// The messages one address received, oldest first.
pub fn mail_to(address: &str) -> Vec<SentMail> {
    sent_mail().into_iter().filter(|m| m.destinations.iter().any(|d| d == address)).collect()
}

/// A dedicated bus with a rule matching the app's events and an SQS queue as its target.
pub struct EventCapture {
    pub bus: String,
    sqs: aws_sdk_sqs::Client,
    queue_url: String,
}

impl EventCapture {
    pub async fn new(aws: &aws_config::SdkConfig, name: &str) -> Self {
        let events = aws_sdk_eventbridge::Client::new(aws);
        let sqs = aws_sdk_sqs::Client::new(aws);
        let queue_url = sqs.create_queue().queue_name(format!("q-{name}")).send().await.unwrap().queue_url.unwrap();
        let arn = sqs
            .get_queue_attributes()
            .queue_url(&queue_url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
            .send()
            .await
            .unwrap()
            .attributes
            .unwrap()[&aws_sdk_sqs::types::QueueAttributeName::QueueArn]
            .clone();
        let bus = format!("bus-{name}");
        events.create_event_bus().name(&bus).send().await.unwrap();
        events
            .put_rule()
            .name(format!("rule-{name}"))
            .event_bus_name(&bus)
            .event_pattern(r#"{"source":["meeting-scheduler"]}"#)
            .send()
            .await
            .unwrap();
        events
            .put_targets()
            .rule(format!("rule-{name}"))
            .event_bus_name(&bus)
            .targets(aws_sdk_eventbridge::types::Target::builder().id("queue").arn(arn).build().unwrap())
            .send()
            .await
            .unwrap();
        Self { bus, sqs, queue_url }
    }

    /// Every event delivered to the queue so far, as EventBridge wrapped it.
    pub async fn received(&self) -> Vec<Value> {
        let mut events = Vec::new();
        loop {
            let out =
                self.sqs.receive_message().queue_url(&self.queue_url).max_number_of_messages(10).send().await.unwrap();
            let messages = out.messages.unwrap_or_default();
            if messages.is_empty() {
                return events;
            }
            for m in messages {
                events.push(serde_json::from_str(m.body().unwrap()).unwrap());
            }
        }
    }
}

/// The code in the newest code email an address received (holds and sign-ins put it first in the
/// subject: "123456 is your …").
pub fn latest_code(address: &str) -> Option<String> {
    mail_to(address).iter().rev().find_map(|mail| {
        let message = mail_parser::MessageParser::default().parse(mail.raw.as_bytes())?;
        let subject = message.subject()?;
        let (code, rest) = subject.split_once(' ')?;
        (code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty()).then(|| code.to_string())
    })
}
