//! Booking a service, not a person (S9–S11) against DynamoDB Local: its page lists the union of
//! its members' slots; a booking goes to a free member by priority, then fewest meetings this
//! month, then least recently booked, then chance; racing bookings of one slot never put two
//! meetings on one host; the conversation is assigned to the service and host from the start.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use integration_tests::client::Booking;
use integration_tests::{unique_address, Fixture, TestApp};
use serde_json::{json, Value};

const NOW: &str = "2027-03-24T08:00:00Z";
/// Monday 29 March, 09:00 in Rome.
const MONDAY_0900: &str = "2027-03-29T07:00:00Z";

struct Desk {
    f: Fixture,
    service: String,
    slug: String,
    /// Each member's id and token.
    members: Vec<(String, String)>,
}

/// A service "Support" of `n` fresh members (Europe/Rome, office hours), bookable at its own slug.
async fn desk(app: &TestApp, n: usize) -> Desk {
    let f = app.fixture("Europe/Rome").await;
    let created = app
        .call("POST", "/v1/services", Some(&f.admin_key), Some(json!({ "name": "Support", "pbx_id": f.pbx_id })))
        .await;
    let service = created.body["id"].as_str().unwrap().to_string();
    let mut members = Vec::new();
    for k in 0..n {
        let body = json!({ "name": format!("Member {k}"), "email": unique_address("member"), "pbx_id": f.pbx_id, "time_zone": "Europe/Rome" });
        let agent = app.call("POST", "/v1/agents", Some(&f.admin_key), Some(body)).await;
        let (id, token) = (agent.body["agent"]["id"].as_str().unwrap(), agent.body["token"].as_str().unwrap());
        let path = format!("/v1/services/{service}/members/{id}");
        assert_eq!(app.call("PUT", &path, Some(&f.admin_key), Some(json!({ "kind": "static" }))).await.status, 200);
        members.push((id.to_string(), token.to_string()));
    }
    let slug = format!("support-{}", &shared::secrets::new_id()[..8]);
    let changes = json!({ "slug": slug, "bookable": true, "durations": [30] });
    let changed = app.call("PATCH", &format!("/v1/services/{service}"), Some(&f.admin_key), Some(changes)).await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    Desk { f, service, slug, members }
}

fn host_of(reply: &Value) -> String {
    reply["meeting"]["agent_id"].as_str().expect("a meeting").to_string()
}

