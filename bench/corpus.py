"""Synthetic help-desk text for the search benchmarks: deterministic, Zipf-like.

Every ticket gets a subject and three messages (requester, public reply,
requester follow-up) of ordinary support words plus a long tail of made-up
ones, so an index sees a realistic vocabulary (a few thousand distinct
words, most of them rare). Marker words are planted at known rates:

- `zyzzyvant`: in no ticket,
- `kestrel`: in 0.1 % of tickets (every 1,000th),
- `heron`: in 1 % (every 100th),
- `webhook`: in 30 % (a seeded coin),
- the phrase `billing export`: in 1 % (every 100th, offset 50), while
  `billing` and `export` alone each appear in about 10 %.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

CASES = {
    "none": "zyzzyvant",
    "0.1%": "kestrel",
    "1%": "heron",
    "30%": "webhook",
    "phrase": '"billing export"',
}
MARKERS = {"zyzzyvant", "kestrel", "heron", "webhook", "webhooks", "billing", "export"}

_COMMON = (
    "the a to and of is in it for on that this we you i with our are not be have can "
    "but from when after was as if at by or so my your they has do there what would "
    "please thanks hello hi any help issue problem error working again since update "
    "event events dashboard insight insights query queries cohort cohorts feature flag "
    "flags session recording recordings plugin app data pipeline ingestion delay delayed "
    "missing wrong count counts user users person persons team project organization "
    "invite login password reset email invoice plan upgrade downgrade api key token "
    "limit rate timeout slow page chart filter property properties group groups action "
    "actions funnel retention path trends survey experiment notebook cloud self hosted "
    "docker helm kubernetes upgrade migration postgres clickhouse kafka redis worker "
    "celery sentry github slack zendesk hubspot salesforce stripe segment snowflake "
    "bigquery s3 destination source sync import backfill duplicate merge identify alias"
)
COMMON = _COMMON.split()


def _made_up_words(count: int, rng: random.Random) -> list[str]:
    """Pronounceable non-words (the long tail of names, ids and typos)."""
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    words: set[str] = set()
    while len(words) < count:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if not any(m in word for m in MARKERS):
            words.add(word)
    return sorted(words)


@dataclass
class TicketText:
    subject: str
    bodies: tuple[str, str, str]


class Corpus:
    def __init__(self, seed: int = 17) -> None:
        rng = random.Random(seed)
        self.vocabulary = COMMON + _made_up_words(4000, rng)
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.vocabulary))]
        self.cumulative = list(itertools.accumulate(weights))

    def words(self, rng: random.Random, n: int) -> list[str]:
        return rng.choices(self.vocabulary, cum_weights=self.cumulative, k=n)

    def ticket(self, i: int) -> TicketText:
        """The text of ticket number `i` (same text for the same i)."""
        rng = random.Random(i * 7919 + 1)
        subject = self.words(rng, rng.randint(4, 8))
        bodies = [self.words(rng, rng.randint(30, 60)), self.words(rng, rng.randint(30, 60))]
        bodies.append(self.words(rng, rng.randint(15, 30)))
        if i % 1000 == 7:
            _plant(rng, bodies, ["kestrel"])
        if i % 100 == 3:
            _plant(rng, bodies, ["heron"])
        if rng.random() < 0.3:
            _plant(rng, bodies, ["webhook"])
        if i % 100 == 50:
            _plant(rng, bodies, ["billing", "export"])
        elif rng.random() < 0.1:
            _plant(rng, bodies, ["billing"])
        if i % 100 != 50 and rng.random() < 0.1:
            _plant(rng, bodies, ["export"])
        return TicketText(" ".join(subject).capitalize(), tuple(" ".join(b) for b in bodies))  # type: ignore[arg-type]


def _plant(rng: random.Random, bodies: list[list[str]], words: list[str]) -> None:
    body = rng.choice(bodies)
    at = rng.randrange(len(body) + 1)
    body[at:at] = words
