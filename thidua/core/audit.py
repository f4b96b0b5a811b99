"""Write audit events from services, inside the same transaction as the change they describe."""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from thidua.core.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    import json

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def audit(
    action: str,
    *,
    actor,
    summary: str,
    obj=None,
    unit_code: str = "",
    campaign_code: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        summary=summary[:500],
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        unit_code=unit_code,
        campaign_code=campaign_code,
        before=_jsonable(before),
        after=_jsonable(after),
    )
