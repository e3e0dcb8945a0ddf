"""Similar solved tickets (tickets/similar.py) on the full-text index: what
matches, what is left out, which answer comes with each, and how many
queries it takes whatever the number of tickets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from herodesk.tickets import actions, queries, similar
from herodesk.tickets.models import Status, Ticket

pytestmark = pytest.mark.django_db


def make(
    team,
    requester,
    subject,
    body,
    *,
    answer=None,
    status=Status.SOLVED,
    hero=None,
    at=None,
    tier=None,
):
    at = at or timezone.now() - timedelta(days=3)
    ticket = actions.ticket_create(
        subject=subject,
        body=body,
        actor="test",
        channel="email",
        team=team,
        requester=requester,
        created_at=at,
        tier=tier,
    )
    if answer is not None:
        actions.ticket_reply(ticket, author=hero, body=answer, at=at + timedelta(minutes=10))
    if status != Status.NEW:
        actions.ticket_set_status(ticket, status, actor=hero, at=at + timedelta(minutes=20))
    # as the page and the API load it: with its requester and organization
    return queries.with_related(Ticket.objects.filter(pk=ticket.pk)).get()


@pytest.fixture
def past(team, hero, paying_requester):
    """Three solved tickets with answers, one without, one still open."""

    def solved(subject, body, answer, **kw):
        return make(team, paying_requester, subject, body, answer=answer, hero=hero, **kw)

    return {
        "s3": solved(
            "S3 batch export failed with AccessDenied",
            "Our S3 export fails with AccessDenied since we rotated the bucket keys.",
            "The export role needs s3:PutObject on the bucket; update the policy and retry.",
        ),
        "bigquery": solved(
            "BigQuery export stuck on running",
            "The BigQuery export has been running since yesterday.",
            "BigQuery quota was exceeded; we raised it and restarted the export.",
        ),
        "flags": solved(
            "Feature flag not evaluated on first load",
            "The flag is false on the first page load, then true.",
            "Bootstrap the flags on init so the first load has them.",
        ),
        "silent": solved(
            "S3 bucket AccessDenied for the export",
            "AccessDenied again from the S3 export bucket.",
            None,
            tier=5,  # low priority: may be solved without a public reply
        ),
        "open": make(
            team,
            paying_requester,
            "S3 export AccessDenied on the new bucket",
            "AccessDenied from S3 for the export bucket.",
            answer="Looking into it.",
            hero=hero,
            status=Status.OPEN,
        ),
    }


def test_the_best_match_comes_first_with_the_reply_that_solved_it(
    team, hero, paying_requester, past
):
    new = make(
        team,
        paying_requester,
        "Export to S3 denied",
        "Hi, the S3 export says AccessDenied after we changed the bucket.",
        status=Status.NEW,
    )
    found = similar.similar_to(new)
    assert [s.ticket.pk for s in found.suggestions][:1] == [past["s3"].pk]
    first = found.suggestions[0]
    assert first.answer.body.startswith("The export role needs s3:PutObject")
    assert first.answer.author == hero
    ids = {s.ticket.pk for s in found.suggestions}
    # Solved without a public reply: nothing to reuse. Open: not solved.
    assert past["silent"].pk not in ids and past["open"].pk not in ids
    assert "accessdenied" in found.terms and "bucket" in found.terms
    assert len(found.suggestions) <= similar.RESULTS


def test_the_answer_is_the_last_public_reply_before_the_solve(team, hero, paying_requester, past):
    s3 = past["s3"]
    solved_at = s3.solved_at
    actions.ticket_reply(
        s3, author=hero, body="First try: check the keys.", at=solved_at - timedelta(minutes=15)
    )
    actions.ticket_note(s3, author=hero, body="internal: it was the key rotation", at=solved_at)
    actions.ticket_reply(s3, author=hero, body="Glad it works now!")  # after the solve
    s3.refresh_from_db()
    assert s3.status == Status.SOLVED and s3.solved_at == solved_at
    new = make(
        team,
        paying_requester,
        "S3 AccessDenied",
        "S3 export bucket AccessDenied",
        status=Status.NEW,
    )
    top = next(s for s in similar.similar_to(new).suggestions if s.ticket.pk == s3.pk)
    # Not the earlier reply, not the note at the solve, not the thanks after it.
    assert top.answer.body.startswith("The export role needs s3:PutObject")


def test_itself_and_its_merges_are_left_out(team, hero, paying_requester, past):
    twin = make(
        team,
        paying_requester,
        "S3 export AccessDenied",
        "S3 export bucket AccessDenied",
        answer="Fixed the bucket policy.",
        hero=hero,
        status=Status.OPEN,
    )
    dup = make(
        team,
        paying_requester,
        "S3 export AccessDenied (again)",
        "S3 bucket AccessDenied",
        status=Status.NEW,
    )
    actions.ticket_merge(dup, twin, actor=hero)
    actions.ticket_set_status(twin, Status.SOLVED, actor=hero)
    twin.refresh_from_db()
    dup.refresh_from_db()
    ids = {s.ticket.pk for s in similar.similar_to(twin).suggestions}
    assert twin.pk not in ids and dup.pk not in ids and past["s3"].pk in ids
    # From the duplicate: not the ticket it was merged into.
    ids = {
        s.ticket.pk
        for s in similar.similar_to(dup, first_message_body="S3 bucket AccessDenied").suggestions
    }
    assert twin.pk not in ids and dup.pk not in ids


def test_common_words_and_names_are_left_out(team, hero, paying_requester, past, monkeypatch):
    monkeypatch.setattr(similar, "RARE_CAP", 1)  # no word is rare: count on to DF_CAP
    monkeypatch.setattr(similar, "DF_CAP", 2)
    new = make(
        team,
        paying_requester,
        "Export failed",
        "The export failed again for Ana at Acme.",
        status=Status.NEW,
    )
    with CaptureQueriesContext(connection) as ctx:
        found = similar.similar_to(new)
    assert "export" in found.common  # in 4+ tickets: over the cap of 2
    assert found.terms == ("failed",)
    assert "ana" not in found.common and "acme" not in found.common  # who asks, not what about
    assert len(ctx.captured_queries) == 5  # first message, two counts, ranking, answers


def test_with_enough_rare_words_the_commoner_ones_are_not_counted_further(
    team, hero, paying_requester, past, monkeypatch
):
    monkeypatch.setattr(similar, "RARE_CAP", 1)
    monkeypatch.setattr(similar, "ENOUGH_RARE", 1)
    new = make(
        team, paying_requester, "Export failed: zyzzyvant", "export export", status=Status.NEW
    )
    with CaptureQueriesContext(connection) as ctx:
        found = similar.similar_to(new, first_message_body="export export")
    assert found.terms == ("zyzzyvant",)  # only this ticket has it
    assert set(found.common) == {"export", "failed"}
    assert len(ctx.captured_queries) == 2  # one count; nothing else matches


def test_nothing_to_match_says_so(team, paying_requester, past):
    new = make(team, paying_requester, "Hi", "Hello, thanks!", status=Status.NEW)
    found = similar.similar_to(new)
    assert found.terms == () and found.suggestions == [] and found.common == ()
    new = make(team, paying_requester, "Zyzzyvant", "zyzzyvant", status=Status.NEW)
    found = similar.similar_to(new)
    assert found.terms == ("zyzzyvant",) and found.suggestions == []  # no other ticket has it


def test_query_count_does_not_grow_with_tickets(team, hero, paying_requester, past):
    new = make(
        team,
        paying_requester,
        "S3 export AccessDenied",
        "S3 bucket AccessDenied",
        status=Status.NEW,
    )
    with CaptureQueriesContext(connection) as few:
        similar.similar_to(new, first_message_body="S3 bucket AccessDenied")
    for i in range(6):
        make(
            team,
            paying_requester,
            f"S3 export AccessDenied {i}",
            "S3 bucket AccessDenied",
            answer=f"Answer {i}",
            hero=hero,
        )
    with CaptureQueriesContext(connection) as many:
        found = similar.similar_to(new, first_message_body="S3 bucket AccessDenied")
    assert len(found.suggestions) == similar.RESULTS
    # document counts, ranking, answers
    assert len(few.captured_queries) == len(many.captured_queries) == 3


def test_the_index_first_ranks_its_best_alone_and_falls_back_when_they_do_not_pass(
    team, hero, paying_requester, past, monkeypatch
):
    # Open tickets match best; with room for two documents only, the first
    # step sees just those, which are not solved: the second step finds the rest.
    for i in range(3):
        make(
            team, paying_requester, f"S3 export AccessDenied bucket {i}",
            "S3 export AccessDenied bucket S3 export AccessDenied bucket", status=Status.NEW,
        )  # fmt: skip
    monkeypatch.setattr(similar, "TOP", 2)
    new = make(team, paying_requester, "S3 export AccessDenied", "bucket", status=Status.NEW)
    with CaptureQueriesContext(connection) as ctx:
        found = similar.similar_to(new, first_message_body="bucket")
    assert found.suggestions[0].ticket.pk == past["s3"].pk
    assert len(ctx.captured_queries) == 4  # counts, best two (open), all matches, answers
    monkeypatch.setattr(similar, "TOP", 200)
    with CaptureQueriesContext(connection) as ctx:
        again = similar.similar_to(new, first_message_body="bucket")
    assert [s.ticket.pk for s in again.suggestions] == [s.ticket.pk for s in found.suggestions]
    assert len(ctx.captured_queries) == 3  # every match fits in the first step


def test_postgres_takes_common_words_counts_from_the_index_statistics(
    team, hero, paying_requester, past, monkeypatch
):
    """After ANALYZE, a term PostgreSQL tracks among the index's commonest
    lexemes is not counted: its sampled share gives the count (the costly
    count of a common word's posting list is skipped)."""
    if connection.vendor != "postgresql":
        pytest.skip("statistics of the PostgreSQL index")
    monkeypatch.setattr(similar, "RARE_CAP", 1)  # no word is rare: count on to DF_CAP
    monkeypatch.setattr(similar, "DF_CAP", 2)
    new = make(
        team, paying_requester, "Export failed", "The export failed again.", status=Status.NEW
    )
    with connection.cursor() as cur:
        cur.execute("ANALYZE ticket_search")  # a tiny table: every lexeme is tracked
    with CaptureQueriesContext(connection) as ctx:
        found = similar.similar_to(new)
    assert "export" in found.common  # in 4+ tickets: over the cap of 2
    assert found.terms == ("failed",)
    # first message, one count statement (estimates only: no second count), ranking, answers
    assert len(ctx.captured_queries) == 4
    known: dict[str, int] = {}
    counts, _ = similar._document_counts(["export", "failed", "zyzzyvant"], 100, known)
    with connection.cursor() as cur:  # the exact counts
        cur.execute(
            "SELECT count(*) FILTER (WHERE document @@ 'export'::tsquery),"
            " count(*) FILTER (WHERE document @@ 'fail'::tsquery) FROM ticket_search"
        )
        export, failed = cur.fetchone()
    assert export >= 4 and failed >= 1
    assert counts == {"export": export, "failed": failed, "zyzzyvant": 0}
    assert known == {"export": export, "failed": failed}  # zyzzyvant is in none: counted
