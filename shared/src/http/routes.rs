//! The route table: the one list of what the API serves, which Lambda function serves it and
//! which handler answers. The local server mounts all of it; each function serves its own rows;
//! a test holds `template.yaml` and `openapi.yaml` to it. Adding a route is one row here plus
//! its contract (`openapi.yaml`) and its event in `template.yaml`.

use std::future::Future;
use std::pin::Pin;

use super::handlers as h;
use super::problem::Problem;
use super::request::Ctx;
use super::Response;
use crate::app::Deps;
use crate::function::Function;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Health,
    CreateTenant,
    CreatePbx,
    ListPbxs,
    CreateAgent,
    ListAgents,
    UpdateAgent,
    ReissueAgentToken,
    EndAgentSessions,
    ConsoleSignIn,
    ConsoleConfirmSignIn,
    ConsoleMe,
    ConsoleSignOut,
    ConsolePageHtml,
    OpenApi,
    PatchAvailability,
    ListAssignees,
    UpdateService,
    CreateWebhook,
    ListWebhooks,
    UpdateWebhook,
    DeleteWebhook,
    RotateWebhookSecret,
    ListWebhookDeliveries,
    RetryWebhookDelivery,
    PingWebhook,
    DeactivateAgent,
    ReactivateAgent,
    CreateAdminKey,
    ListAdminKeys,
    RevokeAdminKey,
    ListAudit,
    DeletePbx,
    GetTenant,
    UpdateTenant,
    ExportGuest,
    EraseGuest,
    RevokeGuestSessions,
    ChangeBookingLink,
    RemoveBookingLink,
    DeleteService,
    GetAvailability,
    PutAvailability,
    GetBookingPage,
    ListSlots,
    BookMeeting,
    ConfirmHold,
    ResendHoldCode,
    StartSignIn,
    ConfirmSignIn,
    ListGuestMeetings,
    SignOut,
    ConfirmPageHtml,
    GetMeeting,
    ChangeMeeting,
    CancelMeeting,
    ReissueManageToken,
    Unsubscribe,
    UnsubscribePageHtml,
    SignInPageHtml,
    ListSuppressions,
    LiftSuppression,
    ScheduleMeeting,
    ListMyMeetings,
    AgentCalendarFeed,
    IssueCalendarFeedToken,
    RevokeCalendarFeedToken,
    GetConversation,
    RenameConversation,
    ListMessages,
    PostMessage,
    MarkRead,
    MuteConversation,
    ListInbox,
    ConversationPageHtml,
    CreateService,
    ListServices,
    SetServiceMember,
    RemoveServiceMember,
    AssignConversation,
    GetUsage,
    PutCalendars,
    GetCalendars,
    CreateBookingLink,
    ListBookingLinks,
    BookingPageHtml,
    ManagePageHtml,
    PageAsset,
}

/// A handler: parse, authorise, call one use case, render. Boxed, so the router's own future
/// stays small whatever the handlers hold across their awaits.
pub type Handler = for<'a> fn(&'a Deps, &'a Ctx) -> HandlerFuture<'a>;
pub type HandlerFuture<'a> = Pin<Box<dyn Future<Output = Result<Response, Problem>> + Send + 'a>>;

pub struct Route {
    pub method: &'static str,
    /// Path template; `{name}` matches one non-empty segment.
    pub path: &'static str,
    /// The Lambda function that serves it.
    pub function: Function,
    /// The route's name, for logs and tests.
    pub operation: Operation,
    pub handler: Handler,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} ({:?})", self.method, self.path, self.operation)
    }
}

/// `handler!(module::function)`: an async handler as a route's [`Handler`].
macro_rules! handler {
    ($f:path) => {{
        fn boxed<'a>(deps: &'a Deps, ctx: &'a Ctx) -> HandlerFuture<'a> {
            Box::pin($f(deps, ctx))
        }
        boxed as Handler
    }};
}

const fn route(
    method: &'static str,
    path: &'static str,
    function: Function,
    operation: Operation,
    handler: Handler,
) -> Route {
    Route { method, path, function, operation, handler }
}

use Operation::*;

