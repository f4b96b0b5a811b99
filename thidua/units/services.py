"""Writes to the unit registry: import a registry file whole or not at all, audited."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from thidua.core.audit import audit
from thidua.core.locks import one_at_a_time
from thidua.units.models import Unit
from thidua.units.registry_file import FIELDS, RegistryPlan
from thidua.units.selectors import UnitImportRejected, unit_registry_plan

__all__ = ["UnitImportOutcome", "UnitImportRejected", "unit_registry_import", "unit_save"]


@dataclass(frozen=True)
class UnitImportOutcome:
    plan: RegistryPlan
    sha256: str
    dry_run: bool

    @property
    def created(self) -> int:
        return self.plan.created

    @property
    def updated(self) -> int:
        return self.plan.updated

    @property
    def unchanged(self) -> int:
        return self.plan.unchanged


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def unit_registry_import(*, path: Path, actor=None, original_name: str | None = None,
                         dry_run: bool = False) -> UnitImportOutcome:
    """Create or update the units of a registry file (.csv, .xlsx…) by code, all of them or none.

    Units the file does not list are left as they are (never retired by omission). Any error in the
    file raises UnitImportRejected with every message and writes nothing; a dry run only plans."""
    path = Path(path)
    original_name = original_name or path.name
    sha = _sha256(path)
    with transaction.atomic():
        if not dry_run:
            # The same file confirmed twice at once (a double click, two tabs) planned its new units twice against
            # the registry without them, and the second's insert failed on the unique code (IntegrityError, error
            # 500): the second now waits for the first's commit and plans against the registry it left.
            one_at_a_time("units.registry_import")
        # planned inside the transaction, against the registry as it is when the rows are written
        plan = unit_registry_plan(path=path, original_name=original_name)
        if not plan.ok:
            raise UnitImportRejected(plan.messages(), plan)
        if dry_run:
            return UnitImportOutcome(plan, sha, True)
        _apply(plan, actor=actor)
        if plan.created or plan.updated:
            from thidua.campaigns.models import Campaign
            from thidua.campaigns.services import campaign_touch

            for campaign in Campaign.objects.all():  # the registry is every campaign's: who competes may have changed
                campaign_touch(campaign=campaign)
        audit("units.imported", actor=actor,
              summary=(f"Nhập danh mục đơn vị từ tệp «{original_name}»: {len(plan.changes)} đơn vị, "
                       f"thêm mới {plan.created}, cập nhật {plan.updated}, không đổi {plan.unchanged}"),
              before={c.code: {f: before for f, before, _ in c.diffs} for c in plan.changes if c.action == "update"},
              after={"file": original_name, "sha256": sha, "rows": len(plan.changes), "created": plan.created,
                     "updated": plan.updated, "unchanged": plan.unchanged,
                     "created_codes": [c.code for c in plan.changes if c.action == "create"],
                     "changes": {c.code: {f: after for f, _, after in c.diffs}
                                 for c in plan.changes if c.action == "update"}})
    return UnitImportOutcome(plan, sha, False)


# What a unit's own page in /quan-tri/ changes that the standing reads: who competes, in which group, from which
# month, under which name and in which order.
UNIT_FIELDS = ("code", "name", "level", "group", "parent", "active", "head_name", "head_title", "description",
               "sort_order", "first_month")


@transaction.atomic
def unit_save(*, unit: Unit, actor=None) -> Unit:
    """Add or change one unit (the administrator's page in /quan-tri/, or its list's «Đang hoạt động» and order).

    Audited with what changed, and every campaign's cached scorecards are dropped: a unit added, retired,
    renamed or moved to another group is scored, ranked and listed as it is now on every page at once. A campaign
    that is over keeps its units as they were first (campaigns.services.campaign_rosters_keep)."""
    from thidua.campaigns.models import Campaign
    from thidua.campaigns.services import campaign_rosters_keep, campaign_touch

    if getattr(unit, "as_in_campaign", None) is not None:
        raise ValueError("A unit as a past campaign kept it is read-only: fetch the registry's own unit to save it.")
    created = unit.pk is None
    stored = None if created else Unit.objects.select_for_update().filter(pk=unit.pk).first()
    before = {} if stored is None else _unit_values(stored)
    if created or before != _unit_values(unit):
        campaign_rosters_keep(actor=actor)  # a campaign that is over keeps its units as they were
    unit.save()
    after = _unit_values(unit)
    changed = {f: after[f] for f in UNIT_FIELDS if created or before.get(f) != after[f]}
    if not changed:
        return unit
    for campaign in Campaign.objects.all():  # the registry is every campaign's: who competes may have changed
        campaign_touch(campaign=campaign)
    if "name" in changed:
        portal_names_follow(unit=unit, former="" if created else before["name"], actor=actor)
    words = "Thêm đơn vị" if created else "Sửa đơn vị"
    audit("units.created" if created else "units.changed", actor=actor, obj=unit, unit_code=unit.code,
          summary=f"{words} «{unit.name}» ({unit.code}) trong danh mục",
          before=None if created else {f: before.get(f) for f in changed}, after=changed)
    return unit


def portal_names_follow(*, unit: Unit, former: str = "", actor=None) -> None:
    """The names portal exports are matched by follow a unit named anew (a commune become a ward, or a merged
    unit given a former unit's name):

    - a name remembered for another unit that is now this unit's own name is forgotten (audited), as a
      reviewer forgets one: the registry's name decides, not a mapping made before;
    - the former name is remembered as this unit's (audited), as a reviewer maps an unknown name, since the
      portal writes it for a while yet; not when it is remembered already or another unit bears it now."""
    from thidua.portal.models import UnitAlias
    from thidua.portal.parsing import normalize_unit_name
    from thidua.portal.services import unit_alias_forget, unit_alias_remember

    key = normalize_unit_name(unit.name)
    for alias in UnitAlias.objects.filter(raw_key=key).exclude(unit=unit):
        unit_alias_forget(alias=alias, actor=actor)
    former_key = normalize_unit_name(former)
    if not former_key or former_key == key or UnitAlias.objects.filter(raw_key=former_key).exists():
        return
    others = Unit.objects.exclude(pk=unit.pk).values_list("name", flat=True)
    if any(normalize_unit_name(name) == former_key for name in others):
        return
    try:
        unit_alias_remember(raw_name=former, unit=unit, actor=actor)
    except ValidationError:
        pass  # too long to be remembered: a reviewer maps it by hand, as any unknown name


def _unit_values(unit: Unit) -> dict:
    return {f: (unit.parent_id if f == "parent" else getattr(unit, f)) for f in UNIT_FIELDS}


def _apply(plan: RegistryPlan, actor=None) -> None:
    """Two passes: every unit's own fields, then the parents (a parent may come later in the file)."""
    from thidua.campaigns.services import campaign_rosters_keep

    if plan.created or plan.updated:
        campaign_rosters_keep(actor=actor)  # a campaign that is over keeps its units as they were
    parent_codes = {c.values["parent"] for c in plan.changes if c.values["parent"]}
    units = {u.code: u for u in Unit.objects.select_for_update().filter(
        code__in={c.code for c in plan.changes} | parent_codes)}
    own = [f for f in FIELDS if f != "parent"]
    for change in plan.changes:
        if change.action == "create":
            unit = Unit(code=change.code, **{f: change.values[f] for f in own})
            _check(unit, change.row)
            unit.save()
            units[change.code] = unit
        elif change.action == "update":
            fields = [f for f, _, _ in change.diffs if f != "parent"]
            if fields:
                unit = units[change.code]
                for f in fields:
                    setattr(unit, f, change.values[f])
                _check(unit, change.row)
                unit.save(update_fields=fields)
    for change in plan.changes:  # once every unit has its new name
        if change.action == "create":
            portal_names_follow(unit=units[change.code], actor=actor)
        for field, old, _ in change.diffs if change.action == "update" else ():
            if field == "name":
                portal_names_follow(unit=units[change.code], former=old, actor=actor)
    for change in plan.changes:
        new_with_parent = change.action == "create" and change.values["parent"]
        if new_with_parent or any(f == "parent" for f, _, _ in change.diffs):
            unit = units[change.code]
            unit.parent = units[change.values["parent"]] if change.values["parent"] else None
            unit.save(update_fields=["parent"])


def _check(unit: Unit, row: int) -> None:
    """The model's own validation, a safety net behind the file checks (they name the same limits)."""
    try:
        unit.full_clean(exclude=["parent"], validate_unique=False)
    except ValidationError as exc:
        raise UnitImportRejected([f"Dòng {row}: {message}" for message in exc.messages]) from exc
