//! What SES tells us after sending (through the configuration set's SNS topic): a permanent
//! bounce or a complaint suppresses the address for the tenant, so nothing is sent to it again
//! (the outbox records why), and the meeting's conversation says so, for the agent to see.
//! Events are fed as SNS delivers them, through the mail-events function's entry.

use integration_tests::client::Booking;
use integration_tests::moto::mail_to;
use integration_tests::{unique_address, TestApp};
use serde_json::{json, Value};

const NOW: &str = "2027-03-24T08:00:00Z";

/// The notification an email carries (its Message-ID is `<notification.copy@…>`).
fn notification_of(raw: &str) -> String {
    let message = mail_parser::MessageParser::default().parse(raw.as_bytes()).unwrap();
    let id = message.message_id().expect("a Message-ID");
    id.split('.').next().unwrap().to_string()
}

/// An SES event as the topic delivers it: a bounce (`Permanent` or `Transient`) or a complaint.
fn ses_event(kind: &str, email: &str, tenant: &str, notification: &str) -> Value {
    let detail = match kind {
        "Complaint" => {
            json!({ "complaint": { "complainedRecipients": [{ "emailAddress": email }], "timestamp": "2027-03-24T08:00:04Z" } })
        }
        bounce => {
            json!({ "bounce": { "bounceType": bounce, "bouncedRecipients": [{ "emailAddress": email, "status": "5.1.1" }], "timestamp": "2027-03-24T08:00:04Z" } })
        }
    };
    let mut message = json!({
        "eventType": if kind == "Complaint" { "Complaint" } else { "Bounce" },
        "mail": { "destination": [email], "tags": { "tenant": [tenant], "notification": [notification], "ses:configuration-set": ["x"] } },
    });
    message.as_object_mut().unwrap().extend(detail.as_object().unwrap().clone());
    let fixture = include_str!("../../fixtures/sns/ses-bounce.json");
    let mut event: Value = serde_json::from_str(fixture).unwrap();
    event["Records"][0]["Sns"]["Message"] = json!(message.to_string());
    event
}

async fn deliver(app: &TestApp, event: &Value) -> Value {
    shared::http::lambda::handle_mail_events(&app.deps, event).await.unwrap()
}

#[tokio::test]
async fn a_bounced_address_is_not_mailed_again_and_the_agent_sees_why() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let guest = unique_address("bouncy");
    let booked = app.booked(&f.slug, &Booking::at("2027-03-29T07:00:00Z", &guest).name("Grace Hopper")).await;
    let invitation = mail_to(&guest).pop().expect("the invitation");
    let notification = notification_of(&invitation.raw);

    let bounce = ses_event("Permanent", &guest, &f.tenant_id, &notification);
    assert_eq!(deliver(&app, &bounce).await, json!({ "suppressed": 1, "told": 1 }));
    assert_eq!(deliver(&app, &bounce).await, json!({ "suppressed": 1, "told": 0 }), "a redelivery tells nobody twice");

    // The agent sees it in the conversation and in the inbox.
    let seen = app.conversation(&booked.conversation, &f.agent_token).await;
    let last = seen.body["messages"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["event"]["type"], "email_undelivered");
    assert!(last["text"].as_str().unwrap().starts_with("The email to Grace Hopper bounced"), "{last}");
    assert!(!last.to_string().contains(&guest), "a name, never the address");
    let inbox = app.inbox(&f.agent_token, "").await;
    assert_eq!(inbox.body["conversations"][0]["last_message"]["text"], last["text"]);

    // The agent moves the meeting: the agent is told, the bounced guest is not mailed.
    let mails_before = mail_to(&guest).len();
    let moved = app.change(&booked.id, &f.agent_token, json!({ "start": "2027-03-29T09:00:00Z" })).await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    app.send_change_emails().await;
    assert_eq!(mail_to(&guest).len(), mails_before, "suppressed");
    let update = mail_to("ada@acme.example").into_iter().filter(|m| m.raw.contains(&booked.id)).count();
    assert!(update >= 2, "the agent got the invitation and the update");
}

#[tokio::test]
async fn a_complaint_suppresses_too_and_what_is_not_ours_is_ignored() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let guest = unique_address("annoyed");
    let extra = unique_address("extra");
    let booking = Booking::at("2027-03-29T07:00:00Z", &guest).name("Ann").with_members(&[&extra]);
    let booked = app.booked(&f.slug, &booking).await;
    let notification = notification_of(&mail_to(&guest).pop().unwrap().raw);

    // From another topic (anyone who can publish to one of their own): nothing happens.
    let mut elsewhere = ses_event("Complaint", &guest, &f.tenant_id, &notification);
    elsewhere["Records"][0]["Sns"]["TopicArn"] = json!("arn:aws:sns:eu-south-1:999999999999:someone-elses");

    // Not ours, or not a reason to stop: nothing happens. Before: the tags alone were trusted, so
    // a forged event named any address and it was suppressed for good.
    for ignored in [
        ses_event("Transient", &guest, &f.tenant_id, &notification),
        ses_event("Permanent", &guest, "not-our-tenant!", &notification),
        ses_event("Complaint", &unique_address("stranger"), &f.tenant_id, &notification),
        ses_event("Permanent", &guest, &f.tenant_id, "00000000000000000000"),
        elsewhere,
        json!({ "Records": [{ "Sns": { "Message": "not json" } }] }),
        json!({ "Records": "nonsense" }),
    ] {
        assert_eq!(deliver(&app, &ignored).await, json!({ "suppressed": 0, "told": 0 }), "{ignored}");
    }

    let complaint = ses_event("Complaint", &extra, &f.tenant_id, &notification);
    assert_eq!(deliver(&app, &complaint).await, json!({ "suppressed": 1, "told": 1 }));
    let seen = app.conversation(&booked.conversation, &f.agent_token).await;
    let last = seen.body["messages"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["text"], "an additional member marked an email as spam: they get no more email");

    // The next email to everyone: the guest gets it, the member who complained does not.
    let (guest_before, extra_before) = (mail_to(&guest).len(), mail_to(&extra).len());
    assert_eq!(app.change(&booked.id, &booked.token, json!({ "duration": 45 })).await.status, 200);
    app.send_change_emails().await;
    assert_eq!(mail_to(&guest).len(), guest_before + 1);
    assert_eq!(mail_to(&extra).len(), extra_before, "suppressed");
}
