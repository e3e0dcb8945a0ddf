"""The parser on damaged input: it answers a ParsedEmail or MalformedEmail, nothing else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from herodesk.intake.email.clean import html_to_text, sanitize_html, strip_reply
from herodesk.intake.email.parse import (
    MalformedEmail,
    clean_text,
    decode_bytes,
    decode_header_value,
    message_ids,
    parse_email,
)

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("*.eml"))
SAMPLES = [p.read_bytes() for p in FIXTURES]


def parse_or_malformed(raw: bytes) -> None:
    try:
        mail = parse_email(raw)
    except MalformedEmail as exc:
        assert str(exc)
        return
    for text in (mail.subject, mail.text, mail.html, mail.from_name, *mail.headers.values()):
        assert "\x00" not in text
        text.encode("utf-8")  # storable: no lone surrogates


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SAMPLES),
    st.lists(st.tuples(st.integers(0, 10_000), st.binary(max_size=8)), max_size=8),
    st.integers(0, 10_000),
)
def test_damaged_real_mail_never_crashes_the_parser(sample, edits, cut):
    raw = bytearray(sample)
    for at, junk in edits:
        at %= len(raw) + 1
        raw[at : at + len(junk)] = junk
    parse_or_malformed(bytes(raw[: max(cut, 1)]))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_the_parser(raw):
    parse_or_malformed(raw)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_header_decoding_and_ids_never_crash(value):
    assert "\x00" not in decode_header_value(value)
    assert all(mid.startswith("<") and mid.endswith(">") for mid in message_ids(value))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=2000))
def test_display_helpers_never_crash(text):
    strip_reply(text)
    html_to_text(text)
    sanitize_html(text)


def test_charset_ladder():
    assert decode_bytes("Ærø".encode("latin-1"), "iso-8859-1") == "Ærø"
    assert decode_bytes("naïve".encode(), "us-ascii") == "naïve"  # mislabeled UTF-8
    assert decode_bytes("€5".encode("cp1252"), None) == "€5"  # undeclared, not UTF-8
    assert decode_bytes("€5".encode(), "no-such-charset") == "€5"
    assert decode_bytes("中文".encode("gbk"), "gb2312") == "中文"


def test_clean_text_decodes_raw_8bit_header_bytes():
    escaped = "Grüße".encode().decode("ascii", "surrogateescape")
    assert clean_text(escaped) == "Grüße"
    assert clean_text("a\x00b") == "ab"


def test_message_ids_tolerate_missing_brackets_and_junk():
    assert message_ids("<a@b> junk <c@d>") == ["<a@b>", "<c@d>"]
    assert message_ids("bare@id.example") == ["<bare@id.example>"]
    assert message_ids("<" + "x" * 300 + "@toolong>") == []
    assert message_ids("no id here") == []
