"""SVG charts: valid, accessible, CSP-clean, escaped, and drawn to scale."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from herodesk.web import charts

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def every(root: ET.Element, tag: str) -> list[ET.Element]:
    return root.findall(f".//s:{tag}", NS)


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (7, [0, 2, 4, 6, 8]),
        (10, [0, 2, 4, 6, 8, 10]),
        (0.3, [0, 0.1, 0.2, 0.3]),
        (1234, [0, 250, 500, 750, 1000, 1250]),
        (0, [0, 1]),
    ],
)
def test_nice_ticks_reach_the_top_in_round_steps(top: float, ticks: list[float]) -> None:
    assert charts.nice_ticks(top) == ticks


def test_a_chart_is_an_image_named_by_its_title_and_description() -> None:
    svg = charts.bar_chart("Volume by channel", "Email had most.", ["email", "slack"], [3, 1])
    root = parse(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    assert root.find(f"s:title[@id='{title_id}']", NS).text == "Volume by channel"  # type: ignore[union-attr]
    assert root.find(f"s:desc[@id='{desc_id}']", NS).text == "Email had most."  # type: ignore[union-attr]


def test_no_inline_style_or_script_so_a_strict_csp_keeps_the_colours() -> None:
    svgs = [
        charts.line_chart("t", "d", ["a", "b"], [charts.Series("p50", [1, 2])]),
        charts.stacked_bars("t", "d", ["a"], [charts.Series("great", [1])]),
        charts.bar_chart("t", "d", ["a"], [1]),
    ]
    for svg in svgs:
        root = parse(svg)
        assert not every(root, "style") and not every(root, "script")
        assert all("style" not in el.attrib for el in root.iter())


def test_text_is_escaped() -> None:
    svg = charts.bar_chart("<script>x</script>", "a & b", ['"><img>'], [1])
    root = parse(svg)  # still well-formed XML
    assert root.find("s:title", NS).text == "<script>x</script>"  # type: ignore[union-attr]
    assert "<img>" not in svg and "<script>" not in svg


def test_bars_are_drawn_to_scale_with_their_value_as_tooltip() -> None:
    root = parse(charts.bar_chart("t", "d", ["a", "b"], [10, 5], unit="min"))
    a, b = every(root, "rect")
    assert float(a.get("height", 0)) == pytest.approx(2 * float(b.get("height", 0)))
    assert a.find("s:title", NS).text == "a: 10 min"  # type: ignore[union-attr]


def test_stacked_bars_stack_bottom_up_in_series_order() -> None:
    series = [charts.Series("great", [3, 0]), charts.Series("okay", [1, 2])]
    root = parse(charts.stacked_bars("t", "d", ["w1", "w2"], series))
    great, okay, okay2 = every(root, "rect")[:3]
    assert float(great.get("y", 0)) == pytest.approx(
        float(okay.get("y", 0)) + float(okay.get("height", 0))
    )
    assert okay2.find("s:title", NS).text == "w2, okay: 2"  # type: ignore[union-attr]
    legend = [t.text for t in every(root, "text")][-2:]
    assert legend == ["great", "okay"]


def test_a_missing_value_breaks_the_line() -> None:
    root = parse(
        charts.line_chart("t", "d", list("abcde"), [charts.Series("p50", [1, 2, None, 4, 5])])
    )
    assert len(every(root, "polyline")) == 2
    assert len(every(root, "circle")) == 4


def test_an_empty_chart_says_so() -> None:
    for svg in (
        charts.line_chart("t", "d", [], []),
        charts.stacked_bars("t", "d", ["a"], [charts.Series("x", [0])]),
        charts.bar_chart("t", "d", ["a"], [None]),
    ):
        assert "No data in this range" in svg
        assert parse(svg).get("role") == "img"


def test_long_label_lists_are_thinned_to_stay_legible() -> None:
    labels = [f"2026-W{i:02d}" for i in range(1, 53)]
    root = parse(charts.line_chart("t", "d", labels, [charts.Series("n", list(range(52)))]))
    shown = [t.text for t in every(root, "text") if (t.text or "").startswith("2026-W")]
    assert 8 <= len(shown) <= 13 and shown[0] == "2026-W01"