#[tokio::test]
async fn a_service_page_lists_the_union_of_its_members_slots_and_names_no_agent() {
    let app = TestApp::at(NOW).await;
    let d = desk(&app, 3).await;
    let page = app.call("GET", &format!("/v1/book/{}", d.slug), None, None).await;
    assert_eq!((page.body["kind"].as_str(), page.body["agent_name"].as_str()), (Some("service"), Some("Support")));
    assert_eq!(app.call("GET", &format!("/b/{}", d.slug), None, None).await.status, 200);

    // Member 0 is busy all Monday morning, member 1 off on Monday, member 2 works only 14–16.
    let (m0, m1, m2) = (&d.members[0].1, &d.members[1].1, &d.members[2].1);
    for hour in 7..11 {
        let at = format!("2027-03-29T{hour:02}:00:00Z");
        let busy = app.schedule(m0, &Booking::at(&at, &unique_address("busy")).lasting(60)).await;
        assert_eq!(busy.status, 201, "{:?}", busy.body);
    }
    let off = json!({ "date_overrides": { "2027-03-29": [] } });
    assert_eq!(app.call("PATCH", "/v1/me/availability", Some(m1), Some(off)).await.status, 200);
    let short = json!({ "weekly_hours": { "monday": [{ "start": "14:00", "end": "16:00" }] } });
    assert_eq!(app.call("PATCH", "/v1/me/availability", Some(m2), Some(short)).await.status, 200);

    let query = "from=2027-03-29&to=2027-03-29&duration=30";
    let service_slots = app.slot_starts(&d.slug, query).await;
    let agents = app.call("GET", "/v1/agents", Some(&d.f.admin_key), None).await;
    let mut union = BTreeSet::new();
    for (id, _) in &d.members {
        let slug = agents.body["agents"].as_array().unwrap().iter().find(|a| a["id"] == id.as_str()).unwrap()["slug"]
            .as_str()
            .unwrap()
            .to_string();
        union.extend(app.slot_starts(&slug, query).await);
    }
    assert_eq!(service_slots, union.into_iter().collect::<Vec<_>>(), "exactly the union");
    assert!(!service_slots.contains(&MONDAY_0900.to_string()), "nobody is free at 09:00");
    assert!(service_slots.contains(&"2027-03-29T12:00:00Z".to_string()), "14:00: members 0 and 2");

    // Each listed slot books, with a member free then.
    let booked = app.book(&d.slug, "2027-03-29T12:00:00Z", &unique_address("guest")).await;
    assert_eq!(booked.status, 201, "{:?}", booked.body);
    let host = host_of(&booked.body);
    assert!(host == d.members[0].0 || host == d.members[2].0, "a member free at 14:00");
    assert_eq!(booked.body["meeting"]["host"]["service_id"], d.service.as_str());
    let refused = app.book(&d.slug, MONDAY_0900, &unique_address("early")).await;
    assert_eq!(
        (refused.status, refused.body["type"].as_str()),
        (409, Some("/problems/slot-taken")),
        "{:?}",
        refused.body
    );
    let odd = app.book_as(&d.slug, &Booking::at("2027-03-29T12:30:00Z", &unique_address("long")).lasting(45)).await;
    assert_eq!(odd.status, 422, "a duration the service does not offer");
}

/// S10 under a race: 20 guests book one slot at which exactly 3 of 5 members are free.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_racing_bookings_of_one_slot_make_three_meetings_on_three_hosts() {
    let app = Arc::new(TestApp::at(NOW).await);
    let d = desk(&app, 5).await;
    for (_, token) in &d.members[..2] {
        assert_eq!(app.schedule(token, &Booking::at(MONDAY_0900, &unique_address("busy"))).await.status, 201);
    }
    let racers: Vec<_> = (0..20)
        .map(|_| {
            let (app, slug) = (app.clone(), d.slug.clone());
            tokio::spawn(async move { app.book(&slug, MONDAY_0900, &unique_address("racer")).await })
        })
        .collect();
    let mut hosts = Vec::new();
    for racer in racers {
        let reply = racer.await.unwrap();
        match reply.status {
            201 => hosts.push(host_of(&reply.body)),
            409 => assert_eq!(reply.body["type"], "/problems/slot-taken"),
            other => panic!("{other}: {:?}", reply.body),
        }
    }
    assert_eq!(hosts.len(), 3, "exactly three meetings");
    let distinct: BTreeSet<&String> = hosts.iter().collect();
    assert_eq!(distinct.len(), 3, "on three different hosts");
    let busy: BTreeSet<&String> = d.members[..2].iter().map(|(id, _)| id).collect();
    assert!(distinct.is_disjoint(&busy), "never a member who was busy");
    for (_, token) in &d.members {
        let theirs = app.my_meetings(token, "from=2027-03-29&to=2027-03-29").await;
        let at_nine = theirs.body["meetings"].as_array().unwrap().iter().filter(|m| m["start"] == MONDAY_0900).count();
        assert!(at_nine <= 1, "never two meetings at one time for one host");
    }
}

