"""Server-side SVG charts: a line chart, bars and stacked bars. Pure Python.

Why not a library: the pages carry a strict Content-Security-Policy (no inline
<style>, no style="" attributes, no inline script). pygal — the best-kept
Python SVG chart library on PyPI — styles its charts with an embedded
<style> sheet and loads tooltip JavaScript, so inlined in a page its charts
lose their colours under that policy. These charts use SVG presentation
attributes (fill, stroke), which a CSP does not govern, plus class names the
app's stylesheet can refine; they need no JavaScript and no build step.

Accessibility: each chart is role="img" with a <title> and a <desc> that
sums it up; every point or bar carries a <title> (the browser's tooltip) with
its exact value. Pages show a table with the same numbers behind each chart.
All text is escaped here: the result is safe to insert into HTML as is.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
INK, MUTED, GRID = "#1b2130", "#5d6679", "#e3e6ed"
WIDTH, HEIGHT = 720, 260
PAD_L, PAD_R, PAD_T, PAD_B = 56, 16, 42, 44
CHAR_PX = 7  # a generous width of one 12 px character
FONT = 'font-family="system-ui, sans-serif"'
_ids = itertools.count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    color: str | None = None


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values 0, step, 2·step, … reaching at least `top` (1–2–5 steps)."""
    if not top > 0 or math.isinf(top):
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    n = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(n + 1)]


