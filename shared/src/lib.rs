//! The meeting scheduler's library: everything that can be tested without Lambda.
//!
//! - [`domain`]: pure rules (zones, availability, slots, meetings); the clock is an argument.
//! - [`store`]: the one DynamoDB table: item layout, queries, transactions.
//! - [`http`]: request parsing, auth, problem+json and the route table every function serves.

pub mod alarms;
pub mod app;
pub mod aws;
pub mod clock;
pub mod domain;
pub mod events;
pub mod feeds;
pub mod function;
pub mod http;
pub mod i18n;
pub mod mail;
pub mod secrets;
pub mod settings;
pub mod signing;
pub mod store;
