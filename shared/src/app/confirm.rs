//! Confirming a hold (G2, G3): the guest sends the code (or follows the one-click link); the hold
//! becomes the meeting in one transaction (the meeting, its time taken over, the guest's cap
//! place, the conversation joined, the invitations to everyone, the usage count, a guest
//! session), only while the hold is open and unexpired, so two confirmations make one meeting.
//! Every try is counted before its code is compared; a fifth wrong one drops the hold and frees
//! its slot. A new code can be sent
//! (within the address's five an hour).

use thiserror::Error;

use super::book::{commit, guest_recipient, summary, BookError, Booked, Draft};
use super::deliver::deliver_now;
use super::guest::new_session;
use super::places::Claims;
use super::Deps;
use crate::domain::conversation::Author;
use crate::domain::identity::{Hold, HoldStatus, Verdict};
use crate::domain::meeting::BookedBy;
use crate::domain::notification::{code_mail, CodeMail, Reason};
use crate::domain::places::PlaceKind;
use crate::secrets::{self, TokenKind};
use crate::store::{Scope, StoreError, TimeSource};

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
}

/// An open hold, read for a confirmation or a resend.
async fn open_hold(
    deps: &Deps,
    tenant_id: &str,
    id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Hold, String), ConfirmError> {
    let (hold, link_hash) = deps.store.hold(tenant_id, id).await?.ok_or(ConfirmError::NotFound)?;
    match hold.status {
        HoldStatus::Confirmed => return Err(ConfirmError::AlreadyConfirmed),
        HoldStatus::Dropped => return Err(ConfirmError::Gone),
        HoldStatus::Open if !hold.open_at(now) => return Err(ConfirmError::Gone),
        HoldStatus::Open => {}
    }
    Ok((hold, link_hash))
}

pub async fn confirm(deps: &Deps, tenant_id: &str, id: &str, proof: Proof<'_>) -> Result<Booked, ConfirmError> {
    let now = deps.clock.now();
    let (hold, link_hash) = open_hold(deps, tenant_id, id, now).await?;
    let right = match proof {
        Proof::Code(code) => secrets::code_matches(id, code, &hold.challenge.code_hash),
        Proof::Link(text) => secrets::parse(text).is_some_and(|token| {
            token.kind == TokenKind::HoldLink
                && token.tenant_id == tenant_id
                && token.subject_id == id
                && secrets::matches(&token.secret, &link_hash)
        }),
    };
    // The try is counted before its verdict counts: racing guesses get a try each, and the sixth
    // is refused however many arrive at once.
    let Some(taken) = deps.store.take_code_try(tenant_id, &hold).await? else {
        return Err(out_of_tries(deps, tenant_id, id).await?);
    };
    match hold.challenge.at_try(taken).judge(right, now) {
        Verdict::Expired => Err(ConfirmError::Gone),
        Verdict::Wrong { left } => Err(ConfirmError::WrongCode { left }),
        Verdict::Exhausted => {
            deps.store.drop_hold(tenant_id, &hold).await?;
            Err(ConfirmError::Dropped)
        }
        Verdict::Right => {
            let (session, token) = new_session(tenant_id, &hold.request.guest.email, now);
            let draft = Draft {
                id: hold.id.clone(),
                page: &hold.page,
                request: &hold.request,
                blocked: hold.blocked(),
                booked_by: BookedBy::Guest,
                verified: true,
                author: Author::Guest,
                time: TimeSource::Hold(&hold),
                idempotency_key: None,
                session: Some((&session, token)),
            };
            match commit(deps, draft, now).await {
                Ok(booked) => Ok(booked),
                Err(BookError::HoldGone) => Err(confirmed_meanwhile(deps, tenant_id, id).await?),
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

/// Why a hold refused a try: confirmed meanwhile, ended, or its tries used up by others (then it
/// is dropped here too, in case the try that used the last one has not dropped it yet).
async fn out_of_tries(deps: &Deps, tenant_id: &str, id: &str) -> Result<ConfirmError, StoreError> {
    Ok(match deps.store.hold(tenant_id, id).await? {
        Some((hold, _)) if hold.status == HoldStatus::Confirmed => ConfirmError::AlreadyConfirmed,
        Some((hold, _)) if hold.status == HoldStatus::Open && hold.challenge.tries_left() == 0 => {
            deps.store.drop_hold(tenant_id, &hold).await?;
            ConfirmError::Dropped
        }
        _ => ConfirmError::Gone,
    })
}

/// Why a confirmation found its hold gone: another confirmation won, or it ended.
async fn confirmed_meanwhile(deps: &Deps, tenant_id: &str, id: &str) -> Result<ConfirmError, StoreError> {
    let now = deps.store.hold(tenant_id, id).await?;
    Ok(match now {
        Some((hold, _)) if hold.status == HoldStatus::Confirmed => ConfirmError::AlreadyConfirmed,
        _ => ConfirmError::Gone,
    })
}

/// A new code for an open hold, by email (the old one stops working).
pub async fn resend(deps: &Deps, tenant_id: &str, id: &str) -> Result<(), ConfirmError> {
    let now = deps.clock.now();
    let (hold, _) = open_hold(deps, tenant_id, id, now).await?;
    let code = secrets::new_code();
    let request = &hold.request;
    let expires_at = chrono::DateTime::from_timestamp(hold.challenge.expires_at, 0).unwrap_or(now);
    let mail = CodeMail { code: code.clone(), expires_at, confirm: None, booking: Some(summary(request)) };
    let to = guest_recipient(request, &hold.page);
    let email =
        code_mail(secrets::new_id(), tenant_id, Reason::ConfirmBooking, to, hold.page.agent_contact(), mail, now);
    let mut claims = Claims::new(tenant_id);
    let scope = Scope::Guest { email: &request.guest.email };
    claims.add(PlaceKind::CodeSent, scope, PlaceKind::CodeSent.held_until(now).unwrap_or(now));
    let code_hash = secrets::code_hash(id, &code);
    for _ in 0..4 {
        let claim = claims.claims(id)[0];
        match deps.store.renew_code(tenant_id, &hold, &code_hash, &claim, std::slice::from_ref(&email), now).await? {
            Ok(()) => {
                deliver_now(deps, tenant_id, &email.notification.id).await;
                return Ok(());
            }
            Err(conflict) if conflict.hold_gone => return Err(ConfirmError::Gone),
            Err(conflict) => {
                if claims.repair(&deps.store, &conflict.places_taken, now).await?.is_err() {
                    return Err(BookError::LimitReached(PlaceKind::CodeSent).into());
                }
            }
        }
    }
    Err(BookError::Contended.into())
}
