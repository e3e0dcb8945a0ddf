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
        pattern = "|".join(re.escape(s) for s in sorted(self.stems, key=len, reverse=True))
        self.ascii = re.compile(rf"(?<![^\W_])(?:{pattern})[^\W_]*", re.IGNORECASE)

    def _hits(self, text: str) -> Iterator[re.Match[str]]:
        if text.isascii():  # the common case: a word starting with a stem, no folding needed
            return self.ascii.finditer(text)
        return (m for m in _WORD.finditer(text) if stem(m.group()) in self.stems)

    def __call__(self, text: str) -> list[Segment]:
        """Segments of `text` around the first of the words in it; [] when none is."""
        if not self.stems or not text:
            return []
        hits = self._hits(text)
        first = next(hits, None)
        if first is None:
            return []
        width = self.width
        start = max(0, first.start() - width // 3)
        if start:  # begin at a word
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first.start() else start
        end = min(len(text), start + width)
        if end < len(text):
            space = text.rfind(" ", first.end(), end)
            end = space if space > 0 else end
        segments: list[Segment] = [("…", False)] if start else []
        at = start
        for m in itertools.chain((first,), hits):
            if m.end() > end:  # hits come in order: the rest are past the cut too
                break
            if m.start() > at:
                segments.append((text[at : m.start()], False))
            segments.append((m.group(), True))
            at = m.end()
        if at < end:
            segments.append((text[at:end], False))
        if end < len(text):
            segments.append(("…", False))
        return [(s if marked else _SPACES.sub(" ", s), marked) for s, marked in segments]


def snippet(text: str, words: list[str], width: int = WIDTH) -> list[Segment]:
    """Segments of `text` around the first of `words` in it; [] when none is."""
    return Snipper(words, width)(text)
