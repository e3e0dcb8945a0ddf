"""The search box's query language, parsed and compiled. Pure Python.

    webhook "rate limit" -billing team:pipeline status:open tier:t2 after:2026-01-01

- words: every word must appear (in the subject, a message, the requester's
  name or email, the organization's name or an external reference);
- "quoted phrases": the words next to each other, in that order;
- -word / -"phrase": tickets without it;
- field:value filters, several values of one field meaning "any of them":
  team: (slug), status:, tier: (t2, 2 or high), channel:, from: (requester
  email or name), org: (organization name), before: / after: (YYYY-MM-DD);
  -field:value excludes; a value with spaces goes in quotes: org:"Acme Inc";
- #123: ticket 123.

Anything else that looks like `word:thing` (a URL, `error:500`) is searched as
text. Case and diacritics never matter; PostgreSQL also matches other forms
of a word (stemming), and SQLite's index uses the Porter stemmer.

`parse` never fails on odd text; it raises `QueryError` only for a filter
whose value cannot mean anything (`tier:9`, `after:yesterdayish`,
`-before:…`). A filter with no value yet (`team:` while typing) is ignored. The two
compilers quote every user-typed word, so no input can reach the FTS5 or
websearch_to_tsquery syntax: a word is always a quoted string there.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from herodesk.domain.tiers import Tier

FIELDS = ("team", "status", "tier", "channel", "from", "org", "before", "after")
MAX_QUERY = 500  # characters looked at
MAX_TERMS = 16  # words and phrases
MAX_FILTERS = 16
_CONTROL = dict.fromkeys((c for c in range(32) if c not in (9, 10, 13)), " ")
_HAS_WORD = re.compile(r"[^\W_]")  # a letter or digit: "_" alone is a separator to FTS5


class QueryError(ValueError):
    """A filter value that cannot mean anything; `field` names the filter."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False
    negated: bool = False


@dataclass(frozen=True)
class Filter:
    field: str
    value: str
    negated: bool = False


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...] = ()
    filters: tuple[Filter, ...] = ()
    ids: tuple[int, ...] = ()

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.negated)

    @property
    def negative(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.negated)

    @property
    def has_text(self) -> bool:
        return bool(self.terms)

    def __bool__(self) -> bool:
        return bool(self.terms or self.filters or self.ids)

    def values(self, name: str, *, negated: bool = False) -> list[str]:
        """The values given for filter `name` (the excluded ones with negated=True)."""
        return [f.value for f in self.filters if f.field == name and f.negated == negated]

    def dates(self, name: str) -> list[date]:
        return [date.fromisoformat(v) for v in self.values(name)]

    def tiers(self, *, negated: bool = False) -> list[int]:
        return [int(tier_of(v)) for v in self.values("tier", negated=negated)]


@dataclass
class _Scanner:
    text: str
    at: int = 0
    terms: list[Term] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)

    def quoted(self) -> str:
        """The text up to the closing quote (or the end); `at` is on the opening quote."""
        end = self.text.find('"', self.at + 1)
        end = len(self.text) if end < 0 else end
        value = self.text[self.at + 1 : end]
        self.at = end + 1
        return value

    def bare(self) -> str:
        start = self.at
        while self.at < len(self.text) and not self.text[self.at].isspace():
            if self.text[self.at] == '"' and self.at > start:
                break
            self.at += 1
        return self.text[start : self.at]


def normalized(text: str) -> str:
    """Unicode NFC with control characters as spaces: for queries and for the
    documents they search alike, so both sides tokenize the same."""
    return unicodedata.normalize("NFC", text or "").translate(_CONTROL)


def clean(text: str) -> str:
    """A query as parsed: normalized, at most MAX_QUERY characters."""
    return normalized((text or "")[: MAX_QUERY * 2])[:MAX_QUERY]