pub const ROUTES: &[Route] = &[
    route("GET", "/v1/health", Function::Health, Health, handler!(h::health::get)),
    route("POST", "/v1/tenants", Function::Admin, CreateTenant, handler!(h::admin::create_tenant)),
    route("POST", "/v1/pbxs", Function::Admin, CreatePbx, handler!(h::admin::create_pbx)),
    route("GET", "/v1/pbxs", Function::Admin, ListPbxs, handler!(h::admin::list_pbxs)),
    route("DELETE", "/v1/pbxs/{id}", Function::Admin, DeletePbx, handler!(h::admin::delete_pbx)),
    route("GET", "/v1/tenant", Function::Admin, GetTenant, handler!(h::admin::get_tenant)),
    route("PATCH", "/v1/tenant", Function::Admin, UpdateTenant, handler!(h::admin::update_tenant)),
    route("POST", "/v1/agents", Function::Admin, CreateAgent, handler!(h::agents::create)),
    route("GET", "/v1/agents", Function::Admin, ListAgents, handler!(h::agents::list)),
    route("GET", "/v1/usage", Function::Admin, GetUsage, handler!(h::admin::usage)),
    route("PATCH", "/v1/agents/{id}", Function::Admin, UpdateAgent, handler!(h::agents::update)),
    route("POST", "/v1/agents/{id}/token", Function::Admin, ReissueAgentToken, handler!(h::agents::reissue_token)),
    route("DELETE", "/v1/agents/{id}/sessions", Function::Admin, EndAgentSessions, handler!(h::console::end_sessions)),
    route("POST", "/v1/agents/{id}/deactivate", Function::Admin, DeactivateAgent, handler!(h::agents::deactivate)),
    route("POST", "/v1/agents/{id}/reactivate", Function::Admin, ReactivateAgent, handler!(h::agents::reactivate)),
    route("POST", "/v1/admin-keys", Function::Admin, CreateAdminKey, handler!(h::admin_keys::create)),
    route("GET", "/v1/admin-keys", Function::Admin, ListAdminKeys, handler!(h::admin_keys::list)),
    route("DELETE", "/v1/admin-keys/{id}", Function::Admin, RevokeAdminKey, handler!(h::admin_keys::revoke)),
    route("GET", "/v1/audit", Function::Admin, ListAudit, handler!(h::audit::list)),
    route("POST", "/v1/webhooks", Function::Admin, CreateWebhook, handler!(h::webhooks::create)),
    route("GET", "/v1/webhooks", Function::Admin, ListWebhooks, handler!(h::webhooks::list)),
    route("PATCH", "/v1/webhooks/{id}", Function::Admin, UpdateWebhook, handler!(h::webhooks::update)),
    route("DELETE", "/v1/webhooks/{id}", Function::Admin, DeleteWebhook, handler!(h::webhooks::remove)),
    route(
        "POST",
        "/v1/webhooks/{id}/rotate-secret",
        Function::Admin,
        RotateWebhookSecret,
        handler!(h::webhooks::rotate),
    ),
    route(
        "GET",
        "/v1/webhooks/{id}/deliveries",
        Function::Admin,
        ListWebhookDeliveries,
        handler!(h::webhooks::deliveries),
    ),
    route(
        "POST",
        "/v1/webhooks/{id}/deliveries/{delivery}/retry",
        Function::Admin,
        RetryWebhookDelivery,
        handler!(h::webhooks::retry),
    ),
    route("POST", "/v1/webhooks/{id}/ping", Function::Admin, PingWebhook, handler!(h::webhooks::ping)),
    route("GET", "/v1/guests/{email}/export", Function::Admin, ExportGuest, handler!(h::privacy::export)),
    route("POST", "/v1/guests/{email}/erase", Function::Admin, EraseGuest, handler!(h::privacy::erase)),
    route(
        "DELETE",
        "/v1/guests/{email}/sessions",
        Function::Admin,
        RevokeGuestSessions,
        handler!(h::privacy::revoke_sessions),
    ),
    route("PATCH", "/v1/services/{id}", Function::Admin, UpdateService, handler!(h::services::update)),
    route("DELETE", "/v1/services/{id}", Function::Admin, DeleteService, handler!(h::services::remove)),
    route("GET", "/v1/me/availability", Function::Availability, GetAvailability, handler!(h::availability::get)),
    route("PUT", "/v1/me/availability", Function::Availability, PutAvailability, handler!(h::availability::put)),
    route("PATCH", "/v1/me/availability", Function::Availability, PatchAvailability, handler!(h::availability::patch)),
    route("PUT", "/v1/me/calendars", Function::Availability, PutCalendars, handler!(h::availability::put_calendars)),
    route("GET", "/v1/me/calendars", Function::Availability, GetCalendars, handler!(h::availability::get_calendars)),
    route(
        "POST",
        "/v1/me/booking-links",
        Function::Availability,
        CreateBookingLink,
        handler!(h::availability::create_link),
    ),
    route(
        "PATCH",
        "/v1/me/booking-links/{slug}",
        Function::Availability,
        ChangeBookingLink,
        handler!(h::availability::change_link),
    ),
    route(
        "DELETE",
        "/v1/me/booking-links/{slug}",
        Function::Availability,
        RemoveBookingLink,
        handler!(h::availability::remove_link),
    ),
    route(
        "GET",
        "/v1/me/booking-links",
        Function::Availability,
        ListBookingLinks,
        handler!(h::availability::list_links),
    ),
    route("GET", "/v1/book/{slug}", Function::Profile, GetBookingPage, handler!(h::profile::get)),
    route("GET", "/v1/book/{slug}/slots", Function::Slots, ListSlots, handler!(h::slots::list)),
    route("POST", "/v1/book/{slug}/meetings", Function::Booking, BookMeeting, handler!(h::booking::book)),
    route("POST", "/v1/holds/{id}/confirm", Function::Booking, ConfirmHold, handler!(h::holds::confirm)),
    route("POST", "/v1/holds/{id}/resend", Function::Booking, ResendHoldCode, handler!(h::holds::resend)),
    route("POST", "/v1/guest/sign-in", Function::Guest, StartSignIn, handler!(h::guest::start)),
    route("POST", "/v1/guest/sign-in/confirm", Function::Guest, ConfirmSignIn, handler!(h::guest::confirm)),
    route("GET", "/v1/guest/meetings", Function::Guest, ListGuestMeetings, handler!(h::guest::list)),
    route("DELETE", "/v1/guest/session", Function::Guest, SignOut, handler!(h::guest::sign_out)),
    route("POST", "/v1/console/sign-in", Function::Guest, ConsoleSignIn, handler!(h::console::start)),
    route("POST", "/v1/console/sign-in/confirm", Function::Guest, ConsoleConfirmSignIn, handler!(h::console::confirm)),
    route("GET", "/v1/console/me", Function::Guest, ConsoleMe, handler!(h::console::me)),
    route("DELETE", "/v1/console/session", Function::Guest, ConsoleSignOut, handler!(h::console::sign_out)),
    route("GET", "/v1/meetings/{id}", Function::Meetings, GetMeeting, handler!(h::meetings::get)),
    route("PATCH", "/v1/meetings/{id}", Function::Meetings, ChangeMeeting, handler!(h::meetings::change)),
    route("DELETE", "/v1/meetings/{id}", Function::Meetings, CancelMeeting, handler!(h::meetings::cancel_meeting)),
    route(
        "POST",
        "/v1/meetings/{id}/manage-token",
        Function::Meetings,
        ReissueManageToken,
        handler!(h::meetings::reissue_manage_token),
    ),
    route("POST", "/v1/unsubscribe/{token}", Function::Conversations, Unsubscribe, handler!(h::unsubscribe::post)),
    route("GET", "/v1/unsubscribe/{token}", Function::Pages, UnsubscribePageHtml, handler!(h::pages::unsubscribe)),
    route("GET", "/v1/suppressions", Function::Admin, ListSuppressions, handler!(h::suppressions::list)),
    route("DELETE", "/v1/suppressions/{email}", Function::Admin, LiftSuppression, handler!(h::suppressions::lift)),
    route("POST", "/v1/me/meetings", Function::AgentMeetings, ScheduleMeeting, handler!(h::agent_meetings::schedule)),
    route("GET", "/v1/me/meetings", Function::AgentMeetings, ListMyMeetings, handler!(h::agent_meetings::list)),
    route("GET", "/v1/me/calendar.ics", Function::AgentMeetings, AgentCalendarFeed, handler!(h::agent_meetings::feed)),
    route(
        "POST",
        "/v1/me/calendar-feed",
        Function::AgentMeetings,
        IssueCalendarFeedToken,
        handler!(h::agent_meetings::issue_feed_token),
    ),
    route(
        "DELETE",
        "/v1/me/calendar-feed",
        Function::AgentMeetings,
        RevokeCalendarFeedToken,
        handler!(h::agent_meetings::revoke_feed_token),
    ),
    route("GET", "/v1/conversations/{id}", Function::Conversations, GetConversation, handler!(h::conversations::get)),
    route(
        "PATCH",
        "/v1/conversations/{id}",
        Function::Conversations,
        RenameConversation,
        handler!(h::conversations::rename),
    ),
    route("GET", "/v1/conversations/{id}/messages", Function::Conversations, ListMessages, handler!(h::messages::list)),
    route("POST", "/v1/conversations/{id}/messages", Function::Conversations, PostMessage, handler!(h::messages::post)),
    route("PUT", "/v1/conversations/{id}/read", Function::Conversations, MarkRead, handler!(h::messages::read)),
    route("PUT", "/v1/conversations/{id}/mute", Function::Conversations, MuteConversation, handler!(h::messages::mute)),
    route("GET", "/v1/me/conversations", Function::Conversations, ListInbox, handler!(h::inbox::list)),
    route("POST", "/v1/services", Function::Admin, CreateService, handler!(h::services::create)),
    route("GET", "/v1/services", Function::Admin, ListServices, handler!(h::services::list)),
    route(
        "PUT",
        "/v1/services/{id}/members/{agent_id}",
        Function::Admin,
        SetServiceMember,
        handler!(h::services::set_member),
    ),
    route(
        "DELETE",
        "/v1/services/{id}/members/{agent_id}",
        Function::Admin,
        RemoveServiceMember,
        handler!(h::services::remove_member),
    ),
    route(
        "GET",
        "/v1/conversations/{id}/assignees",
        Function::Assignment,
        ListAssignees,
        handler!(h::assignment::options),
    ),
    route(
        "PUT",
        "/v1/conversations/{id}/assignee",
        Function::Assignment,
        AssignConversation,
        handler!(h::assignment::assign),
    ),
    route("GET", "/b/{slug}", Function::Pages, BookingPageHtml, handler!(h::pages::booking)),
    route("GET", "/b/manage/{id}", Function::Pages, ManagePageHtml, handler!(h::pages::manage)),
    route("GET", "/b/confirm/{id}", Function::Pages, ConfirmPageHtml, handler!(h::pages::confirm)),
    route("GET", "/b/sign-in/{id}", Function::Pages, SignInPageHtml, handler!(h::pages::sign_in)),
    route("GET", "/b/assets/{name}", Function::Pages, PageAsset, handler!(h::pages::asset)),
    route("GET", "/c/{id}", Function::Pages, ConversationPageHtml, handler!(h::pages::conversation)),
    route("GET", "/console", Function::Pages, ConsolePageHtml, handler!(h::pages::console)),
    route("GET", "/openapi.yaml", Function::Pages, OpenApi, handler!(h::pages::openapi)),
];

