"""Markdown bodies → safe HTML (markdown-it-py + nh3)."""

from __future__ import annotations

from herodesk.community.markdown import has_links, plain, render


def test_code_blocks_are_kept_and_escaped() -> None:
    html = render("```python\nprint('<b>hi</b>')\n```")
    assert html == (
        "<pre><code class=\"language-python\">print('&lt;b&gt;hi&lt;/b&gt;')\n</code></pre>"
    )
    assert "<code>x &lt; y</code>" in render("Use `x < y`.")


def test_raw_html_and_bad_links_do_not_survive() -> None:
    html = render("<script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:alert(1))")
    assert (
        "<script" not in html
        and "<img" not in html
        and "javascript:" not in html.replace("[a](javascript:alert(1))", "")
    )
    link = render("[docs](https://docs.example/x)")
    assert link == (
        '<p><a href="https://docs.example/x" rel="nofollow ugc noopener noreferrer">docs</a></p>'
    )
    assert 'class="language-' not in render('```x" onclick="y\ncode\n```')


def test_headings_sit_below_the_page_title_and_tables_work() -> None:
    assert render("# Big") == "<h3>Big</h3>"
    assert "<table>" in render("| a | b |\n|---|---|\n| 1 | 2 |")


def test_links_and_plain_excerpts() -> None:
    assert has_links("see https://x.example") and has_links("[x](/docs)")
    assert not has_links("no links, just text")
    assert plain("**Bold** <i>and</i> `code`") == "Bold <i>and</i> code"
    assert plain("word " * 100, limit=20).endswith("…")
