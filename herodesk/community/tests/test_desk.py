"""The desk keeps count: a question on the site becomes a T4 item routed by page,
announced in Slack (a local stand-in), graded when staff answer on the page,
reopened by the asker, solved when resolved, closed when hidden."""

from __future__ import annotations

from typing import Any

import pytest

from herodesk.community import actions
from herodesk.community.authors import Author
from herodesk.community.tests.conftest import ask
from herodesk.intake import actions as intake_actions
from herodesk.intake.models import Delivery as IntakeDelivery
from herodesk.notify.tests.conftest import (  # noqa: F401 (fixtures)
    ok_post,
    run_jobs,
    slack_api,
    slack_posts,
    smtp,
)
from herodesk.tickets.models import MessageKind, Ticket

pytestmark = pytest.mark.django_db

ALWAYS = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@pytest.fixture
def routed(team: Any, other_team: Any, admin: Any) -> Any:
    """Pipeline takes /docs/data-pipelines/*; Monitoring takes the alerts topic."""
    team.hours, team.slack_channel = ALWAYS, "#pipeline-support"
    team.save()
    intake_actions.routing_rule_save(
        team=team, actor=admin, name="Pipelines docs", page="/docs/data-pipelines/*"
    )
    intake_actions.routing_rule_save(team=other_team, actor=admin, topic="alerts")
    return team


def desk_item(question: Any) -> Ticket:
    return Ticket.objects.get(channel="community", external_ref=f"question:{question.pk}")


def test_a_question_becomes_a_routed_t4_item_announced_in_slack(
    routed: Any,
    member: Any,
    topic: Any,
    slack_api: Any,  # noqa: F811
) -> None:
    ok_post(slack_api)
    q = ask(member, page="/docs/data-pipelines/s3", title="S3 export stuck")
    run_jobs()
    item = desk_item(q)
    assert (item.tier, item.team, item.status) == (4, routed, "new")
    assert item.external_url == f"http://127.0.0.1:8000/community/q/{q.pk}/"
    assert item.metadata["community"]["page"] == "/docs/data-pipelines/s3"
    assert item.requester.email == member.email
    assert item.sla_kind == "first_response"
    channels = sorted(p["channel"] for p in slack_posts(slack_api))
    # The community channel, the topic's channel, and the routed team's usual notice.
    assert channels == ["#community-questions", "#pipeline-support", "#team-pipeline"]
    community = next(p for p in slack_posts(slack_api) if p["channel"] == "#community-questions")
    assert (
        f"/community/q/{q.pk}/" in community["text"] and f"/tickets/{item.pk}/" in community["text"]
    )
    # Routed by topic too: Monitoring takes the alerts topic.
    from herodesk.community.models import Topic

    Topic.objects.create(slug="alerts", name="Alerts")
    q2 = ask(member, page="/docs/alerts/email", topic="alerts")
    run_jobs()
    assert desk_item(q2).team.slug == "monitoring"


def test_an_unrouted_page_lands_unrouted_and_a_held_question_not_at_all(
    routed: Any, member: Any, newcomer: Any
) -> None:
    q = ask(member, page="/docs/feature-flags")
    held = ask(newcomer, page="/docs/feature-flags", body="see https://spam.example")
    run_jobs()
    assert desk_item(q).team is None
    assert not Ticket.objects.filter(external_ref=f"question:{held.pk}").exists()
    assert not IntakeDelivery.objects.filter(key=f"question:{held.pk}").exists()


def test_staff_answer_on_the_site_grades_the_first_response_and_emails_the_asker(
    routed: Any,
    member: Any,
    hero: Any,
    smtp: Any,  # noqa: F811
) -> None:
    q = ask(member, page="/docs/data-pipelines/s3")
    run_jobs()
    actions.answer_post(q, Author(user=hero), body="Hi Mia, re-run the export.")
    run_jobs()
    item = desk_item(q)
    assert item.first_response_at is not None and item.first_response_grade == "great"
    assert item.sla_kind == "" and item.status == "open"
    reply = item.messages.get(kind=MessageKind.PUBLIC)
    assert reply.author == hero and reply.metadata["mirrored_from"] == "community"
    # The desk sends no email of its own for it; the site's notice reached the asker.
    from herodesk.notify.models import Delivery

    assert not Delivery.objects.filter(ticket=item, kind="reply").exists()
    [mail] = smtp.inbox.messages
    assert mail["To"] == member.email and "Hera (Team) answered" in mail.get_content()


def test_the_askers_answer_reopens_the_clock_and_resolving_solves(
    routed: Any, member: Any, hero: Any, newcomer: Any
) -> None:
    q = ask(member, page="/docs/data-pipelines/s3")
    actions.answer_post(q, Author(user=hero), body="Try again?")
    actions.answer_post(q, Author(account=newcomer), body="Worked for me.")
    actions.answer_post(q, Author(account=member), body="Still broken.")
    run_jobs()
    item = desk_item(q)
    kinds = list(item.messages.values_list("kind", flat=True))
    assert kinds == ["requester", "public", "note", "requester"]
    assert item.sla_kind == "next_reply" and item.is_active
    actions.question_resolve(q, Author(account=member))
    run_jobs()
    item.refresh_from_db()
    assert item.status == "solved"