def fmt(value: float) -> str:
    """A short number: 1234 → 1,234; 12.34 → 12.3; 0.5 → 0.5."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2g}"


class _Frame:
    """Plot area geometry and the shared SVG pieces (axes, labels, legend)."""

    def __init__(self, title: str, desc: str, labels: Sequence[str], top: float, unit: str):
        self.uid = f"chart{next(_ids)}"
        self.labels = list(labels)
        self.ticks = nice_ticks(top)
        self.top = self.ticks[-1] or 1.0
        self.unit = unit
        self.x0, self.x1 = PAD_L, WIDTH - PAD_R
        self.y0, self.y1 = HEIGHT - PAD_B, PAD_T
        self.parts: list[str] = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}"'
            f' role="img" aria-labelledby="{self.uid}-t {self.uid}-d" {FONT} font-size="12">',
            f'<title id="{self.uid}-t">{escape(title)}</title>',
            f'<desc id="{self.uid}-d">{escape(desc)}</desc>',
        ]

    def y(self, value: float) -> float:
        return self.y0 - (self.y0 - self.y1) * (value / self.top)

    def slot(self, i: int) -> tuple[float, float]:
        """Left edge and width of category i."""
        width = (self.x1 - self.x0) / max(len(self.labels), 1)
        return self.x0 + i * width, width

    def axes(self) -> None:
        for tick in self.ticks:
            y = self.y(tick)
            self.parts.append(
                f'<line x1="{self.x0}" x2="{self.x1}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
                f'<text x="{self.x0 - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">'
                f"{escape(fmt(tick))}</text>"
            )
        if self.unit:
            self.parts.append(
                f'<text x="4" y="{self.y1 - 12}" fill="{MUTED}">{escape(self.unit)}</text>'
            )
        _, slot = self.slot(0)
        widest = max((len(_short(label)) for label in self.labels), default=1) * CHAR_PX + 10
        every = max(1, math.ceil(widest / slot))  # labels never overlap
        for i, label in enumerate(self.labels):
            if i % every:
                continue
            left, width = self.slot(i)
            self.parts.append(
                f'<text x="{left + width / 2:.1f}" y="{self.y0 + 16}" text-anchor="middle"'
                f' fill="{INK}">{escape(_short(label))}</text>'
            )
        self.parts.append(
            f'<line x1="{self.x0}" x2="{self.x1}" y1="{self.y0}" y2="{self.y0}" stroke="{MUTED}"/>'
        )

    def legend(self, series: Sequence[Series]) -> None:
        x = float(self.x0)
        for s in series:
            self.parts.append(
                f'<rect x="{x:.1f}" y="8" width="12" height="12" rx="2" fill="{s.color}"/>'
                f'<text x="{x + 16:.1f}" y="18" fill="{INK}">{escape(s.name)}</text>'
            )
            x += 28 + 7 * len(s.name)

    def svg(self) -> str:
        return "".join([*self.parts, "</svg>"])


def _short(label: str, limit: int = 14) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _colored(series: Sequence[Series]) -> list[Series]:
    return [
        s if s.color else Series(s.name, s.values, PALETTE[i % len(PALETTE)])
        for i, s in enumerate(series)
    ]


def _top(values: list[float]) -> float:
    return max(values, default=0.0)


def _empty(title: str, desc: str) -> str:
    uid = f"chart{next(_ids)}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} 80"'
        f' role="img" aria-labelledby="{uid}-t {uid}-d" {FONT} font-size="13">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>'
        f'<text x="{WIDTH / 2}" y="44" text-anchor="middle" fill="{MUTED}">No data in this range'
        "</text></svg>"
    )


def line_chart(
    title: str, desc: str, labels: Sequence[str], series: Sequence[Series], unit: str = ""
) -> str:
    """One line per series over the categories; a None value breaks the line."""
    series = _colored(series)
    values = [v for s in series for v in s.values if v is not None]
    if not labels or not values:
        return _empty(title, desc)
    frame = _Frame(title, desc, labels, _top(values), unit)
    frame.axes()
    for s in series:
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            left, width = frame.slot(i)
            runs[-1].append((left + width / 2, frame.y(value)))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                frame.parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{s.color}"'
                    ' stroke-width="2.5" stroke-linejoin="round"/>'
                )
        for i, value in enumerate(s.values):
            if value is None:
                continue
            left, width = frame.slot(i)
            tip = f"{s.name}, {labels[i]}: {fmt(value)} {unit}".rstrip()
            frame.parts.append(
                f'<circle cx="{left + width / 2:.1f}" cy="{frame.y(value):.1f}" r="3.5"'
                f' fill="{s.color}"><title>{escape(tip)}</title></circle>'
            )
    frame.legend(series)
    return frame.svg()


def stacked_bars(
    title: str, desc: str, labels: Sequence[str], series: Sequence[Series], unit: str = ""
) -> str:
    """One bar per category, the series stacked bottom-up in the given order."""
    series = _colored(series)
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    if not labels or not any(totals):
        return _empty(title, desc)
    frame = _Frame(title, desc, labels, _top(totals), unit)
    frame.axes()
    for i, label in enumerate(labels):
        left, width = frame.slot(i)
        base = 0.0
        for s in series:
            value = s.values[i] or 0
            if value <= 0:
                continue
            y_top, y_bottom = frame.y(base + value), frame.y(base)
            tip = f"{label}, {s.name}: {fmt(value)} {unit}".rstrip()
            frame.parts.append(
                f'<rect x="{left + width * 0.15:.1f}" y="{y_top:.1f}" width="{width * 0.7:.1f}"'
                f' height="{y_bottom - y_top:.1f}" fill="{s.color}"><title>{escape(tip)}</title>'
                "</rect>"
            )
            base += value
    frame.legend(series)
    return frame.svg()


def bar_chart(
    title: str,
    desc: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    unit: str = "",
    color: str = PALETTE[0],
) -> str:
    """One bar per category, its value written above it."""
    if not labels or not any(v for v in values if v is not None):
        return _empty(title, desc)
    frame = _Frame(title, desc, labels, _top([v for v in values if v is not None]), unit)
    frame.axes()
    for i, value in enumerate(values):
        if value is None:
            continue
        left, width = frame.slot(i)
        y = frame.y(value)
        tip = f"{labels[i]}: {fmt(value)} {unit}".rstrip()
        frame.parts.append(
            f'<rect x="{left + width * 0.2:.1f}" y="{y:.1f}" width="{width * 0.6:.1f}"'
            f' height="{frame.y0 - y:.1f}" fill="{color}"><title>{escape(tip)}</title></rect>'
        )
        if len(labels) <= 16:
            frame.parts.append(
                f'<text x="{left + width / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle"'
                f' fill="{INK}">{escape(fmt(value))}</text>'
            )
    return frame.svg()
