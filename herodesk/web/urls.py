from django.contrib.auth import views as auth_views
from django.urls import path

from herodesk.web.views import (
    attachments,
    handoff,
    links,
    queue,
    schedule,
    team_settings,
    ticket,
)

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", queue.home, name="home"),
    path("queue/", queue.queue_page, name="queue"),
    path("queue/<slug:team>/", queue.queue_page, name="team_queue"),
    path("queue/<slug:team>/bulk/", queue.queue_bulk, name="queue_bulk"),
    path("search/", queue.search_page, name="search"),
    path("tickets/<int:pk>/", ticket.ticket_view, name="ticket"),
    path("tickets/<int:pk>/reply/", ticket.ticket_reply, name="ticket_reply"),
    path("tickets/<int:pk>/checks/", ticket.ticket_checks, name="ticket_checks"),
    path("tickets/<int:pk>/status/", ticket.ticket_status, name="ticket_status"),
    path("tickets/<int:pk>/assign/", ticket.ticket_assign, name="ticket_assign"),
    path("tickets/<int:pk>/tier/", ticket.ticket_tier, name="ticket_tier"),
    path("tickets/<int:pk>/merge/", ticket.ticket_merge_view, name="ticket_merge"),
    path("tickets/<int:pk>/handoff/", handoff.handoff, name="ticket_handoff"),
    path("tickets/<int:pk>/links/<slug:key>/", links.open_link, name="ticket_link"),
    path("attachments/<int:pk>/", attachments.download, name="attachment"),
    path("schedule/", schedule.schedule_home, name="schedule"),
    path("schedule/swaps/new/", schedule.swap_new, name="swap_new"),
    path("schedule/swaps/<int:pk>/<str:verb>/", schedule.swap_decide, name="swap_decide"),
    path("schedule/time-off/", schedule.time_off_add, name="time_off_add"),
    path("schedule/time-off/<int:pk>/delete/", schedule.time_off_remove, name="time_off_remove"),
    path("schedule/<slug:slug>/", schedule.team_schedule, name="team_schedule"),
    path("teams/settings/", team_settings.settings_home, name="settings_home"),
    path("teams/<slug:slug>/settings/", team_settings.settings_page, name="team_settings"),
    path("teams/<slug:slug>/settings/hours/", team_settings.save_hours, name="team_hours"),
    path("teams/<slug:slug>/settings/rotation/", team_settings.save_rotation, name="team_rotation"),
    path("teams/<slug:slug>/settings/macros/", team_settings.save_macro, name="team_macro"),
    path(
        "teams/<slug:slug>/settings/macros/<int:pk>/delete/",
        team_settings.delete_macro,
        name="team_macro_delete",
    ),
    path("teams/<slug:slug>/settings/routing/", team_settings.save_rule, name="team_rule"),
    path(
        "teams/<slug:slug>/settings/routing/<int:pk>/delete/",
        team_settings.delete_rule,
        name="team_rule_delete",
    ),
]
