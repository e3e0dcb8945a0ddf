"""Snippets for search results: a short cut of a message around the first word
of the query it contains, with the query's words marked. Pure Python.

Matching folds case and diacritics (like both indexes) and accepts other
forms of a word by a shared stem ("webhooks" for "webhook", "exported" for
"export"), close to what the indexes' stemmers match. Returns segments
(text, marked) so a template escapes the text and wraps the marked parts.
"""

from __future__ import annotations

import re
import unicodedata

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


def snippet(text: str, words: list[str], width: int = WIDTH) -> list[Segment]:
    """Segments of `text` around the first of `words` in it; [] when none is."""
    stems = {stem(w) for w in words if w.strip()}
    if not stems or not text:
        return []
    if text.isascii():  # the common case: a word starting with a stem, no folding needed
        pattern = "|".join(re.escape(s) for s in sorted(stems, key=len, reverse=True))
        hits = list(re.finditer(rf"(?<![^\W_])(?:{pattern})[^\W_]*", text, re.IGNORECASE))
    else:
        hits = [m for m in _WORD.finditer(text) if stem(m.group()) in stems]
    if not hits:
        return []
    start = max(0, hits[0].start() - width // 3)
    if start:  # begin at a word
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < hits[0].start() else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", hits[0].end(), end)
        end = space if space > 0 else end
    segments: list[Segment] = [("…", False)] if start else []
    at = start
    for m in hits:
        if m.start() < start or m.end() > end:
            continue
        if m.start() > at:
            segments.append((text[at : m.start()], False))
        segments.append((m.group(), True))
        at = m.end()
    if at < end:
        segments.append((text[at:end], False))
    if end < len(text):
        segments.append(("…", False))
    return [(s if marked else _SPACES.sub(" ", s), marked) for s, marked in segments]
