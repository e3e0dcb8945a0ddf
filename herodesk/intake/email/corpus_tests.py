"""CPython's own email test corpus (Lib/test/test_email/data of the running
Python): every file ends as a ticket or a recorded failure/ignore, never a crash."""

from __future__ import annotations

import email
from collections import Counter
from pathlib import Path

import pytest

from herodesk.intake.models import Delivery
from herodesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db

CORPUS = Path(email.__file__).parent.parent / "test" / "test_email" / "data"
FILES = sorted(p for p in CORPUS.glob("*") if p.is_file()) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(
    not FILES,
    reason=f"this Python has no email test corpus at {CORPUS} (Lib/test not "
    "installed, e.g. Debian without python3-test)",
)


@needs_corpus
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_never_crashes(deliver, path):
    delivery = deliver(path.read_bytes())
    assert delivery.status in ("processed", "ignored", "failed")
    if delivery.status == "processed":
        assert delivery.ticket is not None and delivery.ticket.messages.exists()
        assert delivery.ticket.subject and delivery.ticket.messages.first().body.strip()
    else:
        assert delivery.error  # a reason a person can read


@needs_corpus
def test_corpus_mostly_becomes_tickets(deliver):
    """The corpus is mail, not noise: its messages with a sender open tickets."""
    for path in FILES:
        deliver(path.read_bytes())
    outcome = Counter(Delivery.objects.values_list("status", flat=True))
    mails = [p for p in FILES if p.name.startswith("msg_")]
    assert outcome["processed"] >= len(mails) * 0.6, outcome
    assert (
        Ticket.objects.filter(channel="email").count() == outcome["processed"]
        or Ticket.objects.count() <= outcome["processed"]
    )
    # Images and sounds in the corpus are not mail: each is a failure with its reason.
    for delivery in Delivery.objects.filter(status="failed"):
        assert "malformed email" in delivery.error
