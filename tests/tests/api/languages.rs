//! Languages (L1–L3) through the handlers on DynamoDB Local, every email read back from moto's
//! SES: a guest's language is chosen on the page, else read from `Accept-Language`, else the
//! tenant's default; it is kept with the meeting, so later emails speak it too; every recipient
//! reads their own (an agent's is an agent setting); dates are written the language's way, the
//! zone named.

use integration_tests::client::Booking;
use integration_tests::moto::{latest_code, mail_to};
use integration_tests::{unique_address, utc, Reply, TestApp};
use mail_parser::MimeHeaders;
use serde_json::json;
use shared::i18n::{self, Lang};

const NOW: &str = "2027-03-24T08:00:00Z";
/// Monday 29 March 2027, 09:00 in Rome.
const AT_0900: &str = "2027-03-29T07:00:00Z";

struct Mail {
    subject: String,
    text: String,
    calendar: Option<String>,
}

fn read(raw: &str) -> Mail {
    let message = mail_parser::MessageParser::default().parse(raw.as_bytes()).expect("a MIME message");
    let calendar = message
        .parts
        .iter()
        .find(|p| p.content_type().is_some_and(|c| c.ctype() == "text" && c.subtype() == Some("calendar")))
        .map(|p| icalendar::parser::unfold(p.text_contents().expect("calendar text")));
    Mail {
        subject: message.subject().unwrap_or_default().to_string(),
        text: message.body_text(0).unwrap_or_default().to_string(),
        calendar,
    }
}

fn mails(address: &str) -> Vec<Mail> {
    mail_to(address).iter().map(|m| read(&m.raw)).collect()
}

/// Books with the headers a browser sends; the body as the page sends it (`language` or not).
async fn book(app: &TestApp, slug: &str, booking: &Booking, headers: &[(&str, &str)]) -> Reply {
    app.call_with("POST", &format!("/v1/book/{slug}/meetings"), None, Some(booking.body()), headers).await
}

fn with_language(booking: &Booking, lang: &str) -> serde_json::Value {
    let mut body = booking.body();
    body["language"] = json!(lang);
    body
}

async fn page(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> String {
    let reply = app.call_with("GET", path, None, None, headers).await;
    assert_eq!(reply.status, 200, "{path}");
    reply.body.as_str().expect("HTML").to_string()
}

#[tokio::test]
async fn an_italian_guest_reads_the_page_the_code_the_invitation_and_the_reminder_in_italian() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let italian = [("accept-language", "it-IT,it;q=0.9,en;q=0.5")];

    let html = page(&app, &format!("/b/{}", f.slug), &italian).await;
    assert!(html.contains("<html lang=\"it\">"), "the page says its language to screen readers");
    assert!(html.contains(&format!("<title>{}</title>", i18n::text(Lang::It, "booking-title"))), "an Italian title");
    assert!(!html.contains(">Pick a time<"), "no English left");

    let grace = unique_address("grazia");
    let booking = Booking::at(AT_0900, &grace).name("Grazia").subject("Revisione trimestrale").in_zone("Europe/Rome");
    let held = book(&app, &f.slug, &booking, &italian).await;
    assert_eq!(held.status, 202, "{:?}", held.body);
    let code_mail = mails(&grace).pop().expect("the code email");
    let code = latest_code(&grace).expect("the code first in the subject, in any language");
    assert_eq!(code_mail.subject, format!("{code} è il tuo codice per confermare la prenotazione"));
    assert!(code_mail.text.starts_with("Ciao Grazia,"), "{}", code_mail.text);
    assert!(code_mail.text.contains("lunedì 29 marzo 2027, 09:00–09:30 (Europe/Rome)"), "{}", code_mail.text);

    let hold = held.body["hold"]["id"].as_str().unwrap();
    let confirmed = app.confirm_hold(hold, json!({ "code": code })).await;
    assert_eq!(confirmed.status, 201, "{:?}", confirmed.body);
    let invitation = mails(&grace).pop().unwrap();
    assert_eq!(invitation.subject, "Appuntamento prenotato: Revisione trimestrale");
    assert!(invitation.text.contains("Quando: lunedì 29 marzo 2027, 09:00–09:30 (Europe/Rome)"), "{}", invitation.text);
    let calendar = invitation.calendar.expect("an invitation");
    assert!(calendar.contains("SUMMARY:Revisione trimestrale con Ada Lovelace"), "{calendar}");
    assert!(calendar.contains(i18n::text(Lang::It, "mail-booked-headline")), "the description too: {calendar}");

    // The agent's copy is in the agent's language (English by default), whatever the guest's.
    let agents = mails("ada@acme.example");
    let agent_copy =
        agents.iter().rev().find(|m| m.subject.contains("Revisione trimestrale")).expect("the agent's copy");
    assert_eq!(agent_copy.subject, "Meeting booked: Revisione trimestrale");
    assert!(agent_copy.text.contains("Monday 29 March 2027, 09:00–09:30 (Europe/Rome)"), "{}", agent_copy.text);

    // The reminder, days later, still speaks Italian: the language was kept with the meeting.
    let id = confirmed.body["meeting"]["id"].as_str().unwrap();
    let due = utc(AT_0900) - chrono::Duration::minutes(15) - shared::domain::notification::reminder_spread(id, 15);
    app.clock.set(due + chrono::Duration::seconds(1));
    app.deps.delivery().run_due().await.unwrap();
    let reminder = mails(&grace).pop().unwrap();
    assert_eq!(reminder.subject, "Promemoria: Revisione trimestrale, ore 09:00 (Europe/Rome)");

    // The email's links open the pages in Italian whatever browser follows them.
    let start = invitation.text.find("/b/manage/").expect("the manage link");
    let link: String = invitation.text[start..].chars().take_while(|c| !c.is_whitespace()).collect();
    assert!(link.ends_with("&lang=it"), "{link}");
    assert!(page(&app, &link, &[("accept-language", "en-US")]).await.contains("<html lang=\"it\">"));
    assert!(reminder.text.contains("inizia tra 15 min."), "{}", reminder.text);
}

