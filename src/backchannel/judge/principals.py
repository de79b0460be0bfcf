"""Principals: who really decides for a target ("talk to the boss"), and how to reach them.

Influence is a judged weight (0–1) of a principal over an agent. Influence through a
chain is the product of its weights; an actor's influence over the target is the
**maximum product over all chains** from it to the target (the strongest single line of
control, not a sum, so that weights stay in 0–1 and two weak lines never add up to a
strong one). Weights ≤ 1 make this a shortest-path problem (Dijkstra on products).
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING, Any

from ..core.errors import BackchannelError
from ..core.records import Records
from ..core.suggest import unknown_message

if TYPE_CHECKING:
    from ..record.scenario import Scenario

__all__ = ["influence_over", "principals"]


def influence_over(sc: Scenario, target: str) -> dict[str, tuple[float, list[str]]]:
    """Every actor with influence over ``target``: (max product weight, chain to target)."""
    if target not in sc.actors:
        msg = unknown_message("actor", target, sc.actors, sc.name)
        if not msg.endswith("?"):
            msg += f" (actors: {', '.join(sorted(sc.actors))})"
        raise BackchannelError(msg)
    over: dict[str, list[tuple[str, float]]] = {}
    for inf in sc.doc.influence:
        if inf.weight > 0 and inf.principal != inf.agent:
            over.setdefault(inf.agent, []).append((inf.principal, inf.weight))
    best: dict[str, float] = {target: 1.0}
    nxt: dict[str, str] = {}
    heap: list[tuple[float, str]] = [(-1.0, target)]
    done: set[str] = set()
    while heap:
        w, x = heapq.heappop(heap)
        w = -w
        if x in done:
            continue
        done.add(x)
        for p, weight in over.get(x, ()):
            cand = w * weight
            if cand > best.get(p, 0.0) + 1e-15 and p not in done:
                best[p] = cand
                nxt[p] = x
                heapq.heappush(heap, (-cand, p))
    out: dict[str, tuple[float, list[str]]] = {}
    for p, w in best.items():
        if p == target:
            continue
        chain = [p]
        while chain[-1] != target:
            chain.append(nxt[chain[-1]])
        out[p] = (w, chain)
    return out


def principals(sc: Scenario, target: str, by: str | None = None, day: object = None) -> Records:
    """Actors ranked by influence over ``target``, with the channels ``by`` has to each.

    ``day`` is a date as text, ``date`` or ``datetime`` (default: the last event's day).

    Each row: ``actor``, ``weight`` (max product over chains), ``chain`` (actors from the
    principal down to the target) and ``channels``: ids of the channels between ``by``
    and that actor usable (active or restricted) at ``day``.
    """
    day = sc.day(day, "date")
    if by is not None and by not in sc.actors:
        sc.offices_of(by, day)  # raises the standard error for an unknown name
    found = influence_over(sc, target)
    rows: list[dict[str, Any]] = []
    for actor, (w, chain) in sorted(found.items(), key=lambda kv: (-kv[1][0], kv[0])):
        chans: list[str] = []
        if by is not None and by != actor:
            chans = [
                r["id"]
                for r in sc.channels_between(by, actor, day)
                if r["status"] in ("active", "restricted")
            ]
        rows.append({"actor": actor, "weight": round(w, 6), "chain": chain, "channels": chans})
    return Records(rows, title=f"Principals of {target}" + (f", from {by}" if by else ""))
