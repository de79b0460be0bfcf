"""Types of the compiled searches (``_search.c``)."""

from collections.abc import Container, Iterable

def relax(
    adj: list[dict[tuple[int, int], int]],
    dist: list[float],
    heap: list[tuple[float, int]],
    cap: float,
    banned: Container[int],
) -> None: ...
def route(
    adj: list[dict[tuple[int, int], int]],
    src: Iterable[int],
    dst: Iterable[int],
    bound: list[float],
    budget: float,
    banned: Container[int] | None,
) -> list[int] | None: ...
def take_apart(
    flow: dict[int, float],
    tail: list[int],
    head: list[int],
    cost: list[float],
    chan: dict[int, int],
    s: int,
    t: int,
    units: int,
    budget: float,
) -> list[list[int]]: ...
def budget_rows(
    adj: list[dict[tuple[int, int], int]],
    dA: list[float],
    dB: list[float],
    budget: float,
) -> list[list[tuple[int, int, int]]]: ...
