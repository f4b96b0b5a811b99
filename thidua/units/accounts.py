"""Reporter accounts in bulk: one per competing unit that has none, with a one-time initial password;
and a new one-time password for a reporter who lost theirs."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass

from axes.utils import reset as axes_reset
from django.core.exceptions import ValidationError
from django.db import transaction

from thidua.core.audit import audit
from thidua.core.locks import one_at_a_time
from thidua.documents.xlsx import Sheet, write_csv
from thidua.units.models import Unit, User

# No 0/O, 1/l/I: the initial password is read off paper and typed on a phone.
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class NewAccount:
    unit_code: str
    unit_name: str
    username: str
    password: str


def initial_password() -> str:
    """Three groups of four characters, e.g. ``Tx7k-P9qm-Z2wd``: 68 bits, never all digits, never common."""
    while True:
        groups = ["".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3)]
        text = "".join(groups)
        if any(c.isdigit() for c in text) and any(c.isalpha() for c in text):
            return "-".join(groups)


def reporters_in_use():
    """The reporter accounts in use: active, with a unit (the ones the accounts page lists, reminders
    and review notices go to, and a lost password can be reset for)."""
    return User.objects.filter(role=User.Role.REPORTER, is_active=True, unit__isnull=False)


def units_without_reporter() -> list[Unit]:
    """Active units that compete (have a group) and have no active reporter account."""
    covered = set(reporters_in_use().values_list("unit_id", flat=True))
    return [u for u in Unit.objects.competing() if u.pk not in covered]


def active_reporters() -> list[User]:
    """The active reporter accounts with their unit, in the registry's order (for the accounts page)."""
    return list(reporters_in_use().select_related("unit").order_by("unit__sort_order", "unit__code", "username"))


def units_fingerprint(units: list[Unit]) -> str:
    """A short digest of which units a page listed, to check that a confirmation still means them."""
    return hashlib.sha256(",".join(sorted(u.code for u in units)).encode()).hexdigest()[:32]


def _free_username(base: str, taken: set[str]) -> str:
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


def planned_usernames(units: list[Unit]) -> list[str]:
    """The user name each unit's new account gets: the unit code in lower case, with a suffix
    ("x-tan-hoa-2") when a user, active or not, already has it."""
    taken = {name.lower() for name in User.objects.values_list("username", flat=True)}
    return [_free_username(unit.code.lower(), taken) for unit in units]


@transaction.atomic
def reporter_accounts_create(*, actor) -> list[NewAccount]:
    """Create a reporter account for every unit of :func:`units_without_reporter`, named as
    :func:`planned_usernames` says. The passwords are returned once and stored only as hashes; the
    audit lists the accounts, never a password. Two at once (a double click) create them once: the second waits,
    then finds every unit with its account (it failed on the first's user names, an error 500)."""
    one_at_a_time("units.reporter_accounts")
    units = units_without_reporter()
    created: list[NewAccount] = []
    for unit, username in zip(units, planned_usernames(units), strict=True):
        password = initial_password()
        User.objects.create_user(username=username, password=password, role=User.Role.REPORTER, unit=unit,
                                 first_name=f"Cán bộ báo cáo {unit.name}"[:150])
        created.append(NewAccount(unit.code, unit.name, username, password))
    if created:
        audit("users.reporters_created", actor=actor,
              summary=f"Tạo {len(created)} tài khoản cán bộ báo cáo cho các đơn vị chưa có tài khoản",
              after={"accounts": [{"unit": a.unit_code, "username": a.username} for a in created]})
    return created


@transaction.atomic
def reporter_password_reset(*, user: User, actor) -> NewAccount:
    """A new initial password for a reporter who lost theirs, returned once (stored only as a hash);
    the account's sign-in lockout, if any, is lifted and its other sessions end. Audited without the
    password."""
    user = reporters_in_use().select_for_update(of=("self",)).select_related("unit").filter(pk=user.pk).first()
    if user is None:
        raise ValidationError("Chỉ đặt lại mật khẩu được cho tài khoản cán bộ báo cáo đang dùng.")
    password = initial_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    axes_reset(username=user.username)
    audit("users.reporter_password_reset", actor=actor, obj=user, unit_code=user.unit.code,
          summary=f"Đặt lại mật khẩu tài khoản {user.username} ({user.unit.name})",
          after={"username": user.username, "unit": user.unit.code})
    return NewAccount(user.unit.code, user.unit.name, user.username, password)


def accounts_csv(accounts: list[NewAccount]) -> bytes:
    """The list handed to the units (UTF-8 with BOM, so Excel shows the diacritics), through the
    exports' formula guard: a unit name is text a spreadsheet never runs. Codes, user names and
    passwords begin with a letter or digit, so they are written as they are."""
    headers = ("Mã đơn vị", "Đơn vị", "Tên đăng nhập", "Mật khẩu ban đầu")
    return write_csv(Sheet("Tài khoản báo cáo", headers,
                           [(a.unit_code, a.unit_name, a.username, a.password) for a in accounts]))


def accounts_csv_data_url(accounts: list[NewAccount]) -> str:
    """:func:`accounts_csv` as a ``data:`` address: the page that shows the passwords once offers the
    same list as a file without the server keeping it anywhere."""
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(accounts_csv(accounts)).decode("ascii")