/// S10: 100 bookings over a month for five equal members: counts differ by at most one; a higher
/// priority goes first while free; a member who joins mid-month starts at the current minimum.
#[tokio::test]
async fn bookings_are_shared_fairly_priority_first_and_a_newcomer_is_not_flooded() {
    let app = TestApp::at(NOW).await;
    let d = desk(&app, 5).await;
    let mut count: BTreeMap<String, u32> = BTreeMap::new();
    let days = ["2027-03-29", "2027-03-30", "2027-03-31", "2027-04-01", "2027-04-02", "2027-04-05", "2027-04-06"];
    let starts: Vec<String> = days
        .iter()
        .flat_map(|day| {
            [7, 8, 9, 10, 12, 13, 14, 15]
                .iter()
                .flat_map(move |h| ["00", "30"].map(|m| format!("{day}T{h:02}:{m}:00Z")))
        })
        .take(100)
        .collect();
    for (k, start) in starts.iter().enumerate() {
        let reply = app.book(&d.slug, start, &unique_address(&format!("fair{k}"))).await;
        assert_eq!(reply.status, 201, "{start}: {:?}", reply.body);
        *count.entry(host_of(&reply.body)).or_default() += 1;
    }
    let (least, most) = (count.values().min().unwrap(), count.values().max().unwrap());
    assert_eq!(count.len(), 5);
    assert!(most - least <= 1, "counts differ by at most one: {count:?}");

    // Priority first, while free.
    let (top, _) = &d.members[3];
    let path = format!("/v1/services/{}/members/{top}", d.service);
    assert_eq!(
        app.call("PUT", &path, Some(&d.f.admin_key), Some(json!({ "kind": "static", "priority": 5 }))).await.status,
        200
    );
    let first = app.book(&d.slug, "2027-04-07T07:00:00Z", &unique_address("vip")).await;
    assert_eq!(
        (host_of(&first.body), first.body["meeting"]["host"]["reason"].as_str()),
        (top.clone(), Some("priority"))
    );
    assert_eq!(
        app.call("PUT", &path, Some(&d.f.admin_key), Some(json!({ "kind": "static", "priority": 0 }))).await.status,
        200
    );

    // A newcomer starts at the fewest anyone has (20), so the next bookings are shared, not theirs.
    let body =
        json!({ "name": "Newcomer", "email": unique_address("new"), "pbx_id": d.f.pbx_id, "time_zone": "Europe/Rome" });
    let newcomer = app.call("POST", "/v1/agents", Some(&d.f.admin_key), Some(body)).await;
    let new_id = newcomer.body["agent"]["id"].as_str().unwrap().to_string();
    let path = format!("/v1/services/{}/members/{new_id}", d.service);
    assert_eq!(app.call("PUT", &path, Some(&d.f.admin_key), Some(json!({ "kind": "static" }))).await.status, 200);
    let mut theirs = 0;
    for (k, hour) in [7, 8, 9, 10, 12, 13].iter().enumerate() {
        let reply =
            app.book(&d.slug, &format!("2027-04-08T{hour:02}:00:00Z"), &unique_address(&format!("after{k}"))).await;
        theirs += u32::from(host_of(&reply.body) == new_id);
    }
    assert!(theirs <= 2, "the newcomer took {theirs} of 6, not all of them");
}

