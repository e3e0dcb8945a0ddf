from django.contrib.auth import views as auth_views
from django.urls import path

from herodesk.web.views import (
    account,
    attachments,
    directory,
    handoff,
    integrations,
    links,
    playbooks,
    queue,
    reports,
    schedule,
    signin,
    team_admin,
    team_settings,
    ticket,
    tokens,
)

urlpatterns = [
    path("login/", signin.SignInView.as_view(), name="login"),
    path("welcome/<str:token>/", signin.welcome, name="welcome"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", account.account_home, name="account"),
    path("account/two-factor/setup/", account.two_factor_setup, name="account_2fa_setup"),
    path("account/two-factor/verify/", account.two_factor_verify, name="account_2fa_verify"),
    path(
        "account/two-factor/recovery-codes/",
        account.recovery_codes,
        name="account_recovery_codes",
    ),
    path("account/two-factor/remove/", account.two_factor_remove, name="account_2fa_remove"),
    path(
        "account/sessions/<int:pk>/revoke/",
        account.session_revoke,
        name="account_session_revoke",
    ),
    path(
        "account/sessions/revoke-others/",
        account.sessions_revoke_others,
        name="account_sessions_revoke_others",
    ),
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
    path("tickets/<int:pk>/answered/", ticket.ticket_answered, name="ticket_answered"),
    path("tickets/<int:pk>/merge/", ticket.ticket_merge_view, name="ticket_merge"),
    path("tickets/<int:pk>/handoff/", handoff.handoff, name="ticket_handoff"),
    path("tickets/<int:pk>/links/<slug:key>/", links.open_link, name="ticket_link"),
    path("tickets/<int:pk>/playbooks/", playbooks.start, name="playbook_start"),
    path(
        "tickets/<int:pk>/customer-links/<slug:kind>/",
        playbooks.customer_link,
        name="customer_link",
    ),
    path("playbook-runs/<int:run_id>/cancel/", playbooks.cancel, name="playbook_cancel"),
    path("playbook-runs/<int:run_id>/review/", playbooks.review, name="playbook_review"),
    path("playbook-runs/<int:run_id>/steps/<slug:key>/", playbooks.step, name="playbook_step"),
    path(
        "playbook-runs/<int:run_id>/steps/<slug:key>/link/",
        playbooks.step_link,
        name="playbook_step_link",
    ),
    path("attachments/<int:pk>/", attachments.download, name="attachment"),
    path("reports/", reports.reports_page, name="reports"),
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
    path("people/", directory.people_page, name="people"),
    path("people/invite/", directory.person_invite, name="person_invite"),
    path("people/<str:username>/", directory.person_page, name="person"),
    path(
        "people/<str:username>/invite/", directory.person_invite_again, name="person_invite_again"
    ),
    path(
        "people/<str:username>/deactivate/", directory.person_deactivate, name="person_deactivate"
    ),
    path(
        "people/<str:username>/reactivate/", directory.person_reactivate, name="person_reactivate"
    ),
    path("account/tokens/", tokens.tokens_page, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", tokens.token_revoke_view, name="token_revoke"),
    path("teams/new/", team_admin.team_new, name="team_new"),
    path("teams/<slug:slug>/members/", team_admin.members_page, name="team_members"),
    path("teams/<slug:slug>/members/set/", team_admin.member_set, name="team_member_set"),
    path(
        "teams/<slug:slug>/members/<str:username>/remove/",
        team_admin.member_remove,
        name="team_member_remove",
    ),
    path("teams/<slug:slug>/archive/", team_admin.team_archive, name="team_archive"),
    path(
        "teams/<slug:slug>/integrations/", integrations.integrations_page, name="team_integrations"
    ),
    path(
        "teams/<slug:slug>/integrations/repositories/",
        integrations.repository_add,
        name="team_repository_add",
    ),
    path(
        "teams/<slug:slug>/integrations/repositories/remove/",
        integrations.repository_remove,
        name="team_repository_remove",
    ),
    path("teams/<slug:slug>/integrations/test/", integrations.test_event, name="team_test_event"),
    path(
        "teams/<slug:slug>/integrations/sources/", integrations.source_add, name="team_source_add"
    ),
]
