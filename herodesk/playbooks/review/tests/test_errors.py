"""`unhandled-errors`: handlers that throw plain errors when an outbound call fails."""

from __future__ import annotations

import pytest

from .test_checks import found, review


def flagged(source: str, **more: str) -> list[tuple[str, int, str]]:
    files: dict[str, bytes | None] = {"index.ts": source.encode()}
    files.update({k: v.encode() for k, v in more.items()})
    return found(review(files), "unhandled-errors")


def test_a_plain_error_after_a_failed_request_is_flagged_with_a_suggestion():
    source = (
        "export async function onEvent(event, { config }) {\n"
        "  const res = await fetch(config.url, { method: 'POST' })\n"
        "  if (!res.ok) {\n"
        "    throw new Error(`status ${res.status}`)\n"
        "  }\n"
        "}\n"
    )
    assert flagged(source) == [
        (
            "index.ts",
            4,
            "`throw new Error(`status ${res.status}`)` in onEvent when an outbound call fails: "
            "throw `RetryError` so the call is retried",
        )
    ]


@pytest.mark.parametrize(
    ("source", "line"),
    [
        (
            "export const processEvent = async (e) => {\n"
            "  try {\n"
            "    await posthog.api.post('/x')\n"
            "  } catch (err) {\n    throw err\n  }\n  return e\n}",
            5,
        ),
        (
            "async function send(e) {\n"
            "  const r = await fetch('x')\n"
            "  return r.ok ? r : (() => { throw 1 })()\n"
            "}\n"
            "async function deliver(e) {\n"
            "  const r = await send(e)\n"
            "  if (r.status >= 500) throw new TypeError('down')\n"
            "}\n"
            "module.exports = { onEvent: deliver }",
            7,
        ),
        (
            "export default {\n  async runEveryMinute() {\n    const r = await fetch('x')\n"
            "    if (r.status !== 200) { throw new Error('no') }\n  },\n}",
            4,
        ),
        (
            "const plugin = { exportEvents }\nasync function exportEvents(events) {\n"
            "  const res = await fetch('x', { body: JSON.stringify(events) })\n"
            "  if (!res.ok) throw new Error('export failed')\n}\nexport default plugin",
            4,
        ),
    ],
)
def test_handlers_are_found_however_they_are_exported(source, line):
    assert [found_line for _f, found_line, _m in flagged(source)] == [line]


def test_throws_in_helpers_in_other_files_are_followed():
    helper = (
        "export async function post(body) {\n  const res = await fetch('https://x', { body })\n"
        "  if (!res.ok) {\n    throw new Error('failed')\n  }\n}\n"
    )
    source = "import { post } from './http'\nexport async function onEvent(e) { await post(e) }\n"
    assert flagged(source, **{"http.ts": helper}) == [
        (
            "http.ts",
            4,
            "`throw new Error('failed')` in onEvent when an outbound call fails: "
            "throw `RetryError` so the call is retried",
        )
    ]


@pytest.mark.parametrize(
    "source",
    [
        # RetryError is the right thing
        "export async function onEvent(e) {\n"
        "  const r = await fetch('x')\n"
        "  if (!r.ok) throw new RetryError('later')\n"
        "}",
        "import * as s from 'scaffold'\nexport async function onEvent(e) {\n"
        "  try { await fetch('x') } catch (e) { throw new s.RetryError('later') }\n}",
        # a throw about the configuration, not about a request
        "export async function setupPlugin({ config }) {\n"
        "  if (!config.key) throw new Error('set a key')\n"
        "  await fetch('x')\n}",
        # thrown inside a try whose catch turns it into a RetryError (PostHog's HubSpot app)
        "export async function setupPlugin({ config }) {\n  try {\n"
        "    const res = await fetch('https://api.example/contacts')\n"
        "    if (!res.ok) {\n      throw new Error('Unable to connect')\n    }\n"
        "  } catch (error) {\n    throw new RetryError(error)\n  }\n}",
        # a handler that never reaches the network
        "export async function processEvent(e) {\n"
        "  if (!e.event) throw new Error('no event')\n"
        "  return e\n"
        "}",
        # not an exported handler
        "async function helper() {\n"
        "  const r = await fetch('x')\n"
        "  if (!r.ok) throw new Error('x')\n"
        "}",
    ],
)
def test_fine_error_handling_is_not_flagged(source):
    assert flagged(source) == []
