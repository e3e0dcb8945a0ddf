"""Reply checks of SPEC §5 (pure functions, no database)."""

from __future__ import annotations

from herodesk.tickets.checks import check_reply, greets_by_name, internal_links, word_count

POLITE = (
    "Hey Ana, thanks for the report and sorry for the trouble! I looked at your "
    "project and the export failed because the bucket policy changed; once you allow "
    "our role again it will run on the next hour. Best, Hera"
)


def codes(body: str, **kwargs: object) -> list[str]:
    return [w.code for w in check_reply(body, **kwargs)]  # type: ignore[arg-type]


def test_a_polite_reply_greeting_the_requester_by_name_has_no_warnings() -> None:
    assert check_reply(POLITE, first_name="Ana") == []


def test_a_reply_without_a_greeting_is_flagged_with_an_example_using_the_name() -> None:
    body = POLITE.replace("Hey Ana, t", "T")
    warnings = check_reply(body, first_name="Ana")
    assert [w.code for w in warnings] == ["greeting"]
    assert "Hey Ana" in warnings[0].message


def test_a_greeting_to_someone_else_is_not_a_greeting_by_name() -> None:
    assert not greets_by_name("Hi Bob, thanks!", "Ana")
    assert greets_by_name("Hi Ana, thanks!", "Ana")


def test_names_match_without_accents_or_case() -> None:
    assert greets_by_name("Hello lucia,\n\nthanks", "Lucía")
    assert greets_by_name("Good morning LUCÍA — thanks", "lucia")


def test_the_greeting_must_open_the_reply_not_appear_later() -> None:
    assert not greets_by_name("The fix is out.\n\nHey Ana, thanks", "Ana")
    assert greets_by_name("\n\n  Hey Ana,\nthe fix is out", "Ana")


def test_without_a_known_name_any_greeting_passes() -> None:
    assert greets_by_name("Hi there, thanks for writing", "")


def test_a_short_reply_reads_terse() -> None:
    assert codes("Hey Ana, fixed.", first_name="Ana") == ["terse"]
    assert word_count("Hey Ana, fixed.") == 3


def test_internal_links_are_flagged_in_public_replies() -> None:
    body = POLITE + " See https://posthog.slack.com/archives/C1/p123 for details."
    warnings = check_reply(body, first_name="Ana")
    assert [w.code for w in warnings] == ["internal_link"]
    assert "https://posthog.slack.com/archives/C1/p123" in warnings[0].message


def test_public_links_are_fine() -> None:
    assert codes(POLITE + " Docs: https://posthog.com/docs/export.", first_name="Ana") == []


def test_host_patterns_can_carry_a_path_prefix() -> None:
    body = (
        "see https://app.example.com/admin/user/4 and https://app.example.com/project/2 "
        "and www.wiki.corp/page"
    )
    found = internal_links(body, ["app.example.com/admin", "*.corp"])
    assert found == ["https://app.example.com/admin/user/4", "www.wiki.corp/page"]


def test_internal_notes_are_never_checked() -> None:
    assert check_reply("see https://x.slack.com/a", first_name="Ana", public=False) == []


def test_an_empty_draft_has_no_warnings_yet() -> None:
    assert check_reply("   ", first_name="Ana") == []
