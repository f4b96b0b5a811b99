"""Ranking per group: eligible units only, competition ranking (1, 1, 3), ties flagged.

A tie is never broken silently (not by name, not by code): tied units share a rank until a
:class:`TieBreak` records the council's order and reason for exactly that set of units."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any, TypeVar

from .model import Scorecard, TieBreak
from .rubric import Rubric

__all__ = ["rank_order", "rank_scorecards", "tie_groups"]

T = TypeVar("T")
_total = itemgetter(1)


def rank_order(rubric: Rubric, entries: Iterable[tuple[str, int, str, T]],
               tie_breaks: Sequence[TieBreak] = ()) -> list[tuple[T, int | None, bool, bool]]:
    """Order ``(group, total, code, payload)`` entries and give each ``(payload, rank, tie,
    tie_resolved)``: groups in rubric order, best first, ineligible units last with rank None.

    Equal totals keep their input order among themselves (the order carries no meaning: they
    share a rank and are flagged). A tie-break applies when its codes are exactly the units tied
    at one total in its group; a stale one (totals changed since) is ignored, the tie shows."""
    min_total = rubric.eligibility.min_total
    by_group: dict[str, list[tuple[str, int, str, T]]] = {g: [] for g in rubric.groups}
    for entry in entries:
        bucket = by_group.get(entry[0])
        if bucket is None:
            bucket = by_group[entry[0]] = []
        bucket.append(entry)
    breaks = {(tb.group, frozenset(tb.codes)): tb for tb in tie_breaks}
    out: list[tuple[T, int | None, bool, bool]] = []
    append = out.append
    for group, items in by_group.items():
        items.sort(key=_total, reverse=True)  # stable: equal totals keep their input order
        n = len(items)
        i = 0
        while i < n and items[i][1] >= min_total:
            total = items[i][1]
            j = i + 1
            while j < n and items[j][1] == total:
                j += 1
            if j - i == 1:
                append((items[i][3], i + 1, False, False))
            else:
                block = items[i:j]
                tb = breaks.get((group, frozenset(e[2] for e in block))) if breaks else None
                if tb is None:
                    out.extend((e[3], i + 1, True, False) for e in block)
                else:
                    by_code = {e[2]: e[3] for e in block}
                    out.extend((by_code[code], i + 1 + k, True, True) for k, code in enumerate(tb.codes))
            i = j
        out.extend((e[3], None, False, False) for e in items[i:])
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
