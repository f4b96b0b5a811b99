"""Reads of the unit registry: the snapshot an import is planned against, the page's overview."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from thidua.scoring.text import format_month
from thidua.units.models import Unit
from thidua.units.registry_file import (
    DEFAULT_GROUPS,
    FIELD_LABELS,
    RegistryFileError,
    RegistryPlan,
    plan_registry,
    read_registry_file,
)


class UnitImportRejected(Exception):
    """The file cannot be imported; ``messages`` are Vietnamese lines, each naming its row."""

    def __init__(self, messages: list[str], plan: RegistryPlan | None = None):
        super().__init__("\n".join(messages))
        self.messages = messages
        self.plan = plan


def unit_by_code(code: str) -> Unit | None:
    """The unit with this code, or None. A code typed in lower case in an address (``/don-vi/x-tan-hoa/``, as
    the reporter's user name is written) finds the unit whose code is written in capitals, as the registry
    file writes them; a code in the registry as written comes first."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None and code != code.upper():
        unit = Unit.objects.filter(code=code.upper()).first()
    return unit


def registry_groups() -> dict[str, tuple[str, ...]]:
    """The competition groups a unit may join: Plan 211's keys and those of the active campaigns' rubrics,
    each by the active campaign's name first («Xã, phường, đặc khu» for a province), the one the registry file,
    its preview and its help write; the other names are still read."""
    from thidua.campaigns.models import Campaign

    groups = {key: tuple(names) for key, names in DEFAULT_GROUPS.items()}
    for campaign in Campaign.objects.filter(active=True):
        for key, group in campaign.rubric.groups.items():
            groups[key] = (group.label, *(name for name in groups.get(key, ()) if name != group.label))
    return groups


def registry_snapshot() -> dict[str, dict]:
    """code -> the fields an import compares (the parent as its code)."""
    rows = Unit.objects.values("code", "name", "level", "group", "parent__code", "head_name", "head_title",
                               "sort_order", "active", "description", "first_month")
    return {row.pop("code"): {**row, "parent": row.pop("parent__code") or ""} for row in rows}


def registry_export_units() -> list[dict]:
    """Every unit as the registry file lists it (the parent as its code), parents first, then by order and
    name: the file «Tải danh mục hiện có» offers, to edit and import again."""
    registry = registry_snapshot()
    depths: dict[str, int] = {}

    def depth(code: str) -> int:
        if code not in depths:
            depths[code] = 0  # a cycle (the import refuses them) cannot recurse forever
            parent = registry[code]["parent"]
            depths[code] = depth(parent) + 1 if parent in registry else 0
        return depths[code]

    codes = sorted(registry, key=lambda c: (depth(c), registry[c]["sort_order"], registry[c]["name"], c))
    return [{"code": code, **registry[code]} for code in codes]


def unit_registry_plan(*, path: Path, original_name: str | None = None) -> RegistryPlan:
    """What importing the file would change in the registry; writes nothing.

    Raises UnitImportRejected when the file as a whole cannot be read; row errors are in the plan."""
    try:
        read = read_registry_file(path, original_name=original_name, max_bytes=settings.THIDUA_MAX_IMPORT_BYTES,
                                  groups=registry_groups())
    except RegistryFileError as exc:
        raise UnitImportRejected([exc.message]) from exc
    return plan_registry(read, registry_snapshot())


def _shown(field: str, value: object, groups: dict[str, tuple[str, ...]]) -> str:
    if field == "group" and groups.get(value):
        return f"{groups[value][0]} ({value})"
    if field == "level":
        return Unit.Level(value).label if value else ""
    if field == "active":
        return "Có" if value else "Không"
    if value in ("", None):
        return {"group": "(không thi đua)", "parent": "(không có)", "first_month": "(từ đầu)"}.get(field, "(trống)")
    if field == "first_month":
        return format_month(value)
    return str(value)


@dataclass(frozen=True)
class ChangeRow:
    row: int
    code: str
    name: str
    action: str  # create | update | unchanged
    details: list[tuple[str, str, str]]  # (label, before, after) for an update; (label, "", value) for a new unit


def plan_rows(plan: RegistryPlan) -> list[ChangeRow]:
    """The plan as the preview and the command show it: labels and values in words."""
    groups = registry_groups()
    shown = []
    for change in plan.changes:
        if change.action == "create":
            details = [(FIELD_LABELS[f], "", _shown(f, change.values[f], groups))
                       for f in ("level", "group", "parent", "first_month") if change.values.get(f)]
        else:
            details = [(FIELD_LABELS[f], _shown(f, before, groups), _shown(f, after, groups))
                       for f, before, after in change.diffs]
        shown.append(ChangeRow(change.row, change.code, change.name, change.action, details))
    return shown


@dataclass(frozen=True)
class LevelSummary:
    level: str
    label: str
    units: list[Unit]

    @property
    def active(self) -> int:
        return sum(1 for unit in self.units if unit.active)


def registry_overview() -> list[LevelSummary]:
    """The registry by level, province first; each level's units in the registry's order, each with its
    ``group_name``: the group as the active campaign names it ("Xã, thị trấn"), else as the registry file does."""
    from thidua.campaigns.selectors import active_group_names

    names = {key: names[0] for key, names in DEFAULT_GROUPS.items()} | active_group_names()
    units = list(Unit.objects.select_related("parent"))
    for unit in units:
        unit.group_name = names.get(unit.group, unit.group)
    return [LevelSummary(level, label, [u for u in units if u.level == level])
            for level, label in Unit.Level.choices]
