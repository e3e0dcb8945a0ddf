"""The "Similar solved tickets" panel on the ticket page: what it shows, when
it offers "Use as draft", and its empty states."""

from __future__ import annotations

from typing import Any

import pytest

from herodesk.tickets import actions
from herodesk.tickets.models import Status

pytestmark = pytest.mark.django_db

ANSWER = "Hey Ana, the S3 export role needs s3:PutObject on the bucket <again>; retry after."


@pytest.fixture
def past(hero: Any, ticket_factory: Any) -> Any:
    t = ticket_factory(
        subject="S3 batch export failed with AccessDenied",
        body="Our S3 export fails with AccessDenied since the bucket keys rotated.",
    )
    actions.ticket_reply(t, author=hero, body=ANSWER, status=Status.SOLVED)
    return t


def test_the_panel_lists_the_solved_ticket_with_its_answer_and_offers_a_draft(
    login: Any, hero: Any, past: Any, ticket_factory: Any
) -> None:
    new = ticket_factory(subject="S3 export AccessDenied", body="AccessDenied from the S3 bucket.")
    html = login(hero).get(f"/tickets/{new.pk}/").content.decode()
    panel = html[html.index('id="similar"') : html.index('id="customer"')]
    assert f'href="/tickets/{past.pk}/"' in panel and "S3 batch export failed" in panel
    # the answer, escaped, whole (for the draft) and as an excerpt
    assert "bucket &lt;again&gt;; retry after." in panel and "<again>" not in panel
    assert f'data-use-answer="{past.pk}"' in panel and "nothing is sent" in panel
    # nothing about the draft reaches the composer on the server: the click does it
    start = html.index('id="composer"')
    assert "s3:PutObject" not in html[start : html.index("</section>", start)]


def test_no_draft_button_where_the_hero_cannot_reply_publicly(
    login: Any, hero: Any, other_hero: Any, past: Any, ticket_factory: Any, team: Any
) -> None:
    new = ticket_factory(subject="S3 export AccessDenied", body="AccessDenied from the S3 bucket.")
    other = login(other_hero).get(f"/tickets/{new.pk}/").content.decode()  # read only
    assert "S3 batch export failed" in other and "data-use-answer" not in other
    community = ticket_factory(
        subject="S3 export AccessDenied?", body="AccessDenied from S3.", channel="community"
    )
    html = login(hero).get(f"/tickets/{community.pk}/").content.decode()
    assert "S3 batch export failed" in html and "data-use-answer" not in html
    assert "No public reply from the desk on this ticket" in html


def test_empty_states_say_what_to_do(login: Any, hero: Any, past: Any, ticket_factory: Any) -> None:
    client = login(hero)
    nothing = ticket_factory(subject="Hi", body="Hello, thanks!")
    assert "Nothing to match" in client.get(f"/tickets/{nothing.pk}/").content.decode()
    unmatched = ticket_factory(subject="Zyzzyvant", body="zyzzyvant")
    html = client.get(f"/tickets/{unmatched.pk}/").content.decode()
    assert "No solved ticket with a public answer matches “zyzzyvant”" in html
    assert 'href="/search/?q=zyzzyvant"' in html
