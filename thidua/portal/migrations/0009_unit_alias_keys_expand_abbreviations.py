"""Remembered unit names keyed again: ``normalize_unit_name`` now expands abbreviations anywhere in a
name ("Văn phòng UBND TP. Cần Thơ" -> "van phong uy ban nhan dan thanh pho can tho", no longer
"van phong ubnd tp can tho"; "TT-Một Ngàn" -> "thi tran mot ngan"), so ``UnitAlias.raw_key`` is
computed again from the stored raw name (from the stored key, normalized again, when the raw name
may have been cut to the column's length). Remembered names that now share a key: the one
remembered last (``created_at``, then ``pk``) is kept; every other one is forgotten, with an entry
in the audit log as when a reviewer forgets a name. A key longer than the column keeps its old
value (``UnitMatcher`` normalizes the stored keys again). Backwards: nothing to undo."""

from django.db import migrations

from thidua.portal.parsing import normalize_unit_name


def rekey_unit_aliases(apps, schema_editor):
    UnitAlias = apps.get_model("portal", "UnitAlias")
    AuditEvent = apps.get_model("core", "AuditEvent")
    max_length = UnitAlias._meta.get_field("raw_key").max_length
    groups: dict[str, list] = {}
    for alias in UnitAlias.objects.select_related("unit").order_by("created_at", "pk"):
        key = normalize_unit_name(alias.raw_name) if len(alias.raw_name) < max_length else ""
        groups.setdefault(key or normalize_unit_name(alias.raw_key) or alias.raw_key, []).append(alias)
    moved = []
    for key, aliases in groups.items():
        *forgotten, kept = aliases
        for alias in forgotten:
            AuditEvent.objects.create(
                action="portal.unit_alias_forgotten", object_type="portal.UnitAlias", object_id=str(alias.pk),
                unit_code=alias.unit.code,
                summary=(f"Quên tên «{alias.raw_name}» trong tệp Cổng (đã ghi nhớ là {alias.unit.name}): hiểu chữ "
                         f"viết tắt thì trùng với tên «{kept.raw_name}», ghi nhớ sau, là {kept.unit.name}")[:500],
                before={"raw_name": alias.raw_name, "unit": alias.unit.code},
                after={"raw_name": kept.raw_name, "unit": kept.unit.code})
            alias.delete()
        if kept.raw_key != key and len(key) <= max_length:
            moved.append((kept, key))
    # a new key may be another alias's old one: every moved alias first takes a key no name has ("#")
    for alias, _key in moved:
        UnitAlias.objects.filter(pk=alias.pk).update(raw_key=f"#{alias.pk}")
    for alias, key in moved:
        UnitAlias.objects.filter(pk=alias.pk).update(raw_key=key)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_audit_time_from_the_app_clock"),
        ("portal", "0008_dates_from_the_app_clock"),
    ]

    operations = [
        migrations.RunPython(rekey_unit_aliases, migrations.RunPython.noop),
    ]
