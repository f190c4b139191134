//! What one slot lookup and one booking cost in DynamoDB: requests (round trips) and consumed
//! capacity as DynamoDB reports it (`ReturnConsumedCapacity::Total`). The design target is at
//! most two round trips each up to the commit; the immediate delivery of the booking's
//! notification that follows is counted apart. Run with `--nocapture` to see the figures.

use integration_tests::TestApp;

const NOW: &str = "2027-03-24T08:00:00Z";

#[tokio::test]
async fn a_slot_lookup_and_a_booking_take_two_round_trips_each() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    // A realistic calendar: a dozen meetings over the coming fortnight.
    for (day, hour) in
        [(25, 8), (25, 10), (26, 8), (26, 13), (29, 7), (29, 9), (30, 8), (31, 13), (1, 8), (2, 10), (5, 7), (6, 9)]
    {
        let month = if day >= 24 { "03" } else { "04" };
        let start = format!("2027-{month}-{day:02}T{hour:02}:00:00Z");
        assert_eq!(app.book(&f.slug, &start, &format!("g{day}{hour}@example.com")).await.status, 201, "{start}");
    }
    let metrics = app.deps.store.metrics();

    let before = metrics.snapshot();
    let week = app.slot_starts(&f.slug, "from=2027-03-29&to=2027-04-04").await;
    let lookup = metrics.snapshot() - before;
    assert!(!week.is_empty());

    let before = metrics.snapshot();
    assert_eq!(app.book(&f.slug, "2027-04-02T07:00:00Z", "new@example.com").await.status, 201);
    let booking = metrics.snapshot() - before;

    let before = metrics.snapshot();
    let month = app.slot_starts(&f.slug, "from=2027-03-24&to=2027-04-24").await;
    let month_lookup = metrics.snapshot() - before;
    assert!(!month.is_empty());

    // A guest's second booking finds their conversation and their cap place taken: the page, one
    // refused optimistic transaction, the places and the pair read together, the conversation,
    // and the transaction again (six requests, five round trips).
    let before = metrics.snapshot();
    assert_eq!(app.book(&f.slug, "2027-04-05T08:00:00Z", "new@example.com").await.status, 201);
    let returning = metrics.snapshot() - before;

    let meeting = app.book(&f.slug, "2027-04-07T07:00:00Z", "mover@example.com").await;
    let (id, token) = (meeting.body["meeting"]["id"].as_str().unwrap(), meeting.body["manage_token"].as_str().unwrap());
    let before = metrics.snapshot();
    let moved = app
        .call(
            "PATCH",
            &format!("/v1/meetings/{id}"),
            Some(token),
            Some(serde_json::json!({ "start": "2027-04-07T09:00:00Z" })),
        )
        .await;
    assert_eq!(moved.status, 200);
    let reschedule = metrics.snapshot() - before;

    println!(
        "returning guest booking: {} requests; reschedule by the guest: {} requests ({} items in its transaction)",
        returning.own_requests(),
        reschedule.own_requests(),
        reschedule.transaction_items
    );
    println!(
        "immediate delivery after commit: booking {}, returning booking {}, reschedule {} conditional updates \
         (claim, one per recipient, the event, completion)",
        booking.delivery_updates, returning.delivery_updates, reschedule.delivery_updates
    );
    println!("slot lookup, one week:  {} requests, {:.1} capacity units", lookup.requests, lookup.capacity_units);
    println!(
        "slot lookup, one month: {} requests, {:.1} capacity units",
        month_lookup.requests, month_lookup.capacity_units
    );
    println!(
        "booking (30 min):       {} requests, {:.1} capacity units as DynamoDB Local reports them; \
         {} items in the transaction = {} WCU on DynamoDB (2 per item) + 1 RCU for the page",
        booking.own_requests(),
        booking.capacity_units,
        booking.transaction_items,
        2 * booking.transaction_items
    );
    assert!(lookup.requests <= 2, "slot lookup took {} requests", lookup.requests);
    assert!(month_lookup.requests <= 2, "month lookup took {} requests", month_lookup.requests);
    // The booking page, the tenant's bound (one conditional write; the tenant's setting is read
    // once a minute per instance), the transaction.
    assert!(booking.own_requests() <= 3, "booking took {} requests to commit", booking.own_requests());
    assert!(returning.own_requests() <= 6, "a returning guest's booking took {} requests", returning.own_requests());
    assert!(reschedule.own_requests() <= 3, "a reschedule took {} requests", reschedule.own_requests());
}

