"""The self-contained HTML report: one file, CSS inline, pictures as base64 PNG.

Nothing is fetched when the file is opened: the only ``http(s)://`` addresses in it are
source links in ``<a href>``.
"""

from __future__ import annotations

import base64
from html import escape
from importlib import resources
from string import Template

from ..core.dates import format_duration, iso
from ..core.version import __version__
from .data import ReportData, is_web_url
from .figures import Picture, Pictures

__all__ = ["render_html"]


def _template(name: str) -> str:
    return (resources.files("backchannel.present") / "templates" / name).read_text("utf-8")


def _img(pic: Picture) -> str:
    b64 = base64.b64encode(pic.png).decode("ascii")
    return (
        f'<figure id="fig-{escape(pic.name)}"><img alt="{escape(pic.caption)}" '
        f'src="data:image/png;base64,{b64}"><figcaption>{escape(pic.caption)}</figcaption>'
        "</figure>"
    )


def _event_links(ids: list[str]) -> str:
    return ", ".join(f'<a href="#ev-{escape(i)}"><code>{escape(i)}</code></a>' for i in ids)


def _answer(data: ReportData) -> str:
    if not data.pairs:
        return (
            "<p>The scenario watches no pair of offices, so no event is judged; the timeline "
            "and the network pictures below show what was open when.</p>"
        )
    parts = []
    for p in data.pairs:
        cls = "ok" if p.within_budget and p.redundant else ("bad" if not p.within_budget else "")
        lines = [
            f'<div class="answer {cls}"><h3>{escape(p.label)}</h3>',
            f"<p>{escape(p.answer())}</p>",
        ]
        rel = p.reliability_text()
        if rel:
            lines.append(f'<p class="reliability">{escape(rel)}</p>')
        if p.cut.all.single_points:
            lines.append(
                "<p>Single points of failure (every path uses them): "
                + ", ".join(f"<code>{escape(c)}</code>" for c in p.cut.all.single_points)
                + ".</p>"
            )
        items = []
        for verdict, cap in (("material", 20), ("symbolic", 8), ("nonevent", 0)):
            ids = p.events.get(verdict, [])
            if not ids:
                continue
            shown = ids[-cap:] if cap else []
            more = len(ids) - len(shown)
            rest = (
                f"{' and ' if shown else ''}{more} more{' earlier' if shown else ''} in the "
                "table below"
                if more
                else ""
            )
            latest = "the latest: " if shown and more else ""
            items.append(
                f'<li><span class="verdict {verdict}">{verdict}</span> ({len(ids)}) '
                f"{latest}{_event_links(shown)}{rest}</li>"
            )
        if items:
            lines.append("<ul>" + "".join(items) + "</ul>")
        recent = data.recent(p)
        if recent:
            lines.append(
                f"<p>Changes in the record's last year (after {iso(data.recent_from)}):</p><ul>"
            )
            lines.extend(
                f'<li>{escape(r.date)} <a href="#ev-{escape(r.id)}"><code>{escape(r.id)}</code>'
                f'</a> <span class="verdict {v}">{v}</span></li>'
                for r, v in recent
            )
            lines.append("</ul>")
        lines.append("</div>")
        parts.append("\n".join(lines))
    c = data.counts()
    parts.append(
        f"<p>Over all watched pairs, {len(data.impact)} events were judged: "
        f"<strong>{c['material']}</strong> material, <strong>{c['symbolic']}</strong> "
        f"symbolic, <strong>{c['nonevent']}</strong> nonevent.</p>"
    )
    return "\n".join(parts)


def _fig(x: object, kind: str) -> str:
    if kind == "lat":
        return "unreachable" if x is None else format_duration(x)  # type: ignore[arg-type]
    return "uncuttable" if x is None else ("—" if x == "" else str(x))


