//! Use cases: the one place each whole flow can be read. A handler parses and authorises, then
//! calls one of these; each loads what it needs, decides with `domain`, persists with `store`
//! (which enforces conditions but decides no rule) and plans its notifications from the final
//! state.
//!
//! - [`slots`]: the free slots of a page (A1–A7);
//! - [`book`]: a guest books through a page, an agent schedules for someone (B1–B6, A5, A6, C1);
//! - [`confirm`]: a hold becomes the meeting when the guest's code comes back (G2, G3);
//! - [`guest`]: guest sessions, sign-in by code, the guest's own list (G3);
//! - [`change`]: reschedule, change the duration or subject, cancel (E1–E3);
//! - [`assign`]: assign a conversation to an agent of a service (S2–S8);
//! - [`credentials`]: admin keys and agents' tokens, issued and revoked (T4);
//! - [`audit`]: the trail of admin actions (T8);
//! - [`offboard`]: an agent deactivated, their conversations requeued, meetings handed over (T5);
//! - [`services`]: a service removed, its conversations back to their agents (T6);
//! - [`privacy`]: a guest's export and erasure, and the tenant's retention (T7);
//! - [`rename`]: give a conversation a title everyone sees (C2);
//! - [`talk`]: read a timeline, write in it, mark it read, mute it (C4, C5);
//! - [`inbox`]: an agent's conversations, newest activity first (C6);
//! - [`digest`]: the email that tells members what they missed (C5);
//! - [`deliver`]: the outbox, sent once: emails, events, reminders (R1, R2, C3);
//! - [`mail_events`]: bounces and complaints: the address suppressed, the conversation told;
//! - [`unsubscribe`]: one-click unsubscribe from a conversation's mail (G7);
//! - [`manage`]: a meeting's manage link replaced (G11).

pub mod assign;
pub mod audit;
pub mod book;
pub mod change;
pub mod confirm;
pub mod console;
pub mod credentials;
pub mod deliver;
mod deps;
pub mod digest;
pub mod guest;
pub mod inbox;
pub mod language;
pub mod mail_events;
pub mod manage;
pub mod offboard;
mod places;
pub mod privacy;
pub mod rename;
mod retry;
pub mod services;
pub mod services_booking;
pub mod slots;
pub mod talk;
pub mod unsubscribe;
pub mod webhooks;

pub use deliver::{Delivery, Notifier};
pub use deps::{Config, Deps};