/// What a hold (a booking that waits for the guest's code) and its confirmation cost: the hold
/// writes the slot's span and locks, the address's and the page's places, the hold and its code
/// email in one transaction; the confirmation writes the meeting in one more.
#[tokio::test]
async fn a_hold_and_its_confirmation_take_a_transaction_each() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let metrics = app.deps.store.metrics();
    let guest = integration_tests::unique_address("costly");

    let before = metrics.snapshot();
    let held = app.book(&f.slug, "2027-04-02T07:00:00Z", &guest).await;
    let hold = metrics.snapshot() - before;
    assert_eq!(held.status, 202, "{:?}", held.body);

    let code = integration_tests::moto::latest_code(&guest).expect("the code was mailed");
    let before = metrics.snapshot();
    let hold_id = held.body["hold"]["id"].as_str().unwrap();
    let confirmed = app.confirm_hold(hold_id, serde_json::json!({ "code": code })).await;
    let confirmation = metrics.snapshot() - before;
    assert_eq!(confirmed.status, 201, "{:?}", confirmed.body);

    println!(
        "hold:         {} requests, {} items in its transaction; code email: {} conditional updates",
        hold.own_requests(),
        hold.transaction_items,
        hold.delivery_updates
    );
    println!(
        "confirmation: {} requests, {} items in its transaction; invitations: {} conditional updates",
        confirmation.own_requests(),
        confirmation.transaction_items,
        confirmation.delivery_updates
    );
    assert!(hold.own_requests() <= 4, "a hold took {} requests", hold.own_requests());
    assert!(confirmation.own_requests() <= 5, "a confirmation took {} requests", confirmation.own_requests());
}

/// What writing a message and reading an inbox cost (C4, C6): the caller's token and the
/// conversation are read together, then the activity, then one transaction (the first message of
/// a quiet conversation also reads the agent, for its digest); the inbox reads the services, one
/// index page per partition it merges (the agent's own two and one per colleague), and the
/// conversations in one batch.
#[tokio::test]
async fn a_message_and_an_inbox_page_take_a_few_requests() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let metrics = app.deps.store.metrics();
    let mut conversations = Vec::new();
    for (k, start) in ["2027-03-29T07:00:00Z", "2027-03-30T07:00:00Z", "2027-03-31T07:00:00Z"].iter().enumerate() {
        let reply = app.book(&f.slug, start, &format!("talker{k}@example.com")).await;
        conversations.push(reply.body["conversation"]["id"].as_str().unwrap().to_string());
    }
    let c = &conversations[0];
    // The token's first use this hour records its last use (T4), one write an hour, and the first
    // page reads the tenant's services, which later pages of this instance take as read: not
    // counted.
    app.inbox(&f.agent_token, "").await;
    app.clock.advance(chrono::Duration::hours(1));
    let first_use = metrics.snapshot();
    app.inbox(&f.agent_token, "").await;
    let touched = metrics.snapshot() - first_use;
    let again = metrics.snapshot();
    app.inbox(&f.agent_token, "").await;
    assert_eq!((metrics.snapshot() - again).requests + 1, touched.requests, "the last use is written once an hour");

    // A message asks whether any webhook hears it (the tenant's endpoints, read once per warm
    // instance for 30 s): read once here, as a running instance has.
    app.said(&conversations[1], &f.agent_token, "Warming up").await;
    let before = metrics.snapshot();
    app.said(c, &f.agent_token, "The first message plans a digest").await;
    let first = metrics.snapshot() - before;
    let before = metrics.snapshot();
    app.said(c, &f.agent_token, "A later one").await;
    let later = metrics.snapshot() - before;

    let before = metrics.snapshot();
    let inbox = app.inbox(&f.agent_token, "").await;
    let page = metrics.snapshot() - before;
    assert_eq!(inbox.body["conversations"].as_array().unwrap().len(), 3);

    println!(
        "message: {} requests ({} items in its transaction); the first of a batch {} ({} items)",
        later.requests, later.transaction_items, first.requests, first.transaction_items
    );
    println!("inbox page (no colleagues): {} requests, {:.1} capacity units", page.requests, page.capacity_units);
    assert!(later.requests <= 4, "a message took {} requests", later.requests);
    assert!(first.requests <= 5, "the first message took {} requests", first.requests);
    assert!(page.requests <= 5, "an inbox page took {} requests", page.requests);
}
