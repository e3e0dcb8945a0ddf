"""The words a "similar solved tickets" query is made of. Pure Python.

A ticket's subject and first message become a short list of significant
terms, OR-ed by the database's full-text index (BM25 on SQLite FTS5,
`ts_rank` on PostgreSQL): case and diacritics folded the way both indexes
fold them, stop words dropped, words of one or two letters dropped (numbers
of three digits or more stay: "429", "0312" say a lot about a ticket),
subject words counted twice, the most frequent first, at most `MAX_TERMS`.

The stop words are PostgreSQL's `english` list (Snowball's), so both
databases drop the same words; PostgreSQL would drop them anyway, FTS5
would not. The database then drops the words that are common in *its*
tickets (`herodesk.tickets.similar`): what is significant depends on the desk.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

MAX_TERMS = 12
MAX_TEXT = 4000  # characters of the first message looked at
SUBJECT_WEIGHT = 2

# PostgreSQL's tsearch_data/english.stop (the Snowball English list).
_STOP = """i me my myself we our ours ourselves you your yours yourself yourselves he him
his himself she her hers herself it its itself they them their theirs themselves
what which who whom this that these those am is are was were be been being have
has had having do does did doing a an the and but if or because as until while of
at by for with about against between into through during before after above below
to from up down in out on off over under again further then once here there when
where why how all any both each few more most other some such no nor not only own
same so than too very s t can will just don should now"""
# Words every support ticket says; they match everything and mean nothing.
_DESK = """hi hello hey thanks thank please regards cheers best team issue problem help
would could also get got still since know let like need us"""
STOP_WORDS = frozenset(_STOP.split())
DESK_WORDS = frozenset(_DESK.split())
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without diacritics (é → e), as unicode61 and `unaccent` fold."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """The folded words of `text`, in order (letters and digits; `_` splits)."""
    return _WORD.findall(fold(text))


def significant(word: str) -> bool:
    if word in STOP_WORDS or word in DESK_WORDS:
        return False
    if word.isdigit():
        return len(word) >= 3
    return len(word) >= 3


def terms(
    subject: str, body: str, limit: int = MAX_TERMS, ignore: frozenset[str] = frozenset()
) -> list[str]:
    """The significant terms of a ticket, most telling first. `ignore`: folded
    words to leave out (the requester's name and organization: they say who
    asks, not what about, and would match every ticket they wrote).

    Order: weighted count (subject words count `SUBJECT_WEIGHT` times), then
    longer words first, then first appearance, so the result is the same for
    the same text."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    sequence = [(w, SUBJECT_WEIGHT) for w in words(subject or "")]
    sequence += [(w, 1) for w in words((body or "")[:MAX_TEXT])]
    for position, (word, weight) in enumerate(sequence):
        if word in ignore or not significant(word):
            continue
        counts[word] += weight
        first.setdefault(word, position)
    ranked = sorted(counts, key=lambda w: (-counts[w], -len(w), first[w]))
    return ranked[:limit]


def fts5_or(terms_: list[str]) -> str:
    """An FTS5 MATCH expression: every term a quoted string, OR-ed."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms_)


def websearch_or(terms_: list[str]) -> str:
    """Text for `websearch_to_tsquery`: quoted terms joined by `or`.

    Terms are letters and digits only (see `words`), so nothing typed in a
    ticket can become tsquery syntax."""
    return " or ".join('"' + t.replace('"', " ") + '"' for t in terms_)