def test_accepting_an_answer_solves_and_hiding_closes(
    routed: Any, member: Any, hero: Any, community_mod: Any
) -> None:
    q = ask(member)
    answer = actions.answer_post(q, Author(user=hero), body="Use rollout.")
    other = ask(member, title="Spam-ish")
    run_jobs()
    actions.question_resolve(q, Author(account=member), answer)
    actions.question_set_state(other, Author(account=community_mod), "hidden")
    run_jobs()
    assert desk_item(q).status == "solved"
    assert desk_item(other).status == "closed"


def test_staff_api_ticket_json_links_to_the_question(
    routed: Any, member: Any, hero: Any, api_as: Any
) -> None:
    q = ask(member, page="/docs/data-pipelines/s3")
    run_jobs()
    data = api_as(hero).get(f"tickets/{desk_item(q).pk}").json()
    assert data["channel"] == "community" and data["tier"] == 4
    assert data["external_url"] == f"http://127.0.0.1:8000/community/q/{q.pk}/"
    assert data["metadata"]["community"]["url"] == data["external_url"]


def test_the_desk_item_has_no_public_composer_and_the_staff_api_refuses_a_reply(
    routed: Any, member: Any, hero: Any, api_as: Any
) -> None:
    """A real question's item: "Answer on the page" opens the question; a reply from
    the desk or the staff API is refused (409) naming where to answer; nothing is sent."""
    from django.test import Client

    q = ask(member, page="/docs/data-pipelines/s3")
    run_jobs()
    item = desk_item(q)
    url = f"http://127.0.0.1:8000/community/q/{q.pk}/"
    desk = Client()
    desk.force_login(hero)
    page = desk.get(f"/tickets/{item.pk}/").text
    assert f'href="{url}"' in page and "Answer on the page" in page
    assert 'id="kind-public"' not in page  # no public composer
    r = api_as(hero).post(f"tickets/{item.pk}/replies", {"body": "Hi Mia!"})
    assert r.status_code == 409, r.content
    detail = r.json()["detail"]
    assert "answered on the page where they were asked" in detail and url in detail
    assert not item.messages.filter(kind=MessageKind.PUBLIC).exists()
    assert api_as(hero).get(f"tickets/{item.pk}").json()["source"]["url"] == url
    # Notes are still fine.
    assert api_as(hero).post(f"tickets/{item.pk}/notes", {"body": "Pinged Tim"}).status_code == 201


def test_editing_the_question_renames_the_desk_item_audited(
    routed: Any, member: Any, community_mod: Any, capi: Any, site: Any
) -> None:
    from herodesk.audit.models import Event

    q = ask(member, page="/docs/data-pipelines/s3", title="S3 export stuck")
    run_jobs()
    item = desk_item(q)
    # A moderator edits the title through the API: the subject follows, audited.
    r = capi(community_mod).patch(f"/community/api/questions/{q.pk}", {"title": "S3 exports stall"})
    assert r.status_code == 200, r.content
    run_jobs()
    item.refresh_from_db()
    assert item.subject == "S3 exports stall"
    assert item.metadata["community"]["title"] == "S3 exports stall"
    event = Event.objects.get(action="ticket.subject", object_id=str(item.pk))
    assert event.before == {"subject": "S3 export stuck"}
    assert event.after == {"subject": "S3 exports stall"}
    assert not item.messages.filter(kind=MessageKind.NOTE).exists()  # the body did not change
    # The asker edits title and body on the page (the form sends CRLF line ends).
    r = site(member).post(
        f"/community/q/{q.pk}/edit/",
        {"title": "S3 exports stall at 99%", "body": "It stops at 99%.\r\n\r\nSince Monday.",
         "topic": ""},
    )  # fmt: skip
    assert r.status_code == 302, r.content
    run_jobs()
    item.refresh_from_db()
    assert item.subject == "S3 exports stall at 99%"
    note = item.messages.get(kind=MessageKind.NOTE)
    assert "edited the question on the site" in note.body
    assert note.body.endswith("It stops at 99%.\n\nSince Monday.")
    assert Event.objects.filter(action="ticket.subject", object_id=str(item.pk)).count() == 2
    # Only the topic changes: nothing reaches the desk.
    before = IntakeDelivery.objects.count()
    r = capi(community_mod).patch(f"/community/api/questions/{q.pk}", {"topic": ""})
    assert r.status_code == 200 and IntakeDelivery.objects.count() == before
    # A held question's edit has no desk item to follow and opens none.
    held = ask(member, page="/docs/data-pipelines/s3")
    held.held_reason, held.is_public = "links", False
    held.save()
    actions.question_edit(held, Author(account=community_mod), title="Now held")
    run_jobs()
    assert not Ticket.objects.filter(
        external_ref=f"question:{held.pk}", subject="Now held"
    ).exists()