#[tokio::test]
async fn a_guest_who_picks_german_on_the_page_gets_german_from_then_on_and_an_agent_their_own() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let ada = unique_address("ada");
    let french_agent = json!({ "language": "fr", "email": ada });
    let agent_path = format!("/v1/agents/{}", f.agent_id);
    let set = app.call("PATCH", &agent_path, Some(&f.admin_key), Some(french_agent)).await;
    assert_eq!((set.status, set.body["language"].as_str()), (200, Some("fr")), "{:?}", set.body);

    // The browser asks for Italian, but the guest picked German on the page: the page's choice wins.
    let html = page(&app, &format!("/b/{}", f.slug), &[("accept-language", "it"), ("cookie", "lang=de")]).await;
    assert!(html.contains("<html lang=\"de\">"));
    let guest = unique_address("greta");
    let booking = Booking::at(AT_0900, &guest).name("Greta").subject("Erstgespräch").in_zone("Europe/Berlin");
    let path = format!("/v1/book/{}/meetings", f.slug);
    let booked =
        app.call_with("POST", &path, None, Some(with_language(&booking, "de")), &[("accept-language", "it")]).await;
    assert_eq!(booked.status, 201, "{:?}", booked.body);
    assert_eq!(mails(&guest).pop().unwrap().subject, "Termin gebucht: Erstgespräch");
    let agent_copy = mails(&ada).pop().unwrap();
    assert_eq!(agent_copy.subject, "Rendez-vous réservé : Erstgespräch", "the agent's own language");
    assert!(agent_copy.text.contains("lundi 29 mars 2027, 09:00–09:30 (Europe/Rome)"), "{}", agent_copy.text);

    // Later: the agent moves it (in French, from the console); the guest's change email is German.
    let id = booked.body["meeting"]["id"].as_str().unwrap();
    let moved = json!({ "start": "2027-03-29T08:00:00Z", "version": 1 });
    let reply = app.call("PATCH", &format!("/v1/meetings/{id}"), Some(&f.agent_token), Some(moved)).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    app.send_change_emails().await;
    let change = mails(&guest).pop().unwrap();
    assert_eq!(change.subject, "Termin aktualisiert: Erstgespräch");
    assert!(change.text.contains("Montag, 29. März 2027, 10:00–10:30 (Europe/Berlin)"), "{}", change.text);
    assert!(change.calendar.unwrap().contains("SUMMARY:Erstgespräch mit Ada Lovelace"));
}

#[tokio::test]
async fn a_browser_that_names_none_of_our_languages_gets_the_tenants_default() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let french = json!({ "default_language": "fr" });
    let set = app.call("PATCH", "/v1/tenant", Some(&f.admin_key), Some(french)).await;
    assert_eq!((set.status, set.body["default_language"].as_str()), (200, Some("fr")), "{:?}", set.body);
    assert_eq!(set.body["retention_days"], json!(null), "a setting not sent stays as it was");

    let japanese = [("accept-language", "ja-JP,ja;q=0.9")];
    assert!(page(&app, &format!("/b/{}", f.slug), &japanese).await.contains("<html lang=\"fr\">"));
    assert!(page(&app, &format!("/b/{}", f.slug), &[]).await.contains("<html lang=\"fr\">"), "no header at all");
    let guest = unique_address("kenji");
    let booked = book(&app, &f.slug, &Booking::at(AT_0900, &guest).subject("Démo"), &japanese).await;
    assert_eq!(booked.status, 201, "{:?}", booked.body);
    assert_eq!(mails(&guest).pop().unwrap().subject, "Rendez-vous réservé : Démo");
}

