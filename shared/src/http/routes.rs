//! The route table: the one list of what the API serves and which Lambda function serves it.
//! The local server mounts all of it; each function binary serves its own rows; a test holds
//! `template.yaml` to it.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Health,
    CreateTenant,
    CreatePbx,
    ListPbxs,
    CreateAgent,
    ListAgents,
    UpdateAgent,
    GetAvailability,
    PutAvailability,
    GetBookingPage,
    ListSlots,
    BookMeeting,
    GetMeeting,
    ChangeMeeting,
    CancelMeeting,
    ScheduleMeeting,
    ListMyMeetings,
    AgentCalendarFeed,
    GetConversation,
    RenameConversation,
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

#[derive(Debug)]
pub struct Route {
    pub method: &'static str,
    /// Path template; `{name}` matches one non-empty segment.
    pub path: &'static str,
    /// The Lambda function (package, binary and SAM `Binary` name) that serves it.
    pub function: &'static str,
    pub operation: Operation,
}

const fn route(method: &'static str, path: &'static str, function: &'static str, operation: Operation) -> Route {
    Route { method, path, function, operation }
}

use Operation::*;

pub const ROUTES: &[Route] = &[
    route("GET", "/v1/health", "health", Health),
    route("POST", "/v1/tenants", "admin", CreateTenant),
    route("POST", "/v1/pbxs", "admin", CreatePbx),
    route("GET", "/v1/pbxs", "admin", ListPbxs),
    route("POST", "/v1/agents", "admin", CreateAgent),
    route("GET", "/v1/agents", "admin", ListAgents),
    route("GET", "/v1/usage", "admin", GetUsage),
    route("PATCH", "/v1/agents/{id}", "admin", UpdateAgent),
    route("GET", "/v1/me/availability", "availability", GetAvailability),
    route("PUT", "/v1/me/availability", "availability", PutAvailability),
    route("PUT", "/v1/me/calendars", "availability", PutCalendars),
    route("GET", "/v1/me/calendars", "availability", GetCalendars),
    route("POST", "/v1/me/booking-links", "availability", CreateBookingLink),
    route("GET", "/v1/me/booking-links", "availability", ListBookingLinks),
    route("GET", "/v1/book/{slug}", "profile", GetBookingPage),
    route("GET", "/v1/book/{slug}/slots", "slots", ListSlots),
    route("POST", "/v1/book/{slug}/meetings", "booking", BookMeeting),
    route("GET", "/v1/meetings/{id}", "meetings", GetMeeting),
    route("PATCH", "/v1/meetings/{id}", "meetings", ChangeMeeting),
    route("DELETE", "/v1/meetings/{id}", "meetings", CancelMeeting),
    route("POST", "/v1/me/meetings", "agent-meetings", ScheduleMeeting),
    route("GET", "/v1/me/meetings", "agent-meetings", ListMyMeetings),
    route("GET", "/v1/me/calendar.ics", "agent-meetings", AgentCalendarFeed),
    route("GET", "/v1/conversations/{id}", "conversations", GetConversation),
    route("PATCH", "/v1/conversations/{id}", "conversations", RenameConversation),
    route("POST", "/v1/services", "admin", CreateService),
    route("GET", "/v1/services", "admin", ListServices),
    route("PUT", "/v1/services/{id}/members/{agent_id}", "admin", SetServiceMember),
    route("DELETE", "/v1/services/{id}/members/{agent_id}", "admin", RemoveServiceMember),
    route("PUT", "/v1/conversations/{id}/assignee", "assignment", AssignConversation),
    route("GET", "/b/{slug}", "pages", BookingPageHtml),
    route("GET", "/b/manage/{id}", "pages", ManagePageHtml),
    route("GET", "/b/assets/{name}", "pages", PageAsset),
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
pub fn functions() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
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
        assert_eq!(
            functions(),
            vec![
                "health",
                "admin",
                "availability",
                "profile",
                "slots",
                "booking",
                "meetings",
                "agent-meetings",
                "conversations",
                "assignment",
                "pages"
            ]
        );
    }
}
