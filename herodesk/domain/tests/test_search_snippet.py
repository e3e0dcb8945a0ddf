"""Result snippets: the first match, cut around it, words marked (pure)."""

from __future__ import annotations

from herodesk.domain.search_snippet import Snipper, fold, snippet, stem


def marked(segments: list[tuple[str, bool]]) -> list[str]:
    return [text for text, mark in segments if mark]


def test_marks_other_forms_and_any_case() -> None:
    segments = snippet("Our Webhooks failed; the webhook retried.", ["webhook"])
    assert marked(segments) == ["Webhooks", "webhook"]
    assert "".join(text for text, _ in segments) == "Our Webhooks failed; the webhook retried."


def test_diacritics_fold_both_ways() -> None:
    assert marked(snippet("Le café est fermé", ["cafe"])) == ["café"]
    assert marked(snippet("The cafe is closed", ["Café"])) == ["cafe"]
    assert fold("São") == "sao" and stem("exporting") == "export"


def test_a_long_text_is_cut_around_the_first_match_at_word_bounds() -> None:
    text = "lorem " * 100 + "the kestrel landed " + "ipsum " * 100
    segments = snippet(text, ["kestrel"], width=60)
    assert segments[0] == ("…", False) and segments[-1] == ("…", False)
    body = "".join(t for t, _ in segments[1:-1])
    assert "kestrel" in body and len(body) <= 60 and not body.startswith("orem")


def test_no_match_no_snippet() -> None:
    assert snippet("nothing here", ["webhook"]) == []
    assert snippet("", ["webhook"]) == [] and snippet("text", []) == []
    assert marked(snippet("a_webhook_b", ["webhook"])) == ["webhook"]  # "_" separates, as in FTS5
    assert marked(snippet("rewebhook", ["webhook"])) == []


def test_one_snipper_serves_many_texts_and_marks_only_inside_the_cut() -> None:
    """The search prepares the words once (Snipper) for the fifty results' messages."""
    cut = Snipper(["webhook", "café"], width=40)
    assert cut("no match") == [] and cut("") == []
    assert marked(cut("Le café, the webhook")) == ["café", "webhook"]
    text = "a webhook " + "x " * 30 + "webhooks later"  # the second one is past the cut
    assert marked(cut(text)) == ["webhook"] and cut(text)[-1] == ("…", False)
    assert cut(text) == snippet(text, ["webhook", "café"], width=40)


def test_white_space_runs_become_one_space_outside_the_marks() -> None:
    for gap in ("\n\n", "\t", "  ", "\u00a0", "\r\n \u2003"):
        segments = snippet(f"the{gap}kestrel{gap}landed", ["kestrel"])
        assert segments == [("the ", False), ("kestrel", True), (" landed", False)], gap
    assert snippet("one kestrel here", ["kestrel"])[0] == ("one ", False)  # single spaces kept


def test_ascii_and_other_text_mark_the_same_words() -> None:
    """ASCII text takes the lower-cased fast path; the same words with one accent
    elsewhere in the text take the folding path."""
    for extra in ("", " é"):
        text = f"KESTREL_x Kestrels, akestrel kestreled{extra}"
        assert marked(snippet(text, ["kestrel"])) == ["KESTREL", "Kestrels", "kestreled"], extra
