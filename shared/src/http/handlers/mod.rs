//! One module per function of the route table; `dispatch` is the only place operations meet code.

mod admin;
mod agent_meetings;
mod announce;
mod assignment;
mod availability;
mod booking;
mod conversations;
mod health;
mod meetings;
mod pages;
mod profile;
mod services;
mod slots;

use super::deps::Deps;
use super::problem::Problem;
use super::request::Ctx;
use super::routes::Operation;
use super::Response;

pub async fn dispatch(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    match ctx.route.operation {
        Operation::Health => health::get(deps).await,
        Operation::CreateTenant => admin::create_tenant(deps, ctx).await,
        Operation::CreatePbx => admin::create_pbx(deps, ctx).await,
        Operation::ListPbxs => admin::list_pbxs(deps, ctx).await,
        Operation::CreateAgent => admin::create_agent(deps, ctx).await,
        Operation::ListAgents => admin::list_agents(deps, ctx).await,
        Operation::UpdateAgent => admin::update_agent(deps, ctx).await,
        Operation::GetAvailability => availability::get(deps, ctx).await,
        Operation::PutAvailability => availability::put(deps, ctx).await,
        Operation::PutCalendars => availability::put_calendars(deps, ctx).await,
        Operation::GetCalendars => availability::get_calendars(deps, ctx).await,
        Operation::CreateBookingLink => availability::create_link(deps, ctx).await,
        Operation::ListBookingLinks => availability::list_links(deps, ctx).await,
        Operation::GetBookingPage => profile::get(deps, ctx).await,
        Operation::ListSlots => slots::list(deps, ctx).await,
        Operation::BookMeeting => booking::book(deps, ctx).await,
        Operation::GetMeeting => meetings::get(deps, ctx).await,
        Operation::ChangeMeeting => meetings::change(deps, ctx).await,
        Operation::CancelMeeting => meetings::cancel_meeting(deps, ctx).await,
        Operation::ScheduleMeeting => agent_meetings::schedule(deps, ctx).await,
        Operation::ListMyMeetings => agent_meetings::list(deps, ctx).await,
        Operation::AgentCalendarFeed => agent_meetings::feed(deps, ctx).await,
        Operation::GetConversation => conversations::get(deps, ctx).await,
        Operation::RenameConversation => conversations::rename(deps, ctx).await,
        Operation::CreateService => services::create(deps, ctx).await,
        Operation::ListServices => services::list(deps, ctx).await,
        Operation::SetServiceMember => services::set_member(deps, ctx).await,
        Operation::RemoveServiceMember => services::remove_member(deps, ctx).await,
        Operation::AssignConversation => assignment::assign(deps, ctx).await,
        Operation::GetUsage => admin::usage(deps, ctx).await,
        Operation::BookingPageHtml => pages::booking(ctx),
        Operation::ManagePageHtml => pages::manage(ctx),
        Operation::PageAsset => pages::asset(ctx),
    }
}
