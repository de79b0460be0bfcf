"""Benchmark: `backchannel draft` on 100 articles of about 1,000 words (issue 14).

The articles are made here, deterministically (seeded), from sentences in the styles the
drafting tests use: moves on the russia-nato channels (expulsions with counts and caps,
suspensions, closures, meetings and calls, with explicit and relative dates), and the
statements that are not events (negations, conditionals, offers, habits, states), with
filler commentary in between. Each article is drafted against the built-in russia-nato
scenario, loaded once (as a long-running analyst session would). Goal: under 10 s.

Run: ``python -m benchmarks.draft`` (``--quick`` for 10 articles, ``--articles N``).
"""

from __future__ import annotations

import argparse
import platform
import random
import time

import backchannel
from backchannel.draft import draft_text

MOVES = [
    "NATO on {day} expelled {n} Russian diplomats from Russia's mission to NATO"
    " and cut its size to {cap}.",
    "Russia will suspend the work of its permanent mission to NATO from {date},"
    " Foreign Minister Sergei Lavrov said on {day}.",
    "The work of NATO's military liaison mission in Moscow will also be suspended,"
    " Lavrov told reporters.",
    "Moscow ordered NATO liaison officers stationed in Moscow to leave"
    " and required the NATO information office to close.",
    "On {day}, General Valery Gerasimov met General Tod Wolters in Baku.",
    "The two generals had already spoken by telephone on {date}.",
    "Last week the alliance halved the Russian mission, officials said.",
    "The United States expelled {n} Russian diplomats from Russia's embassy in Washington {ago}.",
]
NOT_EVENTS = [
    "Russian Foreign Minister Sergei Lavrov may stop meeting"
    " NATO Secretary General Jens Stoltenberg.",
    "The line between the CGS and SACEUR will not be severed by either side.",
    "If the alliance deployed new missiles, Moscow could freeze what is left of the contacts.",
    "Some allies argue that NATO should expel more Russian diplomats.",
    "The two chiefs usually talk by phone a few times a year.",
    "Moscow offered to invite Washington to join the Normandy Format.",
    "The founding act is still in force, and the embassies remain open.",
    "Nobody in Brussels wants to close the last door.",
]
FILLER = [
    "Analysts in Brussels and Moscow read the moment very differently.",
    "For years the relationship has rested on habits more than on institutions.",
    "The question for both capitals is how much is left to lose.",
    "Diplomats describe a slow erosion rather than a sudden break.",
    "Much of what passes between the two sides now goes through national capitals.",
    "The military staffs keep their own counsel, and say little in public.",
    "Officials on both sides insist that the door has not been shut for good.",
    "The arithmetic of staff numbers tells only part of the story.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
DATES = ["November 1", "October 6", "June 3", "1 November", "March 27"]
AGO = ["last month", "last year", "two years ago", "in 2018", "in March 2018"]


def article(rng: random.Random, words: int = 1000) -> str:
    """About ``words`` words of paragraphs mixing moves, non-events and commentary."""
    out: list[str] = []
    para: list[str] = []
    count = 0
    while count < words:
        pick = rng.random()
        pool = MOVES if pick < 0.3 else NOT_EVENTS if pick < 0.55 else FILLER
        s = rng.choice(pool).format(
            day=rng.choice(DAYS),
            n=rng.choice(["eight", "seven", "35", "two", "a number of"]),
            cap=rng.choice(["10", "20", "half"]),
            date=rng.choice(DATES),
            ago=rng.choice(AGO),
        )
        para.append(s)
        count += len(s.split())
        if len(para) >= rng.randint(3, 6):
            out.append(" ".join(para))
            para = []
    if para:
        out.append(" ".join(para))
    return "Russia and NATO: a report\n\n" + "\n\n".join(out)


def main() -> None:
    """Make the articles, draft them all, print the time."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--words", type=int, default=1000)
    ap.add_argument("--quick", action="store_true", help="10 articles")
    ap.add_argument("--seed", type=int, default=14)
    args = ap.parse_args()
    n = 10 if args.quick else args.articles
    rng = random.Random(args.seed)
    texts = [article(rng, args.words) for _ in range(n)]
    words = sum(len(t.split()) for t in texts)
    t0 = time.perf_counter()
    sc = backchannel.load("russia-nato")
    t_load = time.perf_counter() - t0
    t1 = time.perf_counter()
    cands = skipped = unresolved = 0
    for i, text in enumerate(texts):
        d = draft_text(text, sc, published=f"2021-10-{1 + i % 28:02d}")
        cands += len(d.candidates)
        skipped += len(d.skipped)
        unresolved += len(d.unresolved)
    t_draft = time.perf_counter() - t1
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print(f"articles: {n}, words: {words} ({words / n:.0f} a article)")
    print(f"scenario load: {t_load:.2f} s (once)")
    print(
        f"draft: {t_draft:.2f} s for {n} articles ({1000 * t_draft / n:.1f} ms an article, "
        f"{words / t_draft:,.0f} words/s); {cands} candidates, {skipped} skipped, "
        f"{unresolved} unresolved"
    )
    print(f"total: {t_load + t_draft:.2f} s (goal for 100 articles: < 10 s)")


if __name__ == "__main__":
    main()
