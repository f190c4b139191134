//! Confirming a hold (G2, G3): the guest sends the code (or follows the one-click link); the hold
//! becomes the meeting in one transaction (the meeting, its time taken over, the guest's cap
//! place, the conversation joined, the invitations to everyone, the usage count, a guest
//! session), only while the hold is open and unexpired, so two confirmations make one meeting.
//! Every try is counted before its code is compared; a fifth wrong one drops the hold and frees
//! its slot. A new code can be sent
//! (within the address's five an hour).

use thiserror::Error;

use super::book::{commit, guest_recipient, summary, BookError, Booked, Draft, DraftTime};
use super::deliver::deliver_now;
use super::guest::new_session;
use super::places::Claims;
use super::Deps;
use crate::domain::conversation::Author;
use crate::domain::identity::{Hold, HoldStatus, Verdict, MAX_CODE_ATTEMPTS};
use crate::domain::meeting::BookedBy;
use crate::domain::notification::{code_mail, CodeMail, Reason};
use crate::domain::slots::{check_booking, BusyTimes};
use crate::secrets::{self, TokenKind};
use crate::signing::{Sealer, SigningError};
use crate::store::{HoldReplay, StoreError};

/// What the guest presents.
pub enum Proof<'a> {
    /// The six digits from the email.
    Code(&'a str),
    /// The one-click link's token.
    Link(&'a str),
}

#[derive(Debug, Error)]
pub enum ConfirmError {
    #[error("no such hold")]
    NotFound,
    #[error("this booking is already confirmed")]
    AlreadyConfirmed,
    #[error("the hold has expired or was dropped; the time is free for anyone to book again")]
    Gone,
    #[error("that code is not right; {left} tries left")]
    WrongCode { left: u32 },
    #[error("that was the last try: the hold is dropped and the time is free again")]
    Dropped,
    #[error(transparent)]
    Booking(#[from] BookError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Signing(#[from] SigningError),
}

/// An open hold, read for a confirmation or a resend.
async fn open_hold(
    deps: &Deps,
    tenant_id: &str,
    id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Hold, String), ConfirmError> {
    let (hold, link_hash) = deps.store.hold(tenant_id, id).await?.ok_or(ConfirmError::NotFound)?;
    check_open(&hold, now)?;
    Ok((hold, link_hash))
}

fn check_open(hold: &Hold, now: chrono::DateTime<chrono::Utc>) -> Result<(), ConfirmError> {
    match hold.status {
        HoldStatus::Confirmed => Err(ConfirmError::AlreadyConfirmed),
        HoldStatus::Dropped => Err(ConfirmError::Gone),
        HoldStatus::Open if !hold.open_at(now) => Err(ConfirmError::Gone),
        HoldStatus::Open => Ok(()),
    }
}

impl Proof<'_> {
    /// Whether this proof opens the hold: its code, or its link's token.
    fn opens(&self, tenant_id: &str, hold: &Hold, link_hash: &str) -> bool {
        match self {
            Proof::Code(code) => secrets::code_matches(&hold.id, code, &hold.challenge.code_hash),
            Proof::Link(text) => secrets::parse(text).is_some_and(|token| {
                token.kind == TokenKind::HoldLink
                    && token.tenant_id == tenant_id
                    && token.subject_id == hold.id
                    && !link_hash.is_empty()
                    && secrets::matches(&token.secret, link_hash)
            }),
        }
    }

    /// Which proof it is, and what of it the answer is sealed under (see `signing::Sealer`).
    fn seal_context(&self) -> (&'static str, String) {
        match self {
            Proof::Code(code) => ("code", code.to_string()),
            Proof::Link(text) => ("link", secrets::parse(text).map(|t| t.secret).unwrap_or_default()),
        }
    }
}

/// The sealer of a confirmation's answer: the deployment's key, the hold, and the guest's proof.
fn sealer(key: &crate::signing::Key, tenant_id: &str, hold_id: &str, proof: &Proof) -> (Sealer, &'static str) {
    let (kind, secret) = proof.seal_context();
    (Sealer::new(key, &["confirmation", kind, tenant_id, hold_id, &secret]), kind)
}

pub async fn confirm(deps: &Deps, tenant_id: &str, id: &str, proof: Proof<'_>) -> Result<Booked, ConfirmError> {
    let now = deps.clock.now();
    let (hold, link_hash, replay) = deps.store.hold_with_replay(tenant_id, id).await?.ok_or(ConfirmError::NotFound)?;
    if hold.status == HoldStatus::Confirmed {
        return replayed(deps, tenant_id, &hold, &link_hash, replay, &proof, true).await;
    }
    check_open(&hold, now)?;
    let right = proof.opens(tenant_id, &hold, &link_hash);
    // The try is counted before its verdict counts: racing guesses get a try each, and the sixth
    // is refused however many arrive at once.
    let Some(taken) = deps.store.take_code_try(tenant_id, &hold).await? else {
        return out_of_tries(deps, tenant_id, id, &proof).await;
    };
    match hold.challenge.at_try(taken).judge(right, now) {
        Verdict::Expired => Err(ConfirmError::Gone),
        Verdict::Wrong { left } => Err(ConfirmError::WrongCode { left }),
        Verdict::Exhausted => {
            deps.store.drop_hold(tenant_id, &hold).await?;
            Err(ConfirmError::Dropped)
        }
        Verdict::Right => {
            // G10: the slot must still be bookable now, by the page's rules as they are now (the
            // agent may have changed them, or the page be gone) and the connected calendars;
            // other meetings are kept out by the hold's own locks.
            let Some(page) = super::services_booking::current_page(deps, &hold.page).await? else {
                deps.store.drop_hold(tenant_id, &hold).await?;
                return Err(ConfirmError::Gone);
            };
            let (external, _) = deps
                .calendars()
                .busy(&page.tenant_id, &page.agent_id, &page.calendars, page.availability.time_zone, now, false)
                .await?;
            let busy = BusyTimes::new(external);
            if let Err(refusal) = check_booking(&page.rules(), &busy, now, hold.request.start, hold.request.duration) {
                deps.store.drop_hold(tenant_id, &hold).await?;
                return Err(BookError::Refused(refusal).into());
            }
            let key = deps.notifier.signer.key().await?;
            let (sealer, proof_kind) = sealer(key, tenant_id, id, &proof);
            // The confirmed record counts this try too (it was taken above).
            let hold = Hold { challenge: hold.challenge.at_try(taken + 1), ..hold };
            let (session, token) = new_session(tenant_id, &hold.request.guest.email, now);
            let draft = Draft {
                id: hold.id.clone(),
                page: &hold.page,
                request: &hold.request,
                blocked: hold.blocked(),
                booked_by: BookedBy::Guest,
                verified: true,
                author: Author::Guest,
                time: DraftTime::Hold { hold: &hold, link_hash: &link_hash, seal: Some((&sealer, proof_kind)) },
                idempotency_key: None,
                session: Some((&session, token)),
                client: &hold.client,
            };
            match commit(deps, draft, now).await {
                Ok(booked) => Ok(booked),
                // A racing confirmation won: the same proof gets its answer (its try was counted).
                Err(BookError::HoldGone) => match deps.store.hold_with_replay(tenant_id, id).await? {
                    Some((hold, hash, replay)) if hold.status == HoldStatus::Confirmed => {
                        replayed(deps, tenant_id, &hold, &hash, replay, &proof, false).await
                    }
                    _ => Err(ConfirmError::Gone),
                },
                Err(err @ (BookError::GuestCapReached { .. } | BookError::LimitReached(_))) => {
                    // The guest reached a limit while the hold waited: it cannot become a meeting,
                    // so its time is given back now rather than at its expiry.
                    deps.store.drop_hold(tenant_id, &hold).await?;
                    Err(err.into())
                }
                Err(err) => Err(err.into()),
            }
        }
    }
}

/// A confirmation sent again (its answer was lost: a timeout, a 503 after the commit), or one
/// that lost a race to another with the same proof: the same proof gets the same meeting, manage
/// token and session. A confirmation sent again has its try counted like any other.
async fn replayed(
    deps: &Deps,
    tenant_id: &str,
    hold: &Hold,
    link_hash: &str,
    replay: Option<HoldReplay>,
    proof: &Proof<'_>,
    count_try: bool,
) -> Result<Booked, ConfirmError> {
    let Some(replay) = replay.filter(|r| r.proof == proof.seal_context().0) else {
        return Err(ConfirmError::AlreadyConfirmed);
    };
    let right = proof.opens(tenant_id, hold, link_hash);
    if count_try {
        let Some(taken) = deps.store.take_replay_try(tenant_id, hold).await? else {
            return Err(ConfirmError::AlreadyConfirmed);
        };
        if !right {
            return Err(match MAX_CODE_ATTEMPTS.saturating_sub(taken + 1) {
                0 => ConfirmError::AlreadyConfirmed,
                left => ConfirmError::WrongCode { left },
            });
        }
    } else if !right {
        return Err(ConfirmError::AlreadyConfirmed);
    }
    let (meeting, _) = deps
        .store
        .meeting(tenant_id, &hold.id)
        .await?
        .ok_or(StoreError::Corrupt("a confirmed hold names a missing meeting".into()))?;
    let key = deps.notifier.signer.key().await?;
    let (sealer, _) = sealer(key, tenant_id, &hold.id, proof);
    let manage_token =
        secrets::compose(TokenKind::Manage, tenant_id, &meeting.id, &sealer.open("manage", &replay.manage));
    let link_token = replay.link.as_ref().map(|sealed| {
        secrets::compose(TokenKind::ConversationLink, tenant_id, &meeting.conversation_id, &sealer.open("link", sealed))
    });
    let session_token = secrets::compose(
        TokenKind::GuestSession,
        tenant_id,
        &replay.session_id,
        &sealer.open("session", &replay.session),
    );
    let expires_at = chrono::DateTime::from_timestamp(replay.session_expires_at, 0).unwrap_or_default();
    Ok(Booked { meeting, manage_token, link_token, session: Some((session_token, expires_at)), replayed: true })
}

/// A hold that refused a try: confirmed meanwhile (by a racing confirmation: the same proof gets
/// its answer, the try counted as a replay's), ended, or its tries used up by others (then it is
/// dropped here too, in case the try that used the last one has not dropped it yet).
async fn out_of_tries(deps: &Deps, tenant_id: &str, id: &str, proof: &Proof<'_>) -> Result<Booked, ConfirmError> {
    match deps.store.hold_with_replay(tenant_id, id).await? {
        Some((hold, hash, replay)) if hold.status == HoldStatus::Confirmed => {
            replayed(deps, tenant_id, &hold, &hash, replay, proof, true).await
        }
        Some((hold, _, _)) if hold.status == HoldStatus::Open && hold.challenge.tries_left() == 0 => {
            deps.store.drop_hold(tenant_id, &hold).await?;
            Err(ConfirmError::Dropped)
        }
        _ => Err(ConfirmError::Gone),
    }
}

/// A new code for an open hold, by email (the old one stops working).
pub async fn resend(deps: &Deps, tenant_id: &str, id: &str, client: &str) -> Result<(), ConfirmError> {
    let now = deps.clock.now();
    let (hold, _) = open_hold(deps, tenant_id, id, now).await?;
    let code = secrets::new_code();
    let request = &hold.request;
    let expires_at = chrono::DateTime::from_timestamp(hold.challenge.expires_at, 0).unwrap_or(now);
    let mail =
        CodeMail { code: code.clone(), expires_at, confirm: None, sign_in: None, booking: Some(summary(request)) };
    let to = guest_recipient(request, &hold.page);
    let email =
        code_mail(secrets::new_id(), tenant_id, Reason::ConfirmBooking, to, hold.page.agent_contact(), mail, now);
    let mut claims = Claims::new(tenant_id);
    claims.add_codes(&request.guest.email, client, now);
    let code_hash = secrets::code_hash(id, &code);
    for _ in 0..4 {
        let places = claims.claims(id);
        match deps.store.renew_code(tenant_id, &hold, &code_hash, &places, std::slice::from_ref(&email), now).await? {
            Ok(()) => {
                deliver_now(deps, tenant_id, &email.notification.id).await;
                return Ok(());
            }
            Err(conflict) if conflict.hold_gone => return Err(ConfirmError::Gone),
            Err(conflict) => {
                if let Err(kind) = claims.repair(&deps.store, &conflict.places_taken, now).await? {
                    return Err(BookError::LimitReached(kind).into());
                }
            }
        }
    }
    Err(BookError::Contended.into())
}