/// What a method and path resolve to.
pub enum Resolved {
    Found(&'static Route, Vec<(&'static str, String)>),
    /// The path exists with other methods.
    MethodNotAllowed(Vec<&'static str>),
    NotFound,
}

pub fn resolve(method: &str, path: &str) -> Resolved {
    let mut allowed = Vec::new();
    for route in ROUTES {
        if let Some(params) = match_path(route.path, path) {
            if route.method.eq_ignore_ascii_case(method) {
                return Resolved::Found(route, params);
            }
            allowed.push(route.method);
        }
    }
    if allowed.is_empty() {
        Resolved::NotFound
    } else {
        Resolved::MethodNotAllowed(allowed)
    }
}

fn match_path(template: &'static str, path: &str) -> Option<Vec<(&'static str, String)>> {
    let path = path.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(path);
    let mut want = template.split('/');
    let mut got = path.split('/');
    let mut params = Vec::new();
    loop {
        match (want.next(), got.next()) {
            (None, None) => return Some(params),
            (Some(w), Some(g)) if w.starts_with('{') && w.ends_with('}') && !g.is_empty() => {
                params.push((&w[1..w.len() - 1], g.to_string()));
            }
            (Some(w), Some(g)) if w == g => {}
            _ => return None,
        }
    }
}

/// Every function named in the table, once, in table order.
pub fn functions() -> Vec<Function> {
    let mut names: Vec<Function> = Vec::new();
    for route in ROUTES {
        if !names.contains(&route.function) {
            names.push(route.function);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_with_their_parameters() {
        match resolve("GET", "/v1/book/ada-l/slots") {
            Resolved::Found(route, params) => {
                assert_eq!(route.operation, ListSlots);
                assert_eq!(params, vec![("slug", "ada-l".to_string())]);
            }
            _ => panic!("slots route"),
        }
        assert!(matches!(resolve("DELETE", "/v1/pbxs"), Resolved::MethodNotAllowed(m) if m == vec!["POST", "GET"]));
        assert!(matches!(resolve("GET", "/v1/book//slots"), Resolved::NotFound));
        assert!(matches!(resolve("GET", "/v1/nothing"), Resolved::NotFound));
        assert!(matches!(resolve("GET", "/v1/health/"), Resolved::Found(..)));
    }

    #[test]
    fn every_function_serves_something() {
        let served: Vec<Function> =
            Function::ALL.into_iter().filter(|f| f.trigger() == crate::function::Trigger::Requests).collect();
        let mut routed = functions();
        routed.sort();
        assert_eq!(routed, served);
    }
}
