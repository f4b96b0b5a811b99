"""Awards: year-end places and collectives, monthly award candidates (RULES.md, Awards)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from operator import attrgetter
from typing import Any

from .model import Scorecard
from .rubric import CollectivesAward, PlacesAward, Rubric

__all__ = ["monthly_award_candidates", "year_end_awards"]

_rank = attrgetter("rank")


def _blocks(cards: Sequence[Scorecard], group: str) -> Iterator[list[Scorecard]]:
    """Eligible ranked cards of ``group`` by rank; an unresolved tie forms one block. A generator:
    the awards read only the first few places."""
    ranked = sorted([c for c in cards if c.rank is not None and c.group == group and c.eligible], key=_rank)
    block: list[Scorecard] = []
    for card in ranked:
        if block and block[0].rank != card.rank:
            yield block
            block = []
        block.append(card)
    if block:
        yield block


def _places(award: PlacesAward, cards: Sequence[Scorecard]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for block in _blocks(cards, award.group):
        place = block[0].rank
        assert place is not None
        if place > len(award.places):
            break
        if len(block) == 1:
            spec = award.places[place - 1]
            entries.append({"place": place, "code": block[0].code, "prize_vnd": spec.prize_vnd,
                            "bonus_points": spec.bonus_points, "individuals": spec.individuals})
        else:
            entries.append({"place": place, "codes": [c.code for c in block], "pending": True})
    return entries


def _collectives(award: CollectivesAward, cards: Sequence[Scorecard]) -> dict[str, Any]:
    certain: list[str] = []
    pending: list[str] = []
    for block in _blocks(cards, award.group):
        first = block[0].rank
        assert first is not None
        if first > award.max_collectives:
            break
        codes = [c.code for c in block]
        if first + len(block) - 1 <= award.max_collectives:
            certain.extend(codes)
        else:
            pending.extend(codes)
    out: dict[str, Any] = {"collectives": certain}
    if pending:
        out["pending"] = pending
    out["individuals"] = award.individuals
    return out


def year_end_awards(rubric: Rubric, ranked_cards: Sequence[Scorecard], as_of: date) -> dict[str, Any]:
    """The ``awards`` object of the contract: the year-end standing as of ``as_of``.

    Places held by an unresolved tie are ``{"place", "codes", "pending": true}`` without prize;
    fewer eligible units → fewer places; ``"provisional": true`` before the campaign's last day."""
    result: dict[str, Any] = {}
    for award in rubric.awards.year_end:
        if isinstance(award, PlacesAward):
            result[award.key] = _places(award, ranked_cards)
        else:
            result[award.key] = _collectives(award, ranked_cards)
    if not rubric.is_final(as_of):
        result["provisional"] = True
    return result


def monthly_award_candidates(rubric: Rubric, ranked_cards: Sequence[Scorecard], month: str) -> list[Scorecard]:
    """Eligible units of the monthly-award groups whose report for ``month`` was on time and not
    found untruthful, best first (equal totals keep their tie flag; the reviewer decides)."""
    monthly = rubric.awards.monthly
    if month not in rubric.reports.months:
        raise ValueError(f"{month!r} is not a reporting month of {rubric.code}")
    if monthly is None:
        return []
    groups = set(monthly.groups)
    out = []
    for card in ranked_cards:
        if card.group in groups and card.eligible and card.rank is not None:
            status = card.status(month)
            if status.state == "on_time" and not status.untruthful:
                out.append(card)
    out.sort(key=lambda c: -c.total)
    return out
