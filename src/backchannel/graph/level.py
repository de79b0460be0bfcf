"""A pair's level and direct staff at a date (DESIGN.md, "What an analyst means by
material").

* **Level.** Ranks in order: head_of_state = head_of_government = head_of_organisation >
  minister = military_chief > ambassador > official (a channel without a level counts as
  official). A pair's level is the highest rank L such that the pair reaches within its
  budget over channels of level ≥ L (internal, membership and ``also`` links always
  kept); None when it cannot reach within budget at all. The answer names the first
  rank of its class: ``head_of_state``, ``minister``, ``ambassador`` or ``official``.
* **Staff.** The sum of the current staff (:mod:`backchannel.core.lifecycle`) of the
  channels that are de jure open and have an end in each of the two ends' actors.

>>> from backchannel.graph.comm import CommGraph, Link
>>> g = CommGraph(0, ["a", "b"], [Link("a", "b", 900, "hot", "hot"),
...     Link("a", "b", 600, "emb", "emb")], ["hot", "emb"], {"hot": Rank.military_chief})
>>> pair_level(g, {"a"}, {"b"}, 3600).value
'minister'
>>> print(pair_level(g, {"a"}, {"b"}, 60))
None
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ..core.model import Rank
from .fastcut import Router

if TYPE_CHECKING:
    from .comm import CommGraph

__all__ = ["LEVELS", "pair_level", "pair_staff", "rank_at_least"]

#: the classes of rank, most senior first, each named by its first rank
LEVELS = (Rank.head_of_state, Rank.minister, Rank.ambassador, Rank.official)


def rank_at_least(level: Rank | None, floor: Rank) -> bool:
    """Whether a pair's level (None: no reach within budget) is at least ``floor``.

    >>> rank_at_least(Rank.military_chief, Rank.minister), rank_at_least(None, Rank.official)
    (True, False)
    """
    return level is not None and level.order <= floor.order


def pair_level(
    g: CommGraph, sources: Iterable[str], targets: Iterable[str], budget: int
) -> Rank | None:
    """The pair's level in ``g`` (module docstring); ``g.levels`` gives each channel's
    level now (official when absent)."""
    src = {g.index[o] for o in sources if o in g.index}
    dst = {g.index[o] for o in targets if o in g.index}
    if not src or not dst:
        return None
    if src & dst:
        return LEVELS[0]
    r = Router(g)
    levels = g.levels
    orders = [(levels.get(c) or Rank.official).order for c in r.names]
    for rank in LEVELS:
        banned = {i for i, o in enumerate(orders) if o > rank.order}
        if r.route(src, dst, budget, banned=banned) is not None:
            return rank
    return None


def pair_staff(
    channels: Iterable[tuple[str, Iterable[str]]],
    actors_a: set[str],
    actors_b: set[str],
    actor_of: Callable[[str], str],
    staff_of: Callable[[str], int | None],
) -> int:
    """The pair's direct staff: ``channels`` are (id, ends) of the de jure open channels;
    ``actor_of`` gives an office's actor, ``staff_of`` a channel's current staff.

    >>> pair_staff([("m", ["A.x", "B.y"])], {"A"}, {"B"}, lambda o: o[0], lambda c: 7)
    7
    """
    total = 0
    for ch, ends in channels:
        owners = {actor_of(o) for o in ends}
        if owners & actors_a and owners & actors_b:
            total += staff_of(ch) or 0
    return total
