"""The demo community: questions on several pages, some answered, one resolved,
each becoming a routed desk item once the worker runs."""

from __future__ import annotations

from io import StringIO

import pytest

from herodesk.community.models import Question
from herodesk.demo import community as demo
from herodesk.demo import data as demo_data
from herodesk.notify.tests.conftest import run_jobs
from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_demo_questions_land_on_the_desk_routed_by_page() -> None:
    demo_data._desk(StringIO())  # teams, people (ana among them) and routing: desk.toml
    demo.load(StringIO())
    pages = set(Question.objects.values_list("page", flat=True))
    assert len(pages) == 4
    assert Question.objects.filter(answer_count__gt=0).count() == 3
    resolved = Question.objects.get(state="resolved")
    assert resolved.accepted_answer is not None and resolved.accepted_answer.by_team
    run_jobs()
    items = Ticket.objects.filter(channel="community")
    assert items.count() == 4
    assert items.get(external_ref=f"question:{resolved.pk}").status == "solved"
    flags = Question.objects.get(page="/docs/feature-flags")
    assert items.get(external_ref=f"question:{flags.pk}").team.slug == "feature-success"
    out = StringIO()
    demo.load(out)
    assert "nothing to add" in out.getvalue() and Question.objects.count() == 4
