"""A self-contained HTML page: inline styles, inline SVG charts, no script, no network.

Pure functions from data to strings. The page reads well on screen and prints to PDF
(A4, no cut charts or table rows). Every page ends with its provenance: what produced it
and from which inputs (hashes), so a forwarded report can be traced and rerun.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

STYLE = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1d2433; max-width: 60rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #d5dae3; }
.subtitle { color: #59627a; margin: 0 0 1rem; }
.summary { background: #f3f6fb; border-left: 4px solid #2f6fdf; padding: .75rem 1rem;
  margin: 1rem 0; }
.summary p { margin: .3rem 0; }
.headline { font-size: 1.15rem; font-weight: 600; }
figure { margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #59627a; font-size: .9rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #e3e7ee; text-align: left;
  vertical-align: top; }
th { background: #f3f6fb; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; page-break-inside: avoid; }
.note { color: #59627a; font-size: .9rem; }
.flag { color: #b3261e; font-weight: 600; }
footer { margin-top: 2.5rem; color: #59627a; font-size: .8rem; }
footer code { word-break: break-all; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; page-break-after: avoid; } }
@page { size: A4; margin: 15mm; }
"""


def esc(value: object) -> str:
    """Text escaped for HTML."""
    return html.escape(str(value), quote=True)


def paragraph(text: str, css: str = "") -> str:
    """One paragraph of escaped text."""
    attribute = f' class="{css}"' if css else ""
    return f"<p{attribute}>{esc(text)}</p>"


def summary(lines: Sequence[str]) -> str:
    """The executive summary box: the first line is the headline, the rest plain sentences."""
    if not lines:
        return ""
    body = [paragraph(lines[0], "headline"), *(paragraph(line) for line in lines[1:])]
    return '<section class="summary" id="summary">' + "".join(body) + "</section>"


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    numeric: Sequence[int] = (),
    caption: str | None = None,
) -> str:
    """A table of escaped cells; the columns in ``numeric`` are right-aligned."""
    right = set(numeric)

    def cell(tag: str, index: int, value: object) -> str:
        css = ' class="num"' if index in right else ""
        return f"<{tag}{css}>{esc(value)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    title = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figure(svg: str, caption: str, name: str) -> str:
    """An inline SVG chart (from :func:`assess.reports.figures.svg_text`) with its caption."""
    return (
        f'<figure class="chart" data-chart="{esc(name)}">{svg}'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )


def section(title: str, *parts: str) -> str:
    """A titled section of already-built HTML parts."""
    return f"<section><h2>{esc(title)}</h2>{''.join(parts)}</section>"


def provenance_footer(provenance: Mapping[str, Any]) -> str:
    """The provenance as a definition list in the footer (and as page data for tools)."""
    items = "".join(
        f"<dt>{esc(key)}</dt><dd><code>{esc(value)}</code></dd>"
        for key, value in provenance.items()
    )
    return f'<footer id="provenance"><h2>Provenance</h2><dl>{items}</dl></footer>'


def page(
    title: str,
    subtitle: str,
    summary_lines: Sequence[str],
    sections: Sequence[str],
    provenance: Mapping[str, Any],
    data_json: str,
) -> str:
    """The whole document: title, executive summary, sections, provenance.

    ``data_json`` (the report's data, JSON) is embedded as an inert
    ``application/json`` block so a reader's tools, and the tests, can read the
    numbers the page shows without scraping it. It never runs.
    """
    safe_json = data_json.replace("</", "<\\/")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{esc(title)}</h1>{paragraph(subtitle, 'subtitle')}</header>"
        f"{summary(summary_lines)}{''.join(sections)}{provenance_footer(provenance)}"
        f'<script type="application/json" id="report-data">{safe_json}</script>'
        "</body></html>\n"
    )