/// S11: the conversation is the service's and the host's from the start; the guest's next
/// booking through the service joins it, its host a member; the cap counts per service.
#[tokio::test]
async fn a_guests_bookings_through_a_service_share_one_assigned_conversation_and_its_cap() {
    let app = TestApp::at(NOW).await;
    let d = desk(&app, 2).await;
    let (guest, session) = app.proven_guest(&d.slug, "grace").await;
    let first = app.book_as(&d.slug, &Booking::at(MONDAY_0900, &guest).signed_in(&session)).await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    let host = host_of(&first.body);
    let conversation = first.body["conversation"]["id"].as_str().unwrap().to_string();
    let host_token = &d.members.iter().find(|(id, _)| *id == host).unwrap().1;
    let seen = app.conversation(&conversation, host_token).await;
    assert_eq!(seen.body["assignee"]["agent_id"], host.as_str(), "{:?}", seen.body);
    assert_eq!(seen.body["assignee"]["service_id"], d.service.as_str());

    // The same time again: the other member hosts it, in the same conversation.
    let second = app.book_as(&d.slug, &Booking::at(MONDAY_0900, &guest).signed_in(&session)).await;
    assert_eq!(second.status, 201, "{:?}", second.body);
    assert_ne!(host_of(&second.body), host);
    assert_eq!(second.body["conversation"]["id"], conversation.as_str());
    let other_token = &d.members.iter().find(|(id, _)| *id == host_of(&second.body)).unwrap().1;
    let seen = app.conversation(&conversation, other_token).await;
    assert_eq!(seen.status, 200, "the second host is a member");
    assert_eq!(seen.body["assignee"]["agent_id"], host.as_str(), "the assignment stays");

    // The cap (two by default) counts per guest and service, whichever member hosts.
    let third = app.book_as(&d.slug, &Booking::at("2027-03-30T07:00:00Z", &guest).signed_in(&session)).await;
    assert_eq!(
        (third.status, third.body["type"].as_str()),
        (422, Some("/problems/guest-cap-reached")),
        "{:?}",
        third.body
    );
}

#[tokio::test]
async fn a_service_that_is_not_bookable_or_loses_its_slug_is_gone_and_deactivated_members_never_host() {
    let app = TestApp::at(NOW).await;
    let d = desk(&app, 2).await;
    let (gone, _) = &d.members[0];
    let body = json!({ "meetings": "cancel" });
    let off = app.call("POST", &format!("/v1/agents/{gone}/deactivate"), Some(&d.f.admin_key), Some(body)).await;
    assert_eq!(off.status, 200);
    for k in 0..3 {
        let reply = app.book(&d.slug, &format!("2027-03-29T{:02}:00:00Z", 7 + k), &unique_address("g")).await;
        assert_ne!(host_of(&reply.body), *gone, "a deactivated member never hosts");
    }
    let closed = app
        .call("PATCH", &format!("/v1/services/{}", d.service), Some(&d.f.admin_key), Some(json!({ "bookable": false })))
        .await;
    assert_eq!(closed.status, 200);
    assert_eq!(app.call("GET", &format!("/v1/book/{}", d.slug), None, None).await.status, 404);
    assert_eq!(app.book(&d.slug, "2027-03-30T07:00:00Z", &unique_address("g")).await.status, 404);
    let moved = json!({ "slug": null, "bookable": true });
    assert_eq!(
        app.call("PATCH", &format!("/v1/services/{}", d.service), Some(&d.f.admin_key), Some(moved)).await.status,
        200
    );
    assert_eq!(app.call("GET", &format!("/v1/book/{}", d.slug), None, None).await.status, 404);
    // A slug in use by an agent is taken.
    let taken = json!({ "slug": d.f.slug });
    let refused = app.call("PATCH", &format!("/v1/services/{}", d.service), Some(&d.f.admin_key), Some(taken)).await;
    assert_eq!((refused.status, refused.body["type"].as_str()), (409, Some("/problems/slug-taken")));
}

