"""Scoring `backchannel draft` against a gold file (the format of
shared/articles/russia-nato-2021-trenin.README.md): which gold events were drafted, which
candidates are right, which non-events were drafted, which required unresolved mentions
were listed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

import backchannel
from backchannel.draft import Draft, draft_file

TARGETS = ("channel", "actor", "framework", "office")


def load_gold(path: Path) -> dict[str, Any]:
    """A gold file as plain data (dates kept as text)."""
    yaml = YAML(typ="safe", pure=True)
    yaml.constructor.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda self, node: self.construct_scalar(node)
    )
    return yaml.load(path.read_text(encoding="utf-8"))


def article_of(gold_path: Path, gold: dict[str, Any]) -> Path:
    """The article a gold file is about (beside it)."""
    return gold_path.parent / gold["article"]


def scenario_of(gold_path: Path, gold: dict[str, Any]) -> backchannel.Scenario:
    """A built-in scenario name, or a file beside the gold file."""
    name = str(gold["scenario"])
    beside = gold_path.parent / name
    return backchannel.load(beside if beside.exists() else name)


def _as_list(v: Any) -> list[str]:
    return [str(x) for x in v] if isinstance(v, list) else [str(v)]


def _date_fits(cand: str | None, gold: Any) -> bool:
    """The candidate's date lies in the gold's period and is not coarser than it."""
    if gold is None:
        return True
    g = str(gold)
    return cand is not None and len(cand) >= len(g) and cand.startswith(g)


def _by_fits(c: dict[str, Any], want: Any, sc: backchannel.Scenario) -> bool:
    if want is None:
        return True
    by = c.get("by")
    if by == want:
        return True
    return by in sc.offices and sc.offices[by].actor == want


def _target(d: dict[str, Any]) -> tuple[str, str] | None:
    for k in TARGETS:
        if d.get(k) is not None:
            return k, str(d[k])
    return None


def fits_event(c: dict[str, Any], g: dict[str, Any], sc: backchannel.Scenario, pub: Any) -> bool:
    """A candidate matches a gold event (README, "How a candidate is matched")."""
    dos = [g["do"], *g.get("also_do", [])]
    if c["do"] not in dos:
        return False
    if _target(c) != _target(g):
        return False
    if not _by_fits(c, g.get("by"), sc):
        return False
    if g.get("date") is None:
        if pub is not None and (c["date"] != str(pub) or c["date_exact"] is not False):
            return False
    elif not _date_fits(c["date"], g["date"]) or c["date_exact"] is False:
        return False
    if "count" in g and g["count"] is not None and c.get("count") != g["count"]:
        return False
    if "cap" in g and g["cap"] is not None:
        if c.get("cap") is None and g.get("cap_optional"):
            pass
        elif c.get("cap") != g["cap"]:
            return False
    return not (g.get("level") is not None and c.get("level") not in (None, g["level"]))


def fits_tolerated(c: dict[str, Any], t: dict[str, Any], sc: backchannel.Scenario) -> bool:
    """Every key a tolerated entry gives fits the candidate, its quote included."""
    if "do" in t and c["do"] not in _as_list(t["do"]):
        return False
    tgt = _target(t)
    if tgt is not None and _target(c) != tgt:
        return False
    if not _by_fits(c, t.get("by"), sc):
        return False
    if t.get("date") is not None and not _date_fits(c["date"], t["date"]):
        return False
    return not (t.get("quote") and t["quote"] not in c["quote"])


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def hits_non_event(c: dict[str, Any], n: dict[str, Any], text: str) -> bool:
    """A candidate is one of the statements that must not be drafted."""
    if "do" in n and c["do"] not in _as_list(n["do"]):
        return False
    tgt = _target(n)
    if tgt is not None and _target(c) != tgt:
        return False
    if n.get("allow_date") and _date_fits(c["date"], n["allow_date"]):
        return False
    q = n.get("quote")
    if not q:
        return True
    at = text.find(q)
    span = (c["span"][0], c["span"][1])
    if at >= 0 and _overlaps(span, (at, at + len(q))):
        return True
    return q in c["quote"] or c["quote"] in q


@dataclass
class Score:
    """What a draft got right and wrong against its gold file."""

    name: str
    candidates: int
    correct: int
    gold: int
    found: int
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    non_events: list[str] = field(default_factory=list)
    missing_unresolved: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Right candidates over all candidates (1 when there are none)."""
        return self.correct / self.candidates if self.candidates else 1.0

    @property
    def recall(self) -> float:
        """Gold events drafted over gold events."""
        return self.found / self.gold if self.gold else 1.0

    def line(self) -> str:
        """One line for the test's output."""
        return (
            f"{self.name}: precision {self.precision:.2f} ({self.correct}/{self.candidates}), "
            f"recall {self.recall:.2f} ({self.found}/{self.gold})"
            + (f"; missed {self.missed}" if self.missed else "")
            + (f"; wrong {self.wrong}" if self.wrong else "")
            + (f"; non-events {self.non_events}" if self.non_events else "")
        )


def score(gold_path: Path, draft: Draft | None = None) -> tuple[Score, Draft]:
    """Draft the gold file's article (unless given) and score it."""
    gold = load_gold(gold_path)
    sc = scenario_of(gold_path, gold)
    art = article_of(gold_path, gold)
    pub = gold.get("published")
    if draft is None:
        draft = draft_file(art, sc, published=pub, url=gold.get("url"))
    text = art.read_text(encoding="utf-8")
    data = draft.as_dict()
    cands = data["candidates"]
    events = gold.get("events") or []
    tolerated = gold.get("tolerated") or []
    non_events = gold.get("non_events") or []
    s = Score(gold_path.name, len(cands), 0, len(events), 0)
    for g in events:
        if any(fits_event(c, g, sc, pub) for c in cands):
            s.found += 1
        else:
            s.missed.append(g.get("id") or g["do"])
    for c in cands:
        label = f"{c['do']} {_target(c)} by {c['by']} {c['date']}"
        bad = [n for n in non_events if hits_non_event(c, n, text)]
        ok = any(fits_event(c, g, sc, pub) for g in events) or any(
            fits_tolerated(c, t, sc) for t in tolerated
        )
        if bad and not any(fits_event(c, g, sc, pub) for g in events):
            s.non_events.append(f"{label} ({bad[0].get('kind')})")
            ok = False
        if ok:
            s.correct += 1
        else:
            s.wrong.append(label)
    for u in gold.get("unresolved") or []:
        if not u.get("required"):
            continue
        at = text.find(u["text"])
        span = (at, at + len(u["text"]))
        if not any(_overlaps(tuple(n["span"]), span) for n in data["unresolved"]):
            s.missing_unresolved.append(u["text"])
    return s, draft
