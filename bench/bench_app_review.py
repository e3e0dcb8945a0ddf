"""App review: read a plugin archive and run every check on it.

    .venv/bin/python bench/bench_app_review.py [--files 200] [--mb 2.0] [--rounds 7]

Builds (deterministically) a plugin of ~200 JavaScript/TypeScript files adding
up to ~2 MB of source, the size of a large PostHog app, with realistic shapes:
imports of axios/node-fetch/helpers, TypeScript interfaces, exported handlers,
bounded loops with requests, comments and string literals, plus a few
problems for the checks to find. Times `review_archive()` on the zip and the
tar.gz (read + parse + checks), and `review_update()` against a previous
version with 20 changed files. Prints the median and the worst of the rounds.
Target: ≤ 1 s for the 2 MB archive.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from herodesk.playbooks.review import review_archive, review_update
from herodesk.playbooks.review.tests.build import clean_plugin, tar_gz_bytes, zip_bytes

WORDS = [
    "event",
    "person",
    "cohort",
    "batch",
    "export",
    "record",
    "session",
    "insight",
    "flag",
    "action",
    "payload",
    "customer",
    "account",
    "invoice",
    "metric",
    "window",
    "retry",
    "cursor",
    "page",
    "token",
    "value",
]

HEADER_TS = """/**
 * {title}
 *
 * Part of the Hello Export plugin: {purpose}.
 */
import axios from 'axios'
import fetch from 'node-fetch'
import {{ RetryError }} from '@posthog/plugin-scaffold'
import type {{ PluginEvent, Meta }} from '@posthog/plugin-scaffold'
import {{ {helper} }} from './{sibling}'

export interface {Type} {{
    id: string
    {field}: number
    tags: string[]
    createdAt?: string
}}

const LIMIT_{UPPER} = {limit}
"""

FUNCTION = """
/** {doc} */
export async function {name}({arg}: {Type}[], config: Record<string, string>): Promise<number> {{
    let total = 0
    // Walk at most LIMIT_{UPPER} items; the API is rate limited.
    for (let i = 0; i < Math.min({arg}.length, LIMIT_{UPPER}); i++) {{
        const item = {arg}[i]
        if (!item || item.{field} < {threshold}) {{
            continue
        }}
        const response = await axios.post(`${{config.host}}/{path}/${{item.id}}`, {{
            id: item.id,
            {field}: item.{field} * {factor},
            tags: item.tags.filter((t) => t !== '{word}'),
        }})
        if (response.status >= 500) {{
            throw new RetryError(`{word} failed with ${{response.status}}`)
        }}
        total += {helper}(item.{field})
    }}
    const summary = {{ kind: '{word}', total, at: new Date().toISOString() }}
    return summary.total
}}
"""

SYNC = """
export function {name}Sync(values: number[]): number {{
    const seen = new Map<string, number>()
    for (const value of values) {{
        const key = `{word}-${{value % {mod}}}`
        seen.set(key, (seen.get(key) ?? 0) + value)
    }}
    let best = 0
    seen.forEach((v) => {{
        best = Math.max(best, v)
    }})
    return best > {threshold} ? best : 0
}}
"""

HANDLERS = """
export async function onEvent(event: PluginEvent, { config }: Meta): Promise<void> {
    const body = JSON.stringify(event)
    const res = await fetch(`${config.host}/events`, { method: 'POST', body })
    if (!res.ok) {
        throw new RetryError(`events answered ${res.status}`)
    }
}

export async function runEveryMinute({ config }: Meta): Promise<void> {
    while (true) {
        await posthog.api.get('/api/projects/@current/insights')
    }
}
"""


def source_file(rng: random.Random, index: int, count: int, target: int) -> str:
    word = rng.choice(WORDS)
    Type = f"{word.title()}{index}"
    fields = dict(
        title=f"{word.title()} sync, part {index}",
        purpose=f"keeps {word}s in step with the destination",
        helper=f"weigh{(index + 1) % count}",
        sibling=f"module{(index + 1) % count}",
        Type=Type,
        field=rng.choice(WORDS) + "Count",
        UPPER=word.upper(),
        limit=rng.randint(10, 500),
    )
    parts = [HEADER_TS.format(**fields), f"\nexport const weigh{index} = (n: number) => n * 2\n"]
    n = 0
    while sum(map(len, parts)) < target:
        n += 1
        more = dict(
            fields,
            name=f"{word}Batch{index}x{n}",
            arg=rng.choice(WORDS) + "s",
            doc=f"Sends {word} batch {n} of {index}; {rng.choice(WORDS)} first.",
            threshold=rng.randint(0, 99),
            factor=rng.randint(2, 9),
            path=f"api/v{rng.randint(1, 3)}/{rng.choice(WORDS)}s",
            word=rng.choice(WORDS),
            mod=rng.randint(3, 17),
        )
        parts.append(FUNCTION.format(**more))
        parts.append(SYNC.format(**more))
    return "".join(parts)


def plugin(files: int, megabytes: float, seed: int = 1) -> dict[str, bytes]:
    rng = random.Random(seed)
    per_file = int(megabytes * 1_000_000 / files)
    out = clean_plugin()
    out.pop("index.ts")
    out["plugin.json"] = out["plugin.json"].replace(b'"index.ts"', b'"src/module0.ts"')
    for i in range(files):
        out[f"src/module{i}.ts"] = source_file(rng, i, files, per_file).encode()
    out["src/module0.ts"] += HANDLERS.encode()
    return out


def timed(fn, rounds: int) -> tuple[float, float, float, object]:  # type: ignore[no-untyped-def]
    """Median and worst wall time, median CPU time of this process, the last result."""
    times, cpu, result = [], [], None
    for _ in range(rounds):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return statistics.median(times), max(times), statistics.median(cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--mb", type=float, default=2.0, help="megabytes of source")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    files = plugin(args.files, args.mb)
    source_bytes = sum(len(b) for p, b in files.items() if p.startswith("src/"))
    zipped, tarred = zip_bytes(files, prefix="hello-export-2.0/"), tar_gz_bytes(files)
    previous = dict(files)
    for i in range(0, 200, 10):
        previous[f"src/module{i}.ts"] = previous[f"src/module{i}.ts"].replace(b"* 2\n", b"* 3\n")
    old_zip = zip_bytes(previous)
    print(
        f"plugin: {args.files} source files, {source_bytes / 1e6:.2f} MB of source; "
        f"zip {len(zipped) / 1e6:.2f} MB, tar.gz {len(tarred) / 1e6:.2f} MB"
    )
    review_archive(zipped)  # warm up: grammars loaded once per process
    for name, fn in [
        ("review zip", lambda: review_archive(zipped)),
        ("review tar.gz", lambda: review_archive(tarred)),
        ("update review (zip vs zip)", lambda: review_update(zipped, old_zip)),
    ]:
        median, worst, cpu, result = timed(fn, args.rounds)
        codes = sorted({f.code for f in result.findings})  # type: ignore[attr-defined]
        stats = result.stats  # type: ignore[attr-defined]
        print(
            f"{name:>28}: median {median * 1000:5.0f} ms, worst {worst * 1000:5.0f} ms, "
            f"CPU {cpu * 1000:5.0f} ms "
            f"(parse {stats['parse_s'] * 1000:.0f} ms, checks {stats['checks_s'] * 1000:.0f} ms); "
            f"findings: {', '.join(codes)}"
        )


if __name__ == "__main__":
    main()