/// S11: a guest's reschedule keeps the host while they are free at the new time; otherwise the
/// meeting goes to a member free then (picked by S10), who joins the conversation, while the old
/// host's time is given back and they are told; with nobody free it is refused and unchanged.
#[tokio::test]
async fn a_guests_reschedule_keeps_a_free_host_and_otherwise_goes_to_a_free_member() {
    let app = TestApp::at(NOW).await;
    let d = desk(&app, 3).await;
    let token_of = |id: &str| d.members.iter().find(|(m, _)| m == id).unwrap().1.clone();
    let agents = app.call("GET", "/v1/agents", Some(&d.f.admin_key), None).await;
    let email_of = |id: &str| {
        let all = agents.body["agents"].as_array().unwrap();
        all.iter().find(|a| a["id"] == id).unwrap()["email"].as_str().unwrap().to_string()
    };
    let guest = unique_address("mover");
    let booked = app.booked(&d.slug, &Booking::at(MONDAY_0900, &guest)).await;
    let host = host_of(&booked.body);

    // Free at ten, and at half past: the host keeps it (the second change's email waits, G7).
    for at in ["2027-03-29T08:00:00Z", "2027-03-29T08:30:00Z"] {
        let kept = app.change(&booked.id, &booked.token, json!({ "start": at })).await;
        assert_eq!((kept.status, kept.body["agent_id"].as_str()), (200, Some(host.as_str())), "{:?}", kept.body);
    }

    // Busy at eleven: another member, free then, hosts it.
    let busy = app.schedule(&token_of(&host), &Booking::at("2027-03-29T09:00:00Z", &unique_address("own"))).await;
    assert_eq!(busy.status, 201, "{:?}", busy.body);
    let moved = app.change(&booked.id, &booked.token, json!({ "start": "2027-03-29T09:00:00Z" })).await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    let new_host = moved.body["agent_id"].as_str().unwrap().to_string();
    assert_ne!(new_host, host, "{:?}", moved.body);
    assert!(d.members.iter().any(|(id, _)| *id == new_host));
    assert_eq!(moved.body["start"], "2027-03-29T09:00:00Z");
    let theirs = app.my_meetings(&token_of(&new_host), "from=2027-03-29&to=2027-03-29").await;
    let listed: Vec<&str> =
        theirs.body["meetings"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(listed, [booked.id.as_str()], "{:?}", theirs.body);
    let old = app.my_meetings(&token_of(&host), "from=2027-03-29&to=2027-03-29").await;
    assert!(old.body["meetings"].as_array().unwrap().iter().all(|m| m["id"] != booked.id.as_str()));
    // Its turn counts for the new host now (S10), in the month it was booked in.
    let counts = app.deps.store.host_stats(&d.f.tenant_id, &d.service, "2027-03").await.unwrap();
    let count_of = |id: &str| counts.get(id).map_or(0, |c| c.meetings_this_month);
    assert_eq!((count_of(&host), count_of(&new_host)), (0, 1), "{counts:?}");
    // The old host's ten o'clock is theirs again.
    let again = app.schedule(&token_of(&host), &Booking::at("2027-03-29T08:00:00Z", &unique_address("own"))).await;
    assert_eq!(again.status, 201, "{:?}", again.body);
    // The new host joins the conversation, the assignment stays, and it says what happened.
    let seen = app.conversation(&booked.conversation, &token_of(&new_host)).await;
    assert_eq!(seen.status, 200, "{:?}", seen.body);
    assert_eq!(seen.body["assignee"]["agent_id"], host.as_str());
    let said: Vec<&str> =
        seen.body["messages"].as_array().unwrap().iter().filter_map(|m| m["event"]["type"].as_str()).collect();
    assert!(said.contains(&"meeting_rehosted"), "{said:?}");
    // The old host's copy is withdrawn, the new host is invited; the waiting change email goes
    // to the new host, not the old.
    let subjects = |id: &str| -> Vec<String> {
        let mail = integration_tests::moto::mail_to(&email_of(id));
        mail.iter()
            .map(|m| {
                let parsed = mail_parser::MessageParser::default().parse(m.raw.as_bytes()).expect("MIME");
                parsed.subject().unwrap_or_default().to_string()
            })
            .collect()
    };
    let count = |list: &[String], prefix: &str| list.iter().filter(|s| s.starts_with(prefix)).count();
    assert_eq!(count(&subjects(&host), "Meeting cancelled"), 1, "{:?}", subjects(&host));
    assert_eq!(count(&subjects(&new_host), "Meeting booked"), 1, "{:?}", subjects(&new_host));
    let old_updates = count(&subjects(&host), "Meeting updated");
    app.send_change_emails().await;
    assert_eq!(count(&subjects(&host), "Meeting updated"), old_updates, "{:?}", subjects(&host));
    assert_eq!(count(&subjects(&new_host), "Meeting updated"), 1, "{:?}", subjects(&new_host));

    // Not working at the new time (a day off): another member hosts it.
    let off = json!({ "date_overrides": { "2027-03-30": [] } });
    assert_eq!(app.call("PATCH", "/v1/me/availability", Some(&token_of(&new_host)), Some(off)).await.status, 200);
    let tuesday = app.change(&booked.id, &booked.token, json!({ "start": "2027-03-30T07:00:00Z" })).await;
    assert_eq!(tuesday.status, 200, "{:?}", tuesday.body);
    let third_host = tuesday.body["agent_id"].as_str().unwrap().to_string();
    assert_ne!(third_host, new_host, "{:?}", tuesday.body);

    // Nobody free at three: refused, and the meeting stays as it was.
    for (_, token) in &d.members {
        let own = app.schedule(token, &Booking::at("2027-03-29T13:00:00Z", &unique_address("own"))).await;
        assert_eq!(own.status, 201, "{:?}", own.body);
    }
    let refused = app.change(&booked.id, &booked.token, json!({ "start": "2027-03-29T13:00:00Z" })).await;
    assert_eq!(
        (refused.status, refused.body["type"].as_str()),
        (409, Some("/problems/slot-taken")),
        "{:?}",
        refused.body
    );
    let unchanged = app.meeting(&booked.id, &booked.token).await;
    assert_eq!(unchanged.body["agent_id"], third_host.as_str());
    assert_eq!(unchanged.body["start"], "2027-03-30T07:00:00Z");
}

/// S11 under a race: two guests move their meetings at once to a time their hosts are busy and
/// only one other member is free: one meeting goes to that member, the other is refused, and the
/// member never has two meetings at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_guests_moving_onto_the_one_free_member_at_once_give_that_member_one_meeting() {
    let app = Arc::new(TestApp::at(NOW).await);
    let d = desk(&app, 3).await;
    let token_of = |id: &str| d.members.iter().find(|(m, _)| m == id).unwrap().1.clone();
    let mut booked = Vec::new();
    for k in 0..2 {
        booked.push(app.booked(&d.slug, &Booking::at(MONDAY_0900, &unique_address(&format!("racer{k}")))).await);
    }
    let hosts: Vec<String> = booked.iter().map(|b| host_of(&b.body)).collect();
    assert_ne!(hosts[0], hosts[1]);
    let free = d.members.iter().map(|(id, _)| id.clone()).find(|id| !hosts.contains(id)).unwrap();
    for host in &hosts {
        let own = app.schedule(&token_of(host), &Booking::at("2027-03-29T09:00:00Z", &unique_address("own"))).await;
        assert_eq!(own.status, 201, "{:?}", own.body);
    }
    let moves = booked.iter().map(|b| {
        let (app, id, token) = (app.clone(), b.id.clone(), b.token.clone());
        tokio::spawn(async move { app.change(&id, &token, json!({ "start": "2027-03-29T09:00:00Z" })).await })
    });
    let mut statuses = Vec::new();
    for (moved, (b, host)) in futures::future::join_all(moves).await.into_iter().zip(booked.iter().zip(&hosts)) {
        let moved = moved.unwrap();
        if moved.status == 200 {
            assert_eq!(moved.body["agent_id"], free.as_str(), "{:?}", moved.body);
        } else {
            // The loser is as it was: its host, its time.
            let kept = app.meeting(&b.id, &b.token).await;
            assert_eq!(
                (kept.body["agent_id"].as_str(), kept.body["start"].as_str()),
                (Some(host.as_str()), Some(MONDAY_0900))
            );
        }
        statuses.push(moved.status);
    }
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let theirs = app.my_meetings(&token_of(&free), "from=2027-03-29&to=2027-03-29").await;
    assert_eq!(theirs.body["meetings"].as_array().unwrap().len(), 1, "{:?}", theirs.body);
    // The counts follow: the winner's old host gave theirs to the free member.
    let counts = app.deps.store.host_stats(&d.f.tenant_id, &d.service, "2027-03").await.unwrap();
    let total: u32 = counts.values().map(|c| c.meetings_this_month).sum();
    assert_eq!((total, counts.get(&free).map(|c| c.meetings_this_month)), (2, Some(1)), "{counts:?}");
}

