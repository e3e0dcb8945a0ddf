"""The words of a "similar tickets" query (domain/similar_terms.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from herodesk.domain import similar_terms as st_


def test_subject_words_count_twice_and_stop_words_go():
    terms = st_.terms(
        "Webhook destination returns 429",
        "Hi team, thanks! The webhook destination returns 429 and the events are dropped. "
        "Dropped events: 12 of them. Please help.",
    )
    assert terms[:3] == ["destination", "webhook", "returns"]
    assert "429" in terms and "dropped" in terms and "events" in terms
    for gone in ("hi", "team", "thanks", "the", "and", "are", "please", "help", "12", "of"):
        assert gone not in terms


def test_case_and_diacritics_fold_and_underscore_splits():
    assert st_.terms("Café CRASHES", "crashes on foo_bar") == ["crashes", "cafe", "foo", "bar"]


def test_ignored_words_and_the_limit():
    words = " ".join(f"word{i:02d}" for i in range(30))
    assert len(st_.terms("", words)) == st_.MAX_TERMS
    assert st_.terms("Ana at Acme", "export broken", ignore=frozenset({"ana", "acme"})) == [
        "export",
        "broken",
    ]


def test_query_strings_quote_every_term():
    assert st_.fts5_or(["s3", "denied"]) == '"s3" OR "denied"'
    assert st_.websearch_or(["s3", "denied"]) == '"s3" or "denied"'


@given(st.text(max_size=200), st.text(max_size=400))
def test_terms_are_plain_words_only(subject, body):
    for term in st_.terms(subject, body):
        assert term and all(c.isalnum() for c in term) and term == st_.fold(term)
        assert term not in st_.STOP_WORDS and len(term) >= 3
