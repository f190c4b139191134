//! Pure rules: time and zones, availability, slots, meetings. No AWS, no I/O, no clock reads.

pub mod assignment;
pub mod availability;
pub mod conversation;
pub mod directory;
pub mod hosts;
pub mod identity;
pub mod meeting;
pub mod meeting_change;
pub mod notification;
pub mod places;
pub mod service_page;
pub mod service_slots;
pub mod slots;
pub mod time;
pub mod timeline;
pub mod validation;
pub mod webhooks;
