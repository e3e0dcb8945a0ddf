"""`unbounded-requests`: requests whose number the plugin does not bound."""

from __future__ import annotations

import pytest

from .test_checks import found, review


def flagged(source: str, **more: str) -> list[tuple[str, int, str]]:
    files: dict[str, bytes | None] = {"index.ts": source.encode()}
    files.update({k: v.encode() for k, v in more.items()})
    return found(review(files), "unbounded-requests")


def lines_and_reasons(source: str, **more: str) -> list[tuple[int, str]]:
    return [
        (line, message.split(" inside ", 1)[1]) for _f, line, message in flagged(source, **more)
    ]


UNBOUNDED = [
    (
        "export async function onEvent(e) {\n  while (true) {\n    await fetch(e.url)\n  }\n}",
        [(3, "`while (true)` (line 2): the number of requests has no fixed bound")],
    ),
    (
        "export async function onEvent(e) {\n  for (;;) { await fetch(e.url) }\n}",
        [(2, "`for (;;)` (line 2)")],
    ),
    (
        "async function go() {\n  do { await fetch('x') } while (1)\n}",
        [(2, "`while (true)` (line 2)")],
    ),
    (
        "async function go(state) {\n  while (state.running) {\n    await fetch('x')\n  }\n}",
        [(3, "a `while` loop whose condition never changes (line 2)")],
    ),
    (
        "class P { async go() {\n  while (this.on) {\n    await fetch('x')\n  }\n} }",
        [(3, "a `while` loop whose condition never changes (line 2)")],
    ),
    (
        "async function sync(config) {\n  let url = config.start\n  while (url) {\n"
        "    const res = await fetch(url)\n"
        "    const page = await res.json()\n"
        "    url = page.next\n"
        "  }\n"
        "}",
        [(4, "a `while` loop whose condition depends on a response (line 3)")],
    ),
    (
        "async function all() {\n"
        "  const res = await fetch('/people')\n"
        "  const { results } = await res.json()\n"
        "  for (const person of results) {\n    await fetch(`/people/${person.id}`)\n  }\n}",
        [(5, "a loop over data from a response (line 4)")],
    ),
    (
        "async function all() {\n  const data = await (await fetch('/p')).json()\n"
        "  await Promise.all(data.items.map((i) => fetch(i.url)))\n}",
        [(3, "`.map()` over data from a response (line 3)")],
    ),
    (
        "async function pages() {\n"
        "  const first = await posthog.api.get('/a')\n"
        "  const total = (await first.json()).pages\n"
        "  for (let p = 0; p < total; p++) {\n    await posthog.api.get(`/a?page=${p}`)\n  }\n}",
        [(5, "a `for` loop whose condition depends on a response (line 4)")],
    ),
    (
        "export function setupPlugin() {\n"
        "  setInterval(async () => {\n"
        "    await fetch('https://x')\n"
        "  }, 1000)\n"
        "}",
        [(3, "`setInterval` (line 2)")],
    ),
    ("async function ping() { await fetch('x') }\nsetInterval(ping, 10)\n", [(2, "`setInterval`")]),
    (
        "async function poll(n) {\n  await fetch('x')\n  if (n) await poll(n - 1)\n}",
        [(3, "recursive `poll` (calls itself again at line 3)")],
    ),
    (
        "async function tick() {\n  await fetch('x')\n  setTimeout(tick, 100)\n}",
        [(3, "recursive `tick` (calls itself again at line 3)")],
    ),
    (
        "async function a() { await fetch('x'); await b() }\nasync function b() { await a() }",
        [(1, "recursive `a` (calls itself again at line 1)"), (2, "recursive `b`")],
    ),
]


@pytest.mark.parametrize(("source", "expected"), UNBOUNDED)
def test_unbounded_requests_are_flagged_with_the_loop(source, expected):
    got = lines_and_reasons(source)
    assert len(got) == len(expected), got
    for (line, reason), (want_line, want) in zip(got, expected, strict=True):
        assert line == want_line
        assert reason.startswith(want), reason


@pytest.mark.parametrize(
    ("prelude", "call"),
    [
        ("import axios from 'axios'", "axios.post(u, e)"),
        ("import ax from 'axios'", "ax.get(u)"),
        ("import axios from 'axios'\nconst api = axios.create({ baseURL: u })", "api.post('/e')"),
        ("const got = require('got')", "got(u)"),
        ("import fetchIt from 'node-fetch'", "fetchIt(u)"),
        ("const nf = require('node-fetch').default", "nf(u)"),
        ("import https from 'https'", "https.request(u)"),
        ("import * as web from 'node:http'", "web.get(u)"),
        ("const { request } = require('undici')", "request(u)"),
        ("import { get as httpsGet } from 'https'", "httpsGet(u)"),
        ("", "globalThis.fetch(u)"),
        ("", "posthog.api.post('/api/event', { data: e })"),
    ],
)
def test_every_client_is_recognised_by_its_import(prelude, call):
    source = (
        f"{prelude}\n"
        f"export async function onEvent(e, u) {{\n"
        f"  while (true) {{ await {call} }}\n"
        f"}}\n"
    )
    assert [line for _f, line, _m in flagged(source)] == [prelude.count("\n") + 3]


def test_a_look_alike_without_the_import_is_not_a_request():
    source = (
        "import { get } from './cache'\n"
        "export async function onEvent(e) {\n"
        "  while (true) { get(e) }\n"
        "}\n"
    )
    assert flagged(source) == []


def test_requests_through_helpers_in_other_files_are_followed():
    api = "export async function send(e) {\n  return fetch('https://x', { body: e })\n}\n"
    source = (
        "import { send } from './lib/api'\n"
        "export async function onEvent(e) {\n  for (;;) {\n    await send(e)\n  }\n}\n"
    )
    assert flagged(source, **{"lib/api.ts": api}) == [
        (
            "index.ts",
            4,
            "`send() → fetch` inside `for (;;)` (line 3): "
            "the number of requests has no fixed bound",
        )
    ]


@pytest.mark.parametrize(
    "source",
    [
        "export async function onEvent(e) {\n"
        "  for (let i = 0; i < 3; i++) { await fetch(e.url) }\n"
        "}",
        "export async function onEvent(e) {\n"
        "  let tries = 0\n"
        "  while (tries < 3) { tries++; await fetch('x') }\n"
        "}",
        "export async function onEvent(e) {\n"
        "  const q = [...e.items]\n"
        "  while (q.length) { await fetch(q.shift()) }\n"
        "}",
        "export async function exportEvents(events) {\n"
        "  for (const e of events) { await fetch(e.url) }\n"
        "}",
        "export async function onEvent(e) {\n"
        "  await Promise.all(e.properties.urls.map((u) => fetch(u)))\n"
        "}",
        "export async function onEvent(e) {\n"
        "  const r = await fetch('a')\n"
        "  const d = await r.json()\n"
        "  for (const k of ['x', 'y']) { await fetch(k + d.id) }\n}",
        "export async function onEvent(e) {\n"
        "  while (true) { if (e.x) break; e.x = 1 }\n"
        "  await fetch('x')\n"
        "}",
        "function count(n) { return n ? count(n - 1) : 0 }\n"
        "export async function onEvent() { await fetch('x') }",
        "// while (true) { fetch(x) }\n"
        "const s = 'for (;;) fetch(x)'\n"
        "export async function onEvent() {}",
    ],
)
def test_bounded_requests_are_not_flagged(source):
    assert flagged(source) == []