#[tokio::test]
async fn a_language_we_do_not_speak_is_refused_and_changes_nothing() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let guest = unique_address("klingon");
    let path = format!("/v1/book/{}/meetings", f.slug);
    let refused = app.call("POST", &path, None, Some(with_language(&Booking::at(AT_0900, &guest), "tlh"))).await;
    assert_eq!(refused.status, 400, "{:?}", refused.body);
    assert!(mail_to(&guest).is_empty(), "nothing booked, nothing sent");
    let agent_path = format!("/v1/agents/{}", f.agent_id);
    let refused = app.call("PATCH", &agent_path, Some(&f.admin_key), Some(json!({ "language": "qps" }))).await;
    assert_eq!(refused.status, 400, "the pseudo-language is for the tests' pages only: {:?}", refused.body);
    let refused = app.call("PATCH", "/v1/tenant", Some(&f.admin_key), Some(json!({ "default_language": 7 }))).await;
    assert_eq!(refused.status, 400);
}

#[tokio::test]
async fn every_guest_page_is_served_in_each_language_and_in_the_pseudo_language() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let pages = [
        format!("/b/{}", f.slug),
        "/b/manage/0123456789abcdef0123".to_string(),
        format!("/c/{}0123456789abcdef0123", f.tenant_id),
    ];
    for path in &pages {
        for lang in Lang::ALL {
            let html = page(&app, &format!("{path}?lang={}", lang.code()), &[]).await;
            assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())), "{path} in {}", lang.code());
            assert!(html.contains(i18n::text(lang, "language-label")), "{path}: the picker");
        }
        let pseudo = page(&app, &format!("{path}?lang=qps"), &[]).await;
        assert!(pseudo.contains("<html lang=\"qps\">") && pseudo.contains("[Ŀȧƞɠŭȧɠḗ]"), "{path}");
        let reply = app.call_with("GET", path, None, None, &[("accept-language", "es")]).await;
        let vary = reply.headers.get("vary").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(vary.contains("accept-language") && vary.contains("cookie"), "a cache keeps each language apart");
        assert!(reply.body.as_str().unwrap().contains("<html lang=\"es\">"));
    }
}

#[tokio::test]
async fn a_retry_with_another_accept_language_is_the_same_booking() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let guest = unique_address("retry");
    let booking = Booking::at(AT_0900, &guest);
    let key = [("idempotency-key", "retry-language-1"), ("accept-language", "it")];
    let first = book(&app, &f.slug, &booking, &key).await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    let again = [("idempotency-key", "retry-language-1"), ("accept-language", "de")];
    let second = book(&app, &f.slug, &booking, &again).await;
    assert_eq!(second.status, 201, "the first answer, replayed: {:?}", second.body);
    assert_eq!(second.body["meeting"]["id"], first.body["meeting"]["id"]);
    assert_eq!(mails(&guest).len(), 1, "one booking, one invitation, in Italian");
}

#[tokio::test]
async fn a_guests_later_booking_in_another_language_moves_the_conversations_digests_to_it() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    // A proven guest (G4: only those join their conversation again).
    let (guest, session) = app.proven_guest(&f.slug, "switch").await;
    let path = format!("/v1/book/{}/meetings", f.slug);
    let first = Booking::at(AT_0900, &guest).body();
    let english = app.call_with("POST", &path, Some(&session), Some(first), &[("accept-language", "en")]).await;
    assert_eq!(english.status, 201, "{:?}", english.body);
    let later = with_language(&Booking::at("2027-03-30T07:00:00Z", &guest), "de");
    let german = app.call("POST", &path, Some(&session), Some(later)).await;
    assert_eq!(german.status, 201, "{:?}", german.body);
    let conversation = german.body["conversation"]["id"].as_str().unwrap();
    assert_eq!(english.body["conversation"]["id"].as_str(), Some(conversation), "the same conversation");

    app.said(conversation, &f.agent_token, "Bis Dienstag!").await;
    app.clock.advance(chrono::Duration::minutes(6));
    app.deps.delivery().run_due().await.unwrap();
    let digest = mails(&guest).pop().unwrap();
    let expected =
        i18n::format(Lang::De, "mail-digest-subject-one", &[("author", "Ada Lovelace"), ("title", "Ada Lovelace")]);
    assert_eq!(digest.subject, expected, "the digest in the language of the guest's latest booking");
    assert!(digest.text.starts_with("Hallo "), "{}", digest.text);
}
