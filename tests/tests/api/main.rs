//! The integration tests, one binary: every module drives the real handlers against the
//! DynamoDB Local (and moto) that `infra/test.sh` started, each test on a table of its own.
//! One binary links the crate once, and `cargo test --test api <module>::` runs one area.

mod abuse;
mod admin;
mod assignment;
mod availability;
mod booking;
mod booking_links;
mod bounces;
mod calendars;
mod console;
mod contract;
mod conversations;
mod cost;
mod credentials;
mod directory;
mod docs;
mod drain;
mod guests;
mod inbox;
mod isolation;
mod lambda_entry;
mod languages;
mod lifecycle;
mod limits;
mod metering;
mod notifications;
mod offboarding;
mod privacy;
mod service_booking;
mod stalls;
mod talk;
mod webhooks;
