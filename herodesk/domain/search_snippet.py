"""Snippets for search results: a short cut of a message around the first word
of the query it contains, with the query's words marked. Pure Python.

Matching folds case and diacritics (like both indexes) and accepts other
forms of a word by a shared stem ("webhooks" for "webhook", "exported" for
"export"), close to what the indexes' stemmers match. Returns segments
(text, marked) so a template escapes the text and wraps the marked parts.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator

Segment = tuple[str, bool]
_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")
_SUFFIXES = ("ing", "ed", "es", "s", "ly", "er")
WIDTH = 200  # characters around the first match


def fold(word: str) -> str:
    """Lower case without diacritics: 'Café' → 'cafe'."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A crude stem, only to decide what to highlight."""
    word = fold(word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


class Snipper:
    """`snippet` for one query's words, prepared once for many texts."""

    def __init__(self, words: list[str], width: int = WIDTH) -> None:
        self.stems = {stem(w) for w in words if w.strip()}
        self.width = width
        # ASCII text (the common case) is searched lower-cased, case-sensitively,
        # for a stem then the rest of its word; the start of a word is checked
        # after. As one case-insensitive pattern with a look-behind first, the
        # regex engine tried a match at every character: 15 µs a 180-character
        # message (the 150 messages of a search page's fifty results, with
        # `_single_spaced` below: 2.24 ms, now 0.84).
        pattern = "|".join(re.escape(s) for s in sorted(self.stems, key=len, reverse=True))
        self.ascii = re.compile(rf"(?:{pattern})[0-9a-z]*")

    def _hits(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each word of `text` with one of the stems, in order."""
        if text.isascii():  # a word starting with a stem, no folding needed
            low = text.lower()  # ASCII: same length, same offsets
            return (
                m.span()
                for m in self.ascii.finditer(low)
                if not m.start() or not low[m.start() - 1].isalnum()  # "_" separates
            )
        return (m.span() for m in _WORD.finditer(text) if stem(m.group()) in self.stems)

    def __call__(self, text: str) -> list[Segment]:
        """Segments of `text` around the first of the words in it; [] when none is."""
        if not self.stems or not text:
            return []
        hits = self._hits(text)
        first = next(hits, None)
        if first is None:
            return []
        width = self.width
        first_start, first_end = first
        start = max(0, first_start - width // 3)
        if start:  # begin at a word
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first_start else start
        end = min(len(text), start + width)
        if end < len(text):
            space = text.rfind(" ", first_end, end)
            end = space if space > 0 else end
        segments: list[Segment] = [("…", False)] if start else []
        at = start
        for hit_start, hit_end in itertools.chain((first,), hits):
            if hit_end > end:  # hits come in order: the rest are past the cut too
                break
            if hit_start > at:
                segments.append((text[at:hit_start], False))
            segments.append((text[hit_start:hit_end], True))
            at = hit_end
        if at < end:
            segments.append((text[at:end], False))
        if end < len(text):
            segments.append(("…", False))
        return [(s if marked else _single_spaced(s), marked) for s, marked in segments]


def _single_spaced(text: str) -> str:
    """Runs of white space as one space. The regex only where there is one:
    `\\s+` tries every character (10 µs for a 120-character segment); a text
    is printable with no double space when its only white space is single
    spaces (Python counts every other space and line break as unprintable)."""
    if "  " in text or not text.isprintable():
        return _SPACES.sub(" ", text)
    return text


def snippet(text: str, words: list[str], width: int = WIDTH) -> list[Segment]:
    """Segments of `text` around the first of `words` in it; [] when none is."""
    return Snipper(words, width)(text)
