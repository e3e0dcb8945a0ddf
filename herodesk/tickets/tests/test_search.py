"""Full-text search on both databases (docs/search.md): the query language end
to end, the index kept in step by the actions, `herodesk reindex`, ranking,
paging and query counts."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from herodesk.customers.actions import requester_fill_in
from herodesk.customers.models import Organization, Requester
from herodesk.lib.errors import Invalid
from herodesk.tickets import actions, index, search, search_match
from herodesk.tickets.models import Ticket

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def make(team: Any, paying_requester: Any) -> Any:
    counter = iter(range(1000))

    def ticket(subject: str = "Question", body: str = "Hello", **kw: Any) -> Ticket:
        kw.setdefault("team", team)
        kw.setdefault("requester", paying_requester)
        kw.setdefault("created_at", T0 + timedelta(minutes=next(counter)))
        return actions.ticket_create(subject=subject, body=body, actor="test", **kw)

    return ticket


def found(text: str, **kw: Any) -> list[int]:
    return [t.pk for t in search.search(text, **kw).rows]


def ids(text: str) -> set[int]:
    """Every match, via the condition the queue box and the API use."""
    cond = search.condition(text)
    qs = Ticket.objects.all() if cond is None else Ticket.objects.filter(cond)
    return set(qs.values_list("pk", flat=True))


def indexed() -> dict[int, int]:
    """ticket id → 1 for each document in the index (as the database has it)."""
    table, key = ("ticket_search", "ticket_id") if index.is_postgres() else ("ticket_fts", "rowid")
    with connection.cursor() as cur:
        cur.execute(f"SELECT {key} FROM {table}")
        return {row[0]: 1 for row in cur.fetchall()}


# --- the query language, end to end ------------------------------------------


def test_every_word_must_appear_somewhere_in_the_ticket(make: Any, hero: Any) -> None:
    both = make("Webhook fails", "The destination returns 429")
    one = make("Webhook fails", "All good now")
    assert set(found("webhook 429")) == {both.pk}
    assert set(found("webhook")) == {both.pk, one.pk}
    assert ids("webhook 429") == {both.pk}


def test_subject_messages_notes_requester_org_and_reference_are_searched(
    make: Any, hero: Any, big_requester: Any
) -> None:
    by_reply = make("Question")
    actions.ticket_reply(by_reply, author=hero, body="Rotate the signing secret please")
    by_note = make("Question")
    actions.ticket_note(by_note, author=hero, body="Customer mentioned kubernetes helm chart")
    by_requester = make("Question", requester=big_requester)
    by_ref = make("Question", external_ref="SENTRY-4242", channel="sentry")
    assert found("signing secret") == [by_reply.pk]
    assert found("helm") == [by_note.pk]  # internal notes: the desk is staff-only
    assert found("Gus") == [by_requester.pk]
    assert found("globex") == [by_requester.pk]  # the organization's name
    assert found("gus@globex.example") == [by_requester.pk]
    assert found("SENTRY-4242") == [by_ref.pk]


def test_phrases_need_the_words_together_in_that_order(make: Any, monkeypatch: Any) -> None:
    phrase = make("Export", "The billing export is empty")
    apart = make("Export", "Export of billing data")
    assert found('"billing export"') == [phrase.pk]
    assert set(found("billing export")) == {phrase.pk, apart.pk}
    assert ids('"billing export"') == {phrase.pk}  # few matches: by id
    monkeypatch.setattr(search_match, "FEW", 0)  # many matches: checked per row
    assert ids('"billing export"') == {phrase.pk}
    assert ids('export -"billing export"') == {apart.pk}


def test_common_words_are_checked_row_by_row_in_filtered_lists(make: Any, monkeypatch: Any) -> None:
    made = [make("Webhook", f"body {i}") for i in range(4)]
    for _ in range(4):  # the newest tickets do not match
        make("Other", "nothing")
    monkeypatch.setattr(search_match, "FEW", 1)  # SQLite: more matches than FEW
    assert ids("webhook") == {t.pk for t in made}
    assert ids('webhook -"body 2"') == {t.pk for i, t in enumerate(made) if i != 2}
    # The newest-first list picks its page's ids in a subquery: the per-row
    # check must test that subquery's ticket, not the outer query's.
    newest = search.search("webhook", order="newest", limit=2)
    assert [t.pk for t in newest.rows] == [made[3].pk, made[2].pk]
    rest = search.search("webhook", order="newest", limit=2, cursor=newest.next_cursor or "")
    assert [t.pk for t in rest.rows] == [made[1].pk, made[0].pk] and rest.next_cursor is None


def test_exclusions_drop_tickets_with_the_word_or_phrase(make: Any) -> None:
    keep = make("Webhook", "retries are slow")
    drop = make("Webhook", "billing is wrong")
    other = make("Other", "old plan billing")
    assert found("webhook -billing") == [keep.pk]
    assert found('webhook -"is wrong"') == [keep.pk]
    assert set(found("-billing")) == {keep.pk}  # exclusions alone: everything else
    assert ids("-billing") == {keep.pk}
    assert other.pk in ids("-webhook") and drop.pk not in ids("-webhook")


def test_case_and_diacritics_do_not_matter(make: Any) -> None:
    if not index.folds_diacritics():
        pytest.skip("PostgreSQL without the unaccent extension keeps diacritics")
    cafe = make("Café crème", "Résumé from São Paulo")
    assert found("cafe") == [cafe.pk]
    assert found("CAFÉ") == [cafe.pk]
    assert found("resume sao paulo") == [cafe.pk]
    assert found('"são paulo"') == [cafe.pk]


def test_other_forms_of_a_word_match(make: Any) -> None:
    stemmed = make("Exporting events", "Our webhooks were retried")
    assert found("export") == [stemmed.pk]
    assert found("exported webhook") == [stemmed.pk]
    assert found("retry") == [stemmed.pk]


def test_stop_words_are_words_on_both_databases(make: Any) -> None:
    with_the = make("Question", "this is the one")
    assert found('"is the one"') == [with_the.pk]
    assert found("the") == [with_the.pk]


def test_filters_team_status_tier_channel(make: Any, hero: Any, other_team: Any, team: Any) -> None:
    a = make("Webhook", channel="email", tier=2)
    b = make("Webhook", channel="slack", tier=3, team=other_team)
    actions.ticket_reply(b, author=hero, body="done", status="solved")
    assert found("webhook team:pipeline") == [a.pk]
    assert found("webhook -team:pipeline") == [b.pk]
    assert found("webhook status:solved") == [b.pk]
    assert set(found("webhook status:new status:solved")) == {a.pk, b.pk}
    assert found("webhook tier:t2") == [a.pk] == found("webhook tier:high")
    assert found("webhook channel:slack") == [b.pk]
    assert found("team:monitoring") == [b.pk]  # filters alone
    assert ids("channel:email") == {a.pk}


def test_filters_from_org_before_after_and_ids(
    make: Any, big_requester: Any, paying_requester: Any
) -> None:
    ana = make("Login", created_at=datetime(2026, 1, 10, 12, tzinfo=UTC))
    gus = make("Login", requester=big_requester, created_at=datetime(2026, 2, 10, 12, tzinfo=UTC))
    assert found("login from:ana@acme.example") == [ana.pk]
    assert found("login from:GUS") == [gus.pk]
    assert found('login org:"globex"') == [gus.pk]
    assert found("login -org:globex") == [ana.pk]
    assert found("login before:2026-02-01") == [ana.pk]
    assert found("login after:2026-02-01") == [gus.pk]
    assert found("login after:2026-02-10") == [gus.pk]  # the whole day counts
    assert found(f"#{gus.pk}") == [gus.pk]


@pytest.mark.parametrize(
    ("text", "message"),
    [("tier:9", "tier must be"), ("after:soon", "after: takes a date"), ("status:nope", "status:")],
)
def test_a_filter_that_cannot_mean_anything_is_invalid(db: Any, text: str, message: str) -> None:
    with pytest.raises(Invalid) as err:
        search.search(text)
    assert message in err.value.message and err.value.field == "q"


def test_index_syntax_in_what_people_type_is_just_text(make: Any) -> None:
    t = make("NEAR and OR", "column:value a* ^start (x) {y} <z> 'q' \\ \" -")
    for text in ("NEAR(a b)", "a* OR b", "subject:near", "^start", "(x)", "'q'", "!!", 'x"y'):
        search.search(text)  # never an error from the index
    assert found("near or") == [t.pk]


# --- the index kept in step -------------------------------------------------


def test_index_follows_create_reply_requester_message_and_note(make: Any, hero: Any) -> None:
    t = make("Question", "first words")
    assert found("first") == [t.pk] and found("kestrel") == []
    actions.ticket_reply(t, author=hero, body="a kestrel reply")
    assert found("kestrel") == [t.pk]
    actions.ticket_requester_message(t, body="a heron follow-up")
    assert found("heron kestrel first") == [t.pk]
    actions.ticket_note(t, author=hero, body="zyzzyvant note")
    assert found("zyzzyvant") == [t.pk]


def test_index_follows_a_subject_edit(make: Any) -> None:
    t = make("Old words", "body")
    actions.ticket_set_subject(t, "Kestrel sighting", actor="test")
    assert found("kestrel") == [t.pk] and found("old") == []


def test_merge_moves_the_words_to_the_surviving_ticket(make: Any, hero: Any) -> None:
    into = make("Survivor", "original words")
    dup = make("Duplicate", "kestrel in the duplicate")
    actions.ticket_merge(dup, into, actor=hero)
    assert found("kestrel") == [into.pk]
    assert found("kestrel status:closed") == []
    assert found("duplicate") == [into.pk, dup.pk] or set(found("duplicate")) == {into.pk, dup.pk}


def test_deleting_a_ticket_drops_its_document(make: Any) -> None:
    gone = make("Kestrel", "bye")
    kept = make("Kestrel", "stay")
    gone.delete()
    assert found("kestrel") == [kept.pk]
    assert gone.pk not in indexed() and kept.pk in indexed()


def test_filling_in_a_requester_reindexes_their_tickets(make: Any) -> None:
    nameless = Requester.objects.create(email="x@initech.example")
    t = make("Question", requester=nameless)
    assert found("Milton") == []
    requester_fill_in(nameless, actor="test", name="Milton Waddams")
    assert found("milton") == [t.pk]


def test_a_rolled_back_action_leaves_the_index_as_it_was(make: Any, hero: Any) -> None:
    t = make("Question", "words")
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.ticket_reply(t, author=hero, body="kestrel")
        raise RuntimeError("the caller failed after the reply")
    assert found("kestrel") == []
    assert found("words") == [t.pk]


def test_postgres_keeps_one_plan_for_indexing_one_ticket(make: Any, hero: Any) -> None:
    """Creates and replies index one ticket with `t.id = %s`: the prepared
    statement settles on its generic plan after five runs. As `= ANY(%s)` the
    generic plan looked dearer than a custom one, and PostgreSQL planned the
    statement afresh for every create and reply (0.5 ms of 1.1 ms of backend CPU)."""
    if not index.is_postgres():
        pytest.skip("PostgreSQL prepares statements; SQLite plans each one")
    tickets = [make(f"Question {i}", "words") for i in range(4)]
    for t in tickets:
        actions.ticket_reply(t, author=hero, body="kestrel")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s",
            ["%INSERT INTO ticket_search%"],
        )
        plans = cur.fetchall()
    assert len(plans) == 1  # one statement for creates and replies alike
    generic, custom = plans[0]
    # 8 documents written: the first unprepared (prepare_threshold 1), five
    # custom plans, then the generic plan (with `= ANY`: 7 custom, 0 generic).
    assert (custom, generic) == (5, 2)
    assert set(found("kestrel")) == {t.pk for t in tickets}


# --- reindex ---------------------------------------------------------------


def test_reindex_rebuilds_from_the_tables_and_is_idempotent(make: Any, hero: Any) -> None:
    tickets = [make(f"Kestrel {i}", "body") for i in range(5)]
    actions.ticket_note(tickets[0], author=hero, body="heron")
    actions.tickets_unindex([t.pk for t in tickets])
    assert found("kestrel") == []
    actions.tickets_unindex([])
    with connection.cursor() as cur:  # a stale document of a ticket that is gone
        if index.is_postgres():
            cur.execute("INSERT INTO ticket_search VALUES (999999, to_tsvector('kestrel'))")
        else:
            cur.execute("INSERT INTO ticket_fts (rowid, subject) VALUES (999999, 'kestrel')")
    out = io.StringIO()
    call_command("reindex", "--batch", "2", stdout=out)
    assert "Indexed 5 tickets in 3 batches; removed 1 stale entries" in out.getvalue()
    assert set(found("kestrel")) == {t.pk for t in tickets}
    assert found("heron") == [tickets[0].pk]
    before = indexed()
    out = io.StringIO()
    call_command("reindex", stdout=out)
    assert "Indexed 5 tickets in 1 batches; removed 0 stale entries" in out.getvalue()
    assert indexed() == before and set(found("kestrel")) == {t.pk for t in tickets}


def test_reindex_refuses_a_silly_batch(db: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--batch"):
        call_command("reindex", "--batch", "0")


# --- ranking, paging, snippets, query counts --------------------------------


def test_subject_matches_rank_above_body_matches_newer_first_on_ties(make: Any) -> None:
    in_body = make("Question", "something about a kestrel somewhere in a long message")
    in_subject = make("Kestrel sighting", "nothing else")
    twin_old = make("Heron", "same")
    twin_new = make("Heron", "same")
    assert found("kestrel") == [in_subject.pk, in_body.pk]
    assert found("heron") == [twin_new.pk, twin_old.pk]


def test_relevance_pages_with_a_cursor_and_says_when_capped(make: Any, monkeypatch: Any) -> None:
    made = [make(f"Kestrel {i}", "same words") for i in range(5)]
    first = search.search("kestrel", limit=2)
    second = search.search("kestrel", limit=2, cursor=first.next_cursor or "")
    third = search.search("kestrel", limit=2, cursor=second.next_cursor or "")
    seen = [t.pk for p in (first, second, third) for t in p.rows]
    assert sorted(seen) == sorted(t.pk for t in made) and third.next_cursor is None
    assert not first.capped
    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    capped = search.search("kestrel")
    assert capped.capped and [t.pk for t in capped.rows] == [t.pk for t in made[::-1][:3]]
    with pytest.raises(Invalid, match="cursor"):
        search.search("kestrel", cursor="!!")


def test_newest_order_is_a_keyset_over_every_match(make: Any) -> None:
    made = [make("Kestrel", "x") for _ in range(5)]
    first = search.search("kestrel", order="newest", limit=3)
    second = search.search("kestrel", order="newest", limit=3, cursor=first.next_cursor or "")
    assert [t.pk for t in first.rows + second.rows] == [t.pk for t in made[::-1]]
    with pytest.raises(Invalid, match="order"):
        search.search("kestrel", order="oldest")


def test_snippets_mark_the_words_in_the_first_message_that_has_them(make: Any, hero: Any) -> None:
    t = make("Question", "Nothing here")
    actions.ticket_reply(t, author=hero, body="Your Webhooks were paused; webhook retries resume")
    page = search.search("webhook")
    marked = [text for text, mark in page.snippets[t.pk] if mark]
    assert marked == ["Webhooks", "webhook"]
    assert search.search("webhook", snippets=False).snippets == {}


def test_search_costs_the_same_queries_for_3_or_30_results(make: Any, hero: Any) -> None:
    def count(n: int) -> int:
        Ticket.objects.all().delete()
        for _ in range(n):
            t = make("Kestrel", "words kestrel", requester=Requester.objects.create(
                name="R", organization=Organization.objects.create(name="O")))  # fmt: skip
            actions.ticket_reply(t, author=hero, body="kestrel answered")
        with CaptureQueriesContext(connection) as ctx:
            page = search.search("kestrel team:pipeline from:R")
            [(t.team, t.requester.organization, t.assignee) for t in page.rows]
        assert len(page.rows) == n
        return len(ctx.captured_queries)

    assert count(3) == count(30) == 3  # ranked ids, the tickets, the snippets' messages


def _prepared_search_statements() -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT statement FROM pg_prepared_statements")
        return [s for (s,) in cur.fetchall() if "ticket_search" in s]


def test_postgres_plans_searches_for_their_words_not_generic(
    make: Any, hero: Any, client: Any, team: Any
) -> None:
    """A prepared statement may get one generic plan for every word after five
    runs (36–60 ms instead of 1.3 ms for a common word at 100k tickets), so
    search statements run unprepared: planned with the words each time."""
    if not index.is_postgres():
        pytest.skip("PostgreSQL prepares statements; SQLite plans each one")
    make("Webhook retries", "the webhook failed twice")
    client.force_login(hero)
    for _ in range(7):
        assert found("webhook") and found('"webhook retries"')
        assert found("webhook", order="newest")
        assert client.get(f"/queue/{team.slug}/?q=webhook").status_code == 200
        assert client.get(f"/queue/{team.slug}/?q=%22webhook+retries%22").status_code == 200
    assert _prepared_search_statements() == []
    # The same statement outside the search is prepared (what the above avoids).
    for _ in range(3):
        with connection.cursor() as cur:
            cur.execute(
                "SELECT ticket_id FROM ticket_search WHERE document @@ plainto_tsquery(%s)", ["x"]
            )
    assert len(_prepared_search_statements()) == 1


def test_a_newest_first_list_never_tests_every_tickets_document(make: Any) -> None:
    """A word the statistics have not seen (rare, or in no ticket) gets a default
    estimate of hundreds of matches; a list walking its own index newest first
    would then test each ticket's document until it found `limit` (0.86 s at 100k
    tickets for a word in none, 10 rows). The index is asked first on both
    databases: a few matches drive the list by id, none runs no list at all."""
    first = make("Webhook retries", "the webhook failed twice")
    make("Billing export", "the export is late")
    with CaptureQueriesContext(connection) as none:
        assert found("zyzzyvant", order="newest", limit=10) == []
    assert len(none) == 1, [q["sql"] for q in none]  # the probe; no list statement
    with CaptureQueriesContext(connection) as rare:
        assert found("webhook", order="newest", limit=10) == [first.pk]
    listing = [q["sql"] for q in rare if "ORDER BY" in q["sql"]]
    assert listing, [q["sql"] for q in rare]
    assert not any("ticket_search" in sql or "ticket_fts" in sql for sql in listing), listing


def _array(literal: str) -> list[int]:
    """The ids of a PostgreSQL array literal (`search_match.pg_array`), sorted."""
    assert literal.startswith("{") and literal.endswith("}"), literal
    return sorted(int(i) for i in literal[1:-1].split(","))


def test_the_matching_ids_travel_as_one_parameter(make: Any, team: Any, client: Any) -> None:
    """The probe's ids (up to 2,000) drive the list as one parameter: an array,
    `id = ANY(%s)` on PostgreSQL, a JSON array read by `json_each` on SQLite.
    An IN list of a thousand parameters cost several milliseconds to build,
    send and parse (API and queue box, 1 % word and phrase at 100k)."""
    tickets = [make("Billing export", f"the billing export failed {i}") for i in range(12)]
    make("Billing", "no export here")
    got: list[tuple[str, Any]] = []

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        got.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        rows = found('"billing export"', order="newest", snippets=False)
    assert rows == [t.pk for t in reversed(tickets)]
    listing = [(sql, params) for sql, params in got if "ORDER BY" in sql]
    assert len(listing) == 1
    sql, params = listing[0]
    if index.is_postgres():
        assert "= ANY(" in sql and "IN (%s" not in sql, sql  # no list of parameters
        assert len(params) == 1 and _array(params[0]) == sorted(t.pk for t in tickets)
    else:  # SQLite: one JSON array, read by json_each
        assert "json_each(" in sql and "IN (%s" not in sql, sql
        assert len(params) == 1 and sorted(json.loads(params[0])) == sorted(t.pk for t in tickets)


def test_values_rows_are_the_columns_of_the_model_rows(make: Any, hero: Any) -> None:
    """`search(values=True)`: the same tickets, order, cursor and snippets as
    model rows, each a `values(*columns)` dict (the API's lists)."""
    for i in range(4):
        who = None if i == 1 else Requester.objects.create(name=f"R{i}")
        t = make(f"Kestrel {i}", "a kestrel flew by", requester=who)
        actions.ticket_reply(t, author=hero, body=f"the kestrel {i} answered")
    columns = ("id", "subject", "created_at", "team__slug", "requester__name")
    for order in search.ORDERS:
        models = search.search("kestrel", order=order, limit=3, columns=columns)
        values = search.search("kestrel", order=order, limit=3, columns=columns, values=True)
        want = {v["id"]: v for v in Ticket.objects.values(*columns)}
        assert values.rows == [want[t.pk] for t in models.rows]
        assert values.next_cursor == models.next_cursor and values.next_cursor
        assert values.snippets == models.snippets and len(values.snippets) == 3
    with pytest.raises(ValueError, match="columns"):
        search.search("kestrel", values=True)


def test_snippets_read_the_messages_in_one_statement(make: Any, hero: Any) -> None:
    """The snippets' bodies: one statement for the page, the ids one array
    parameter on PostgreSQL (as the probe's), an IN list on SQLite."""
    made = [make("Kestrel", f"first {i}") for i in range(3)]
    for t in made:
        actions.ticket_reply(t, author=hero, body="a kestrel here")
    got: list[tuple[str, Any]] = []

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        got.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        page = search.search("kestrel")
    bodies = [(sql, params) for sql, params in got if "tickets_message" in sql]
    assert len(bodies) == 1, got
    sql, params = bodies[0]
    ids = sorted(t.pk for t in made)
    if index.is_postgres():
        assert "= ANY(" in sql and len(params) == 1 and _array(params[0]) == ids
    else:
        assert sorted(params) == ids
    assert {pk: [s for s, mark in seg if mark] for pk, seg in page.snippets.items()} == {
        t.pk: ["kestrel"] for t in made
    }


def test_postgres_probes_a_word_the_planner_does_not_know_as_common(
    make: Any, monkeypatch: Any
) -> None:
    """The newest-first list (the API's `q=`): past FEW_WORDS matches, a word
    PostgreSQL's statistics do not count as common (estimate up to FEW) is
    probed again for up to FEW ids, which drive the list (`= ANY`); a common
    one goes to the list as `id IN (…)` without that second probe. The queue
    box's lists (`condition`) do the same. The same tickets every way."""
    if not index.is_postgres():
        pytest.skip("PostgreSQL only: SQLite probes up to FEW for every query")
    made = [make("Kestrel", f"a kestrel {i}") for i in range(3)]
    make("Other", "nothing")
    newest = [t.pk for t in reversed(made)]
    monkeypatch.setattr(search_match, "FEW_WORDS", 1)
    probe = "SELECT ticket_id FROM ticket_search WHERE document @@ websearch_to_tsquery(%s, %s)"
    estimate = search_match._estimated_rows(probe.replace("%s", "'herodesk'", 1), "kestrel")
    assert 0 <= estimate <= search_match.FEW
    for common, shape in ((False, "= ANY("), (True, "IN (SELECT ticket_id")):
        if common:
            common_estimate = search_match.FEW + 1.0
            monkeypatch.setattr(search_match, "_estimated_rows", lambda sql, match: common_estimate)
        with CaptureQueriesContext(connection) as seen:
            assert found("kestrel", order="newest", snippets=False) == newest
        statements = [q["sql"] for q in seen]
        assert len(statements) == (2 if common else 4), statements
        assert sum("EXPLAIN" in s for s in statements) == (0 if common else 1), statements
        listing = [s for s in statements if "ORDER BY" in s]
        assert len(listing) == 1 and shape in listing[0], listing
        with CaptureQueriesContext(connection) as box:
            assert ids("kestrel") == set(newest)
        assert len(box) == len(statements), box.captured_queries
        assert shape in box[-1]["sql"], box.captured_queries


def test_sqlite_newest_first_walks_its_index_when_the_matches_are_many(
    make: Any, monkeypatch: Any
) -> None:
    """SQLite, the newest-first list with no other condition: when walking
    `ticket_created` costs less than looking up every match (`_walk_is_cheaper`),
    the ids are checked as `+id IN (…)` (no index for them); the same page,
    cursor and rows either way, and a list with filters never walks."""
    if index.is_postgres():
        pytest.skip("SQLite only: PostgreSQL's planner chooses with the ids as an array")
    # created_at not in id order: an import of older tickets after newer ones
    made = [
        make("Kestrel", f"kestrel {i}", created_at=T0 + timedelta(hours=10 - i)) for i in range(6)
    ]
    for _ in range(3):
        make("Other", "nothing")
    want = [t.pk for t in sorted(made, key=lambda t: (t.created_at, t.pk), reverse=True)]
    assert search_match._walk_is_cheaper(1000, 51, 100_000)  # a 1 % word at 100k
    assert not search_match._walk_is_cheaper(100, 51, 100_000)  # a 0.1 % word
    assert not search_match._walk_is_cheaper(100, 51, 10_000)  # a 1 % word at 10k
    pages = {}
    for cost in (1e9, 0.0):  # never walk, always walk
        monkeypatch.setattr(search_match, "WALK_COST", cost)
        with CaptureQueriesContext(connection) as seen:
            first = search.search("kestrel", order="newest", limit=4, snippets=False)
            rest = search.search("kestrel", order="newest", limit=4, cursor=first.next_cursor or "")
        listing = [q["sql"] for q in seen if "json_each" in q["sql"]]
        assert len(listing) == 2, listing  # the two pages' lists
        assert all(("+" in sql.split("json_each")[0][-40:]) == (cost == 0.0) for sql in listing)
        pages[cost] = ([t.pk for t in first.rows], [t.pk for t in rest.rows], rest.next_cursor)
        with CaptureQueriesContext(connection) as seen:  # a filter: no walk
            mine = search.search("kestrel team:" + made[0].team.slug, order="newest", limit=4)
        assert [t.pk for t in mine.rows] == want[:4]
        assert not any("+" in q["sql"].split("json_each")[0][-40:] for q in seen)
    assert pages[1e9] == pages[0.0] == (want[:4], want[4:], None)
