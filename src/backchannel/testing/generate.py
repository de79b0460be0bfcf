"""Synthetic worlds for tests and benchmarks: deterministic by seed, valid by construction.

A world has states (offices with ranks and ``reports_to``), a few alliances with members
(one alliance office dual-hatted with a member's chief, like SACEUR), channels of mixed
kinds and latencies (some with three to six ends), events over decades that respect the
channel lifecycle (plus a few ``join``/``leave``), influence weights and watched pairs.

>>> doc = generate(actors=6, channels=10, events=30, watch=2, seed=1)
>>> len(doc.actors), len(doc.channels), len(doc.events), len(doc.watch)
(6, 10, 30, 2)
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from ..core.model import ScenarioDoc
from ..formats.yamlwrite import Plain, dump_scenario

__all__ = ["generate", "generate_dict", "scenario_yaml", "write_scenario"]

_KINDS = [  # kind, share, latency choices, number of ends (lo, hi), office roles
    ("embassy", 0.38, ["12h"], (2, 2), "MFA"),
    ("hotline", 0.10, ["15m", "30m"], (2, 2), "CHIEF"),
    ("dialogue", 0.14, ["2d", "1d"], (2, 2), "MFA"),
    ("meeting_venue", 0.05, ["1w"], (2, 2), "HOS"),
    ("format", 0.08, ["14d", "3d"], (3, 5), "MFA"),
    ("council", 0.07, ["3d", "6h"], (3, 6), "HOS"),
    ("permanent_mission", 0.12, ["6h"], (2, 2), "ALLIANCE"),
    ("liaison_office", 0.06, ["6h", "1h"], (2, 2), "MIL"),
]
_RESIDENT = {"embassy", "permanent_mission", "liaison_office"}


def _day(o: int) -> str:
    return Plain(dt.date.fromordinal(o).isoformat())


def generate_dict(
    actors: int = 20,
    channels: int = 60,
    events: int = 300,
    watch: int = 5,
    seed: int = 0,
    start: int = 1960,
    end: int = 2022,
    membership_events: int = 2,
) -> dict[str, Any]:
    """The world as a plain dict in the scenario format (see :func:`generate`)."""
    rng = random.Random(seed)
    n_all = 0 if actors < 4 else max(1, actors // 40)
    n_states = actors - n_all
    first, last = dt.date(start, 1, 1).toordinal(), dt.date(end, 12, 31).toordinal()
    out_actors: list[dict[str, Any]] = []
    states = [f"S{i:03d}" for i in range(n_states)]
    offices: dict[str, list[str]] = {}
    for s in states:
        offs: list[dict[str, Any]] = [
            {"id": f"{s}.HOS", "name": "Head of State", "rank": "head_of_state"}
        ]
        top = f"{s}.HOS"
        if rng.random() < 0.5:
            offs.append(
                {
                    "id": f"{s}.HOG",
                    "name": "Prime Minister",
                    "rank": "head_of_government",
                    "reports_to": f"{s}.HOS",
                }
            )
            top = f"{s}.HOG"
        offs.append(
            {"id": f"{s}.MFA", "name": "Foreign Minister", "rank": "minister", "reports_to": top}
        )
        offs.append(
            {
                "id": f"{s}.CHIEF",
                "name": "Chief of Defence",
                "rank": "military_chief",
                "reports_to": f"{s}.HOS",
            }
        )
        actor: dict[str, Any] = {"id": s, "kind": "state", "name": f"State {s}", "offices": offs}
        if rng.random() < 0.2:
            actor["internal_latency"] = rng.choice(["30m", "2h"])
        offices[s] = [o["id"] for o in offs]
        out_actors.append(actor)
    alliances = [f"A{j:02d}" for j in range(n_all)]
    members: dict[str, set[str]] = {}
    for a in alliances:
        mem = sorted(rng.sample(states, min(len(states), rng.randint(3, 10))))
        members[a] = set(mem)
        lead = mem[0]
        offs = [
            {"id": f"{a}.SG", "name": "Secretary General", "rank": "head_of_organisation"},
            {
                "id": f"{a}.MIL",
                "name": "Military Commander",
                "rank": "military_chief",
                "reports_to": f"{a}.SG",
                "also": [f"{lead}.CHIEF"],
            },
        ]
        actor = {
            "id": a,
            "kind": "alliance",
            "name": f"Alliance {a}",
            "offices": offs,
            "members": [{"actor": m} for m in mem],
        }
        if rng.random() < 0.5:
            actor["membership_latency"] = rng.choice(["6h", "12h"])
        offices[a] = [o["id"] for o in offs]
        out_actors.append(actor)

    def pick_end(role: str, actor: str) -> str:
        if role == "HOS":
            return f"{actor}.HOS"
        return f"{actor}.{role}"

    shares = [k[1] for k in _KINDS]
    out_channels: list[dict[str, Any]] = []
    for i in range(channels):
        kind, _, lats, (lo, hi), role = rng.choices(_KINDS, weights=shares)[0]
        if role in ("ALLIANCE", "MIL") and not alliances:
            kind, lats, lo, hi, role = "embassy", ["12h"], 2, 2, "MFA"
        if role == "ALLIANCE":
            ends = [f"{rng.choice(states)}.MFA", f"{rng.choice(alliances)}.SG"]
        elif role == "MIL":
            ends = [f"{rng.choice(states)}.CHIEF", f"{rng.choice(alliances)}.MIL"]
        else:
            k = min(rng.randint(lo, hi), len(states))
            if k < 2:
                k = 2
            ends = (
                [pick_end(role, s) for s in rng.sample(states, k)]
                if len(states) >= k
                else [f"{states[0]}.HOS", f"{states[0]}.MFA"]
            )
        ch: dict[str, Any] = {
            "id": f"c{i:05d}-{kind}",
            "kind": kind,
            "ends": ends,
            "latency": rng.choice(lats),
        }
        if kind in _RESIDENT:
            ch["staff"] = rng.randint(5, 60)
        out_channels.append(ch)

    # Events: every channel opens once (as far as the count allows), then the rest walk
    # each channel's lifecycle forward in time.
    plan: list[tuple[int, int, dict[str, Any]]] = []
    k = 0
    n_open = min(channels, events)
    extra = events - n_open
    per: dict[int, int] = {}
    for _ in range(extra):
        c = rng.randrange(n_open) if n_open else 0
        per[c] = per.get(c, 0) + 1
    n_member = min(membership_events, extra) if alliances else 0
    for c in range(n_open):
        ch = out_channels[c]
        opened = rng.randint(first, last - 5 * 365)
        days = sorted(rng.randint(opened, last) for _ in range(per.get(c, 0)))
        state = "active"
        seq = [(opened, {"do": "open"})]
        for d in days:
            if state in ("active", "restricted"):
                r = rng.random()
                if r < 0.35:
                    ev: dict[str, Any] = {"do": rng.choice(["call", "meet"])}
                elif r < 0.50:
                    ev = {"do": "suspend"}
                    state = "suspended"
                elif r < 0.62:
                    ev = {"do": "close"}
                    state = "closed"
                elif r < 0.80 and ch["kind"] in _RESIDENT:
                    ev = {"do": "expel", "count": rng.randint(1, 5)}
                    if rng.random() < 0.3:
                        ev["cap"] = rng.randint(3, 20)
                    state = "restricted"
                elif r < 0.88:
                    ev = {"do": "restrict"}
                    state = "restricted"
                else:
                    ev = {"do": "note", "note": "generated remark"}
            elif state == "suspended":
                if rng.random() < 0.7:
                    ev = {"do": "restore"}
                    state = "active"
                else:
                    ev = {"do": "close"}
                    state = "closed"
            else:
                ev = {"do": "open"}
                state = "active"
            seq.append((d, ev))
        for d, ev in seq:
            plan.append((d, k, {"date": _day(d), **ev, "channel": ch["id"]}))
            k += 1
    for _ in range(n_member):
        a = rng.choice(alliances)
        outsiders = [s for s in states if s not in members[a]]
        if not outsiders:
            continue
        s = rng.choice(outsiders)
        d = rng.randint(first, last)
        plan.append((d, k, {"date": _day(d), "do": "join", "actor": s, "org": a}))
        k += 1
        members[a].add(s)
    while len(plan) < events:  # only when there are too few channels to carry them
        d = rng.randint(first, last)
        plan.append((d, k, {"date": _day(d), "do": "note", "note": "generated remark"}))
        k += 1
    plan.sort(key=lambda x: (x[0], x[1]))
    out_events = []
    for n, (_, _, ev) in enumerate(plan[:events]):
        ev = {"id": f"e{n:06d}", **ev}
        if n % 7 == 0:
            ev["source"] = {
                "title": f"Generated source {n}",
                "url": f"https://example.org/gen/{seed}/{n}",
            }
        out_events.append(ev)

    influence = []
    for a in alliances:
        lead = sorted(members[a])[0]
        influence.append({"principal": lead, "agent": a, "weight": 0.7})
    for _ in range(max(1, actors // 2)):
        p, q = rng.sample(states, 2) if len(states) >= 2 else (states[0], states[0])
        if p != q:
            influence.append(
                {"principal": p, "agent": q, "weight": round(rng.uniform(0.1, 0.9), 2)}
            )

    watches: list[dict[str, Any]] = []
    for i in range(watch):
        r = i % 3
        if r == 0 and len(states) >= 2:
            x, y = rng.sample(states, 2)
            watches.append({"between": [f"{x}.CHIEF", f"{y}.CHIEF"], "budget": "1h"})
        elif r == 1 and len(states) >= 2:
            x, y = rng.sample(states, 2)
            watches.append(
                {"between": [f"{x}.HOS", f"{y}.HOS"], "budget": "2d", "floor": rng.choice([1, 2])}
            )
        else:
            x = rng.choice(states)
            y = rng.choice(alliances) if alliances else rng.choice(states)
            if x == y:
                y = states[-1] if x != states[-1] else states[0]
            watches.append({"between": [x, y], "budget": "1d"})
    return {
        "scenario": f"generated-{seed}",
        "title": f"A generated world ({actors} actors, {channels} channels, "
        f"{events} events, seed {seed})",
        "actors": out_actors,
        "channels": out_channels,
        "influence": influence,
        "sides": {
            "first": states[: max(1, len(states) // 2)],
            "second": states[max(1, len(states) // 2) :] or states[:1],
        },
        "watch": watches,
        "events": out_events,
    }


def generate(
    actors: int = 20,
    channels: int = 60,
    events: int = 300,
    watch: int = 5,
    seed: int = 0,
    **options: Any,
) -> ScenarioDoc:
    """A synthetic world as a validated :class:`ScenarioDoc` (built in memory).

    Deterministic by ``seed``. Options: ``start``/``end`` years (1960–2022) and
    ``membership_events`` (join events, default 2). ``backchannel.Scenario(doc)`` indexes it.
    """
    data = generate_dict(actors, channels, events, watch, seed, **options)
    for a in data["actors"]:
        a["offices"] = [{**o, "actor": a["id"]} for o in a["offices"]]
    data["events"] = [{**e, "seq": i} for i, e in enumerate(data["events"])]
    return ScenarioDoc.model_validate(data)


def scenario_yaml(data: dict[str, Any]) -> str:
    """The world written as scenario YAML (the one writer, :mod:`backchannel.formats.yamlwrite`):
    actors as block mappings with one office per line, every other item on one line."""
    return dump_scenario(data, comments=[data["title"]], nested=["actors"], last=["sides"])


def write_scenario(path: str | Path, **params: Any) -> dict[str, Any]:
    """Generate a world (``generate_dict`` parameters) and write it as a scenario file."""
    data = generate_dict(**params)
    from ..core.atomic import write_text

    write_text(Path(path), scenario_yaml(data))
    return data