/// The note's figures, not a test of speed (`cargo test --test api -- --ignored --nocapture
/// service_booking::month_lookup`): a month's slot lookup for services of 1, 5, 20 and 50
/// members, each with 200 meetings and a connected calendar, on DynamoDB Local: its requests
/// and its time (with `--release` for a release build's; both are in `docs/capacity.md`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run by hand"]
async fn month_lookup_for_services_of_1_5_20_and_50_members() {
    use futures::stream::{self, StreamExt};
    let app = Arc::new(TestApp::at(NOW).await);
    let feed = integration_tests::feed_server::FeedServer::start(include_str!(
        "../../../shared/feed-reader/tests/fixtures/google.ics"
    ));
    let d = desk(&app, 50).await;
    // 200 meetings each: ten a day on twenty working days from Monday 29 March.
    let days: Vec<chrono::NaiveDate> = (0..28)
        .map(|k| chrono::NaiveDate::from_ymd_opt(2027, 3, 29).unwrap() + chrono::Duration::days(k))
        .filter(|day| chrono::Datelike::weekday(day).number_from_monday() <= 5)
        .take(20)
        .collect();
    let mut jobs = Vec::new();
    for (_, token) in &d.members {
        for day in &days {
            for hour in [7, 8, 9, 10, 12, 13, 14, 15, 16, 11] {
                let start = format!("{day}T{hour:02}:00:00Z");
                jobs.push((token.clone(), start));
            }
        }
    }
    stream::iter(jobs)
        .for_each_concurrent(16, |(token, start)| {
            let app = app.clone();
            async move {
                let reply = app.schedule(&token, &Booking::at(&start, &unique_address("seed"))).await;
                assert!(matches!(reply.status, 201 | 409 | 422), "{:?}", reply.body);
            }
        })
        .await;
    for (_, token) in &d.members {
        assert_eq!(app.connect_calendars(token, &[&feed.url]).await.status, 200);
    }
    let metrics = app.deps.store.metrics();
    for size in [1usize, 5, 20, 50] {
        let service = app
            .call(
                "POST",
                "/v1/services",
                Some(&d.f.admin_key),
                Some(json!({ "name": format!("S{size}"), "pbx_id": d.f.pbx_id })),
            )
            .await;
        let id = service.body["id"].as_str().unwrap().to_string();
        for (member, _) in &d.members[..size] {
            let path = format!("/v1/services/{id}/members/{member}");
            app.call("PUT", &path, Some(&d.f.admin_key), Some(json!({ "kind": "static" }))).await;
        }
        let slug = format!("bench-{size}-{}", &shared::secrets::new_id()[..6]);
        let changes = json!({ "slug": slug, "bookable": true });
        app.call("PATCH", &format!("/v1/services/{id}"), Some(&d.f.admin_key), Some(changes)).await;
        let path = format!("/v1/book/{slug}/slots?from=2027-03-25&to=2027-04-23");
        app.call("GET", &path, None, None).await; // warm the calendars' copies
        let runs = 10;
        let before = metrics.snapshot();
        let started = std::time::Instant::now();
        for _ in 0..runs {
            assert_eq!(app.call("GET", &path, None, None).await.status, 200);
        }
        let took = started.elapsed() / runs;
        let spent = metrics.snapshot() - before;
        println!(
            "service of {size:>2} members: {:>4} requests, {:>6.1} capacity units, {:>7.1} ms per month lookup",
            spent.requests / u64::from(runs),
            spent.capacity_units / f64::from(runs),
            took.as_secs_f64() * 1000.0
        );
    }
}
