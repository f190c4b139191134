//! One module per Lambda function of the route table; each route row names its handler.

pub(crate) mod admin;
pub(crate) mod admin_keys;
pub(crate) mod agent_meetings;
pub(crate) mod agents;

pub(crate) mod assignment;
pub(crate) mod audit;
pub(crate) mod availability;
pub(crate) mod booking;
pub(crate) mod console;
pub(crate) mod conversations;
pub(crate) mod guest;
pub(crate) mod health;
pub(crate) mod holds;
pub(crate) mod inbox;
pub(crate) mod meetings;
pub(crate) mod messages;
pub(crate) mod pages;
pub(crate) mod privacy;
pub(crate) mod profile;
pub(crate) mod services;
pub(crate) mod slots;
pub(crate) mod suppressions;
pub(crate) mod unsubscribe;
pub(crate) mod webhooks;
