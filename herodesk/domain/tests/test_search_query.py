"""The search query language: parsing, and compiling to FTS5 and websearch text.

The FTS5 cases run the compiled expression against a real SQLite FTS5 table
(the standard library's sqlite3, in memory), so "injection is impossible" is
checked by SQLite itself, not by reading strings.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from herodesk.domain.search_query import (
    Filter,
    Query,
    QueryError,
    Term,
    normalized,
    parse,
    to_fts5,
    to_websearch,
    words_of,
)
from herodesk.domain.tiers import Tier

TOKENIZE = "porter unicode61 remove_diacritics 2"


def test_words_phrases_and_exclusions() -> None:
    q = parse('webhook "rate limit" -billing -"old plan"')
    assert q.terms == (
        Term("webhook"),
        Term("rate limit", phrase=True),
        Term("billing", negated=True),
        Term("old plan", phrase=True, negated=True),
    )
    assert [t.text for t in q.positive] == ["webhook", "rate limit"]
    assert [t.text for t in q.negative] == ["billing", "old plan"]


def test_each_filter_is_parsed_and_normalized() -> None:
    q = parse(
        "team:Pipeline status:OPEN tier:T2 channel:Email from:ana@example.com "
        'org:"Acme  Inc" before:2026-03-01 after:2026-01-31'
    )
    assert q.terms == ()
    assert q.filters == (
        Filter("team", "pipeline"),
        Filter("status", "open"),
        Filter("tier", "2"),
        Filter("channel", "email"),
        Filter("from", "ana@example.com"),
        Filter("org", "Acme Inc"),
        Filter("before", "2026-03-01"),
        Filter("after", "2026-01-31"),
    )
    assert q.dates("before") == [date(2026, 3, 1)]
    assert q.tiers() == [2]


def test_field_names_are_case_insensitive_and_values_repeat() -> None:
    q = parse("TEAM:a Team:b -status:closed")
    assert q.values("team") == ["a", "b"]
    assert q.values("status", negated=True) == ["closed"]
    assert q.values("status") == []


@pytest.mark.parametrize(
    ("raw", "tier"),
    [("t0", Tier.ALERT), ("5", Tier.LOW), ("high", Tier.HIGH), ("Community", Tier.COMMUNITY)],
)
def test_tier_values(raw: str, tier: Tier) -> None:
    assert parse(f"tier:{raw}").tiers() == [int(tier)]


@pytest.mark.parametrize(
    ("text", "field"),
    [("tier:9", "tier"), ("tier:urgent", "tier"), ("after:yesterday", "after"),
     ("before:2026-13-01", "before"), ("-before:2026-01-01", "before")],
)  # fmt: skip
def test_meaningless_filter_values_name_the_filter(text: str, field: str) -> None:
    with pytest.raises(QueryError) as exc:
        parse(text)
    assert exc.value.field == field


def test_a_filter_without_a_value_yet_is_ignored() -> None:
    assert parse("webhook team:").filters == ()
    assert not parse("team:")


def test_unknown_fields_and_urls_are_text() -> None:
    q = parse("error:500 https://example.com/a?b=c")
    assert [t.text for t in q.terms] == ["error:500", "https://example.com/a?b=c"]
    assert q.filters == ()


def test_ticket_numbers() -> None:
    q = parse("#123 webhook")
    assert q.ids == (123,)
    assert [t.text for t in q.terms] == ["webhook"]
    # Digits that int() cannot read (superscripts) are text, not a ticket number or a tier.
    assert parse("#²").ids == ()
    with pytest.raises(QueryError) as exc:
        parse("tier:t²")
    assert exc.value.field == "tier"


def test_odd_input_is_taken_literally() -> None:
    assert parse('"unbalanced phrase').terms == (Term("unbalanced phrase", phrase=True),)
    assert parse("- -- *** ()").terms == ()  # nothing an index would hold
    assert parse('""').terms == ()
    assert not parse("   ")
    assert parse('-"x"').terms == (Term("x", negated=True),)
    assert parse("a-b").terms == (Term("a-b"),)


def test_limits() -> None:
    q = parse(" ".join(f"w{i}" for i in range(100)))
    assert len(q.terms) == 16
    assert len(parse("x" * 10_000).terms[0].text) == 500


def test_fts5_compilation() -> None:
    assert to_fts5(parse("")) == (None, None)
    assert to_fts5(parse('webhook "rate limit"')) == ('"webhook" AND "rate limit"', None)
    assert to_fts5(parse("a -b -c")) == ('("a") NOT ("b" OR "c")', None)
    assert to_fts5(parse("-b")) == (None, '"b"')


def test_websearch_compilation() -> None:
    assert to_websearch(parse('webhook "rate limit" -billing')) == (
        '"webhook" "rate limit" -"billing"'
    )
    assert to_websearch(parse("or -or")) == '"or" -"or"'


def test_words_for_highlighting() -> None:
    assert words_of(parse('webhook "rate limit" -billing webhook')) == ["webhook", "rate", "limit"]


# --- against a real FTS5 table ------------------------------------------------

DOCS = {
    1: "Our webhook export fails since Monday",
    2: "Rate limit reached on the export API",
    3: "Billing question: the limit of the rate plan",
    4: "Café crème résumé naïve",
    5: "foo OR bar NEAR(baz) col:thing ^start end*",
    6: "Webhooks are failing; exported data is missing",
}


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE doc USING fts5(body, tokenize='{TOKENIZE}')")
    conn.executemany("INSERT INTO doc(rowid, body) VALUES (?, ?)", DOCS.items())
    return conn


def matching(conn: sqlite3.Connection, text: str) -> set[int]:
    match, exclude = to_fts5(parse(text))
    if match is not None:
        rows = conn.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (match,))
        return {r[0] for r in rows}
    if exclude is not None:
        rows = conn.execute(
            "SELECT rowid FROM doc WHERE rowid NOT IN (SELECT rowid FROM doc WHERE doc MATCH ?)",
            (exclude,),
        )
        return {r[0] for r in rows}
    return set(DOCS)


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("webhook", {1, 6}),  # stemming: webhooks
        ("WEBHOOK export", {1, 6}),
        ('"rate limit"', {2}),  # the phrase, not both words anywhere
        ("rate limit", {2, 3}),
        ("limit -billing", {2}),
        ('export -"rate limit"', {1, 6}),
        ("-export", {3, 4, 5}),
        ("cafe creme resume naive", {4}),  # diacritics
        ("CAFÉ", {4}),
        ("foo OR bar", {5}),  # OR is a word here, not an operator
        ("foo OR nothing", set()),
        ("NEAR(baz)", {5}),
        ("col:thing", {5}),
        ("^start", {5}),
        ("end*", {5}),
        ("zyzzyva", set()),
    ],
)
def test_fts5_meaning(fts: sqlite3.Connection, text: str, ids: set[int]) -> None:
    assert matching(fts, text) == ids


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_compiles_to_valid_fts5(text: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE doc USING fts5(body, tokenize='{TOKENIZE}')")
    conn.execute("INSERT INTO doc(rowid, body) VALUES (1, ?)", (text,))
    try:
        query = parse(text)
    except QueryError as exc:
        assert exc.field in {"tier", "before", "after"}
        return
    match, exclude = to_fts5(query)
    for expr in (match, exclude):
        if expr is not None:  # SQLite rejects anything that is not valid FTS5
            conn.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (expr,)).fetchall()


WORD = st.text(
    alphabet=st.characters(categories=("L", "N", "M"), include_characters=".@'_/*^()+"),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORD, max_size=5))
def test_a_document_matches_its_own_words(words: list[str]) -> None:
    text = " ".join(words)
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE doc USING fts5(body, tokenize='{TOKENIZE}')")
    conn.execute("INSERT INTO doc(rowid, body) VALUES (1, ?)", (normalized(text),))
    match, _ = to_fts5(parse(text))
    if match is not None:
        assert conn.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (match,)).fetchall() == [
            (1,)
        ]


@given(st.text(max_size=80))
def test_websearch_text_quotes_every_term(text: str) -> None:
    try:
        out = to_websearch(parse(text))
    except QueryError:
        return
    assert out.count('"') % 2 == 0
    terms = out.split('" ') if out else []
    assert all(part.lstrip("-").startswith('"') for part in terms)


def test_queries_are_falsy_when_empty() -> None:
    assert not Query()
    assert parse("x")
    assert parse("status:open")