def parse(text: str) -> Query:
    """Words, phrases, exclusions, filters and #ids of what someone typed."""
    s = _Scanner(clean(text))
    while s.at < len(s.text):
        char = s.text[s.at]
        if char.isspace():
            s.at += 1
            continue
        negated = char == "-" and s.at + 1 < len(s.text) and not s.text[s.at + 1].isspace()
        if negated:
            s.at += 1
        if s.text[s.at] == '"':
            _add_term(s, s.quoted(), phrase=True, negated=negated)
            continue
        start = s.at
        token = s.bare()
        name, colon, rest = token.partition(":")
        if colon and name.lower() in FIELDS:
            if not rest and s.at < len(s.text) and s.text[s.at] == '"':
                rest = s.quoted()
            _add_filter(s, name.lower(), rest, negated)
        elif token.startswith("#") and token[1:].isdecimal() and len(token) < 19 and not negated:
            s.ids.append(int(token[1:]))
        else:
            _add_term(s, s.text[start : s.at], phrase=False, negated=negated)
    return Query(tuple(s.terms[:MAX_TERMS]), tuple(s.filters[:MAX_FILTERS]), tuple(s.ids))


def _add_term(s: _Scanner, text: str, *, phrase: bool, negated: bool) -> None:
    text = " ".join(text.replace('"', " ").split())
    if not _HAS_WORD.search(text):  # punctuation alone: nothing a tokenizer would index
        return
    s.terms.append(Term(text, phrase=phrase and " " in text, negated=negated))


def _add_filter(s: _Scanner, name: str, value: str, negated: bool) -> None:
    value = " ".join(value.split())
    if not value:  # still typing ("team:"): nothing to filter on yet
        return
    if negated and name in ("before", "after"):
        other = "after" if name == "before" else "before"
        raise QueryError(f"-{name}: is not supported; use {other}: instead", field=name)
    if name == "tier":
        value = str(int(tier_of(value)))
    elif name in ("before", "after"):
        value = date_of(name, value).isoformat()
    elif name in ("status", "channel", "team"):
        value = value.lower()
    s.filters.append(Filter(name, value, negated))


def tier_of(value: str) -> Tier:
    """'t2', 'T2', '2' or 'high' → Tier.HIGH."""
    raw = value.strip().lower()
    if raw.startswith("t") and raw[1:].isdecimal():
        raw = raw[1:]
    if raw.isdecimal() and int(raw) in {t.value for t in Tier}:
        return Tier(int(raw))
    for tier in Tier:
        if raw in (tier.slug, tier.label.lower(), tier.slug.replace("_", "-")):
            return tier
    names = ", ".join(f"t{t.value}" for t in Tier)
    raise QueryError(f"tier must be one of {names} (or a name like high), got {value!r}", "tier")


def date_of(name: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{name}: takes a date like 2026-03-01, got {value!r}", name) from None


# --- compilers --------------------------------------------------------------


def fts5_string(text: str) -> str:
    """One FTS5 string: everything in double quotes, inner quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def to_fts5(query: Query) -> tuple[str | None, str | None]:
    """(MATCH expression, exclusion expression) for SQLite FTS5.

    With at least one positive term the first is `"a" AND "b c" NOT ("x" OR
    "y")` and the second None. FTS5's NOT needs a left side, so with only
    exclusions the first is None and the second is `"x" OR "y"`, to be used
    as `rowid NOT IN (… MATCH exclusion)`. (None, None) when there is no text.
    """
    positive = [fts5_string(t.text) for t in query.positive]
    negative = [fts5_string(t.text) for t in query.negative]
    if not positive:
        return None, (" OR ".join(negative) or None)
    match = " AND ".join(positive)
    if negative:
        match = f"({match}) NOT ({' OR '.join(negative)})"
    return match, None


def to_websearch(query: Query) -> str:
    """Text for PostgreSQL's websearch_to_tsquery: every term a quoted phrase.

    Inside quotes websearch_to_tsquery knows no operators (`or`, `-`), and
    the terms carry no double quotes, so the user cannot write tsquery syntax.
    """
    parts = [("-" if t.negated else "") + '"' + t.text.replace('"', " ") + '"' for t in query.terms]
    return " ".join(parts)


def words_of(query: Query) -> list[str]:
    """The plain words of the positive terms, for highlighting in snippets."""
    words: list[str] = []
    for term in query.positive:
        words += [w for w in re.findall(r"\w+", term.text) if w not in words]
    return words