def _first_answer(data: ReportData) -> str:
    """The answer to the question (or the last package): the lead paragraph a policy
    reader can quote, then each pair's figures on paper and live side by side."""
    qa = data.first_answer
    if qa is None:
        return ""
    sc = data.scenario
    parts = [f'<p class="lead">{escape(qa.lead(sc))}</p>']
    if not qa.pairs:
        return "\n".join(parts)
    # level and staff (format v1.1) are shown once the pair figures carry them
    extra = [k for k in ("level", "staff") if any(k in p.paper.before for p in qa.pairs)]
    head = (
        '<table class="side"><thead><tr><th>watched pair</th><th>verdict on paper</th>'
        "<th>verdict live</th><th>time to contact on paper</th><th>time to contact live</th>"
        "<th>routes within budget, paper</th><th>live</th>"
        + "".join(f"<th>{k}</th>" for k in extra)
        + "</tr></thead><tbody>"
    )
    rows = []
    for p in qa.pairs:
        pb, pa, lb, la = p.paper.before, p.paper.after, p.live.before, p.live.after

        def cell(before: object, after: object, kind: str) -> str:
            if before == after:
                return f"<td>{escape(_fig(after, kind))}</td>"
            return (
                f'<td class="differs">{escape(_fig(before, kind))} → '
                f"{escape(_fig(after, kind))}</td>"
            )

        rows.append(
            f"<tr><td>{escape(p.label)}</td>"
            f'<td><span class="verdict {p.paper.verdict}">{p.paper.verdict}</span></td>'
            f'<td><span class="verdict {p.live.verdict}">{p.live.verdict}</span></td>'
            + cell(pb.get("latency_s"), pa.get("latency_s"), "lat")
            + cell(lb.get("latency_s"), la.get("latency_s"), "lat")
            + cell(pb.get("min_cut_fast", ""), pa.get("min_cut_fast", ""), "cut")
            + cell(lb.get("min_cut_fast", ""), la.get("min_cut_fast", ""), "cut")
            + "".join(cell(pb.get(k, ""), pa.get(k, ""), "cut") for k in extra)
            + "</tr>"
        )
    parts.append(head + "".join(rows) + "</tbody></table>")
    parts.append(
        "<p><small>Before the package's first event and after its last; "
        "“live” counts only channels in use (dormant and unresponsive ones left out)."
        "</small></p>"
    )
    parts.append("<ul>" + "".join(f"<li>{escape(qa.details(p))}</li>" for p in qa.pairs) + "</ul>")
    return "\n".join(parts)


def _impact_table(data: ReportData) -> str:
    if not data.impact:
        return "<p>No watched pair, so no event is judged.</p>"
    head = (
        "<table><thead><tr><th>event</th><th>date</th><th>verdict</th><th>reason</th>"
        "<th>already dormant or suspended</th><th>source</th></tr></thead><tbody>"
    )
    rows = []
    for r in data.impact:
        what = " ".join(x for x in (r.by, r.do, r.target) if x)
        if is_web_url(r.source_url):
            src = f'<a href="{escape(r.source_url)}">{escape(r.source_title or r.source_url)}</a>'
        else:
            src = escape(r.source_title or "—")
        note = f"<br><small>{escape(r.note)}</small>" if r.note else ""
        rows.append(
            f'<tr id="ev-{escape(r.id)}" class="{escape(r.verdict)}">'
            f"<td><code>{escape(r.id)}</code><br><small>{escape(what)}</small></td>"
            f"<td>{escape(r.date)}</td>"
            f'<td><span class="verdict {escape(r.verdict)}">{escape(r.verdict)}</span></td>'
            f"<td>{escape(r.reason)}{note}</td>"
            f"<td>{'yes' if r.dormant_before else 'no'}</td><td>{src}</td></tr>"
        )
    return head + "\n".join(rows) + "</tbody></table>"


def render_html(data: ReportData, figs: Pictures) -> str:
    """The report as one HTML document (a string)."""
    doc = data.scenario.doc
    pairs = (
        "\n".join(
            f"<h3>{escape(p.label)}</h3><p>Budget {format_duration(p.watch.budget)}, redundancy "
            f"floor {p.watch.floor}.</p>{_img(pic)}"
            for p, pic in zip(data.pairs, figs.pairs, strict=True)
        )
        or "<p>The scenario watches no pair.</p>"
    )
    networks = '<div class="networks">' + "\n".join(_img(p) for p in figs.networks) + "</div>"
    return Template(_template("report.html")).substitute(
        version=escape(__version__),
        title=escape(doc.title),
        css=_template("report.css"),
        scenario=escape(doc.scenario),
        first=iso(data.first_day),
        last=iso(data.last_day),
        live=" · live channels only" if data.live else "",
        description=f"<p>{escape(doc.description.strip())}</p>" if doc.description else "",
        question=escape(data.question),
        first_answer=_first_answer(data),
        answer=_answer(data),
        timeline=_img(figs.timeline),
        pairs=pairs,
        impact=_impact_table(data),
        networks=networks,
    )
