"""Ranking per group: eligible units only, competition ranking (1, 1, 3), ties flagged.

A tie is never broken silently (not by name, not by code): tied units share a rank until a
:class:`TieBreak` records the council's order and reason for exactly that set of units."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

from .model import Scorecard, TieBreak
from .rubric import Rubric

__all__ = ["rank_order", "rank_scorecards", "tie_groups"]


def _entry(payload: Any, rank: int | None, tie: bool, tie_resolved: bool) -> tuple[Any, int | None, bool, bool]:
    return payload, rank, tie, tie_resolved



def rank_order(rubric: Rubric, entries: Iterable[Sequence[Any]], tie_breaks: Sequence[TieBreak] = (),
               fields: tuple[int, int, int, int | None] = (0, 1, 2, 3),
               make: Callable[[Any, int | None, bool, bool], Any] = _entry) -> list[Any]:
    """Order ``(group, total, code, payload)`` entries and give each ``(payload, rank, tie,
    tie_resolved)``: groups in rubric order, best first, ineligible units last with rank None.
    ``fields`` gives other positions of group, total, code and payload in the entries (payload
    ``None``: the entry itself), and ``make`` builds each result from those four values instead
    of a tuple, so that callers need not build intermediate tuples.

    Equal totals keep their input order among themselves (the order carries no meaning: they
    share a rank and are flagged). A tie-break applies when its codes are exactly the units tied
    at one total in its group, at the total it was decided for if it names one; a stale one (the set or
    the total changed since) is ignored, the tie shows."""
    g, t, c, p = fields
    total_of = itemgetter(t)
    payload = (lambda e: e) if p is None else itemgetter(p)
    min_total = rubric.eligibility.min_total
    by_group: dict[Any, list[Sequence[Any]]] = {group: [] for group in rubric.groups}
    for entry in entries:
        bucket = by_group.get(entry[g])
        if bucket is None:
            bucket = by_group[entry[g]] = []
        bucket.append(entry)
    # by (group, units, total); a tie-break that names no total under None: it applies at any total
    breaks = {(tb.group, frozenset(tb.codes), tb.total): tb for tb in tie_breaks}
    out: list[Any] = []
    append = out.append
    for group, items in by_group.items():
        items.sort(key=total_of, reverse=True)  # stable: equal totals keep their input order
        n = len(items)
        i = 0
        while i < n and items[i][t] >= min_total:
            total = items[i][t]
            j = i + 1
            while j < n and items[j][t] == total:
                j += 1
            if j - i == 1:
                append(make(payload(items[i]), i + 1, False, False))
            else:
                block = items[i:j]
                tb = None
                if breaks:
                    codes = frozenset(e[c] for e in block)
                    tb = breaks.get((group, codes, total)) or breaks.get((group, codes, None))
                if tb is None:
                    out.extend(make(payload(e), i + 1, True, False) for e in block)
                else:
                    by_code = {e[c]: payload(e) for e in block}
                    out.extend(make(by_code[code], i + 1 + k, True, True) for k, code in enumerate(tb.codes))
            i = j
        out.extend(make(payload(e), None, False, False) for e in items[i:])
    return out


def rank_scorecards(rubric: Rubric, cards: Iterable[Scorecard],
                    tie_breaks: Sequence[TieBreak] = ()) -> list[Scorecard]:
    """Rank per group (rubric group order), best first; ineligible units follow with rank None.

    Eligibility is recomputed from ``rubric.eligibility.min_total``; see :func:`rank_order`."""
    min_total = rubric.eligibility.min_total
    out = []
    for card, rank, tie, resolved in rank_order(rubric, ((c.group, c.total, c.code, c) for c in cards),
                                                tie_breaks):
        eligible = rank is not None
        if (card.rank, card.tie, card.tie_resolved, card.eligible) != (rank, tie, resolved, eligible):
            card = Scorecard(card.code, card.name, card.group, card.criteria, card.penalties, card.statuses,
                             card.total, card.total >= min_total, rank, tie, resolved, card.notes)
        out.append(card)
    return out


def tie_groups(cards: Iterable[Scorecard]) -> list[list[Scorecard]]:
    """The unresolved ties among ranked cards: lists of units sharing a rank in a group."""
    blocks: dict[tuple[str, Any], list[Scorecard]] = {}
    for card in cards:
        if card.tie and not card.tie_resolved and card.rank is not None:
            blocks.setdefault((card.group, card.rank), []).append(card)
    return list(blocks.values())
