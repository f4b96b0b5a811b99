"""Named personas and small factories for the web tests (commune reporter, reviewer, leader, ...)."""

from __future__ import annotations

import socket
import threading
import time
from datetime import date
from email import message_from_bytes
from email.policy import default as email_policy

import pytest
from aiosmtpd.controller import Controller
from django.db import connection, transaction
from django.test.utils import override_settings

from thidua.campaigns.services import campaign_create
from thidua.reports.services import ReportData, report_submit
from thidua.scoring import plan_211
from thidua.units.models import Unit, User

PASSWORD = "mat-khau-thu-nghiem"
REFUSED = "@bi-tu-choi.example"  # the test SMTP server refuses the address
REJECTED = "@tu-choi-thu.example"  # the test SMTP server takes the address, then refuses the message


def make_user(username: str, role: str, unit: Unit | None = None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, unit=unit,
                                    first_name=username)
    return user


@pytest.fixture(autouse=True)
def _reset_emails_inline(settings):
    """The tests' SMTP server is read right after a «Quên mật khẩu» request: its email is sent inside the request
    here (tests/web/core/test_password_reset.py sends one after the response, as the server does)."""
    settings.THIDUA_RESET_EMAIL_AFTER_RESPONSE = False


@pytest.fixture(autouse=True)
def _imports_inline(settings):
    """The test client's requests run inside the test's transaction, which a background thread
    cannot see: confirmed portal imports run inline here (tests/web/portal/test_import_jobs.py
    runs the thread itself)."""
    settings.THIDUA_IMPORT_IN_BACKGROUND = False


@pytest.fixture(autouse=True)
def _portal_figures_counted_afresh():
    """The portal's figures are kept under the latest import, in-process and in the cache (thidua.portal.selectors): a
    test's rolled-back import may come back in the next test with the same id, file and pinned time, other rows."""
    from django.core.cache import cache

    from thidua.portal import selectors

    selectors._FIGURES.clear()
    cache.clear()
    yield
    selectors._FIGURES.clear()
    cache.clear()


@pytest.fixture
def registry(db):
    from thidua.demo import _ensure_registry

    _ensure_registry()
    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def campaign(db, registry):
    return campaign_create(rubric=plan_211())


@pytest.fixture
def personas(db, registry):
    """alice reports for Xã Tân Hòa, bob for Thị trấn Một Ngàn, dana for Phòng Tư pháp."""
    return {
        "commune_reporter": make_user("alice", User.Role.REPORTER, registry["X-TAN-HOA"]),
        "other_commune_reporter": make_user("bob", User.Role.REPORTER, registry["TT-MOT-NGAN"]),
        "department_reporter": make_user("dana", User.Role.REPORTER, registry["P-TU-PHAP"]),
        "reviewer": make_user("rita", User.Role.REVIEWER, registry["P-NOI-VU"]),
        "leader": make_user("leo", User.Role.LEADER),
        "admin": make_user("ada", User.Role.ADMIN),
        "outsider": make_user("otto", User.Role.REPORTER, None),
    }


def figures(**overrides) -> ReportData:
    values = dict(new_accounts=300, dossiers_online=40, resolved_on_time=39, due=40, dossiers_in_person=80,
                  has_plan=True, procedures=("Đăng ký khai sinh", "Chứng thực bản sao từ bản chính"))
    values.update(overrides)
    return ReportData(**values)


def submit(campaign, user, month: str, on: date | str, **overrides):
    """Submit a report for the user's unit as if the server clock read `on` (09:00 local)."""
    moment = on if isinstance(on, str) else f"{on.isoformat()}T09:00:00+07:00"
    with override_settings(THIDUA_NOW=moment):
        return report_submit(campaign=campaign, unit=user.unit, month=month, actor=user, data=figures(**overrides))


@pytest.fixture
def client_for(client):
    """client_for(user) logs the test client in as that persona."""

    def login(user):
        client.force_login(user)
        return client

    return login


# ----- a real SMTP server (aiosmtpd) for the emails ------------------------------------------------

class Mailbox:
    """An SMTP server's handler: keeps every message; refuses addresses at REFUSED, messages to REJECTED."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith(REFUSED):
            return "550 5.1.1 Không có hộp thư này"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(address.endswith(REJECTED) for address in envelope.rcpt_tos):
            return "554 5.7.1 Thu bi tu choi"
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=email_policy)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_settings(settings):
    """Email on, through a real SMTP server on this machine (smtp_server starts it)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.THIDUA_EMAIL_ENABLED = True
    settings.DEFAULT_FROM_EMAIL = "Phòng Nội vụ <noivu@chauthanha.example>"
    settings.THIDUA_SITE_URL = "https://thidua.chauthanha.example"
    return settings


@pytest.fixture
def smtp_server(smtp_settings):
    """An aiosmtpd server on smtp_settings' port; returns its Mailbox."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=smtp_settings.EMAIL_PORT)
    controller.start()
    yield box
    controller.stop()


def at_once(first, second) -> list:
    """Two users' writes at the same moment, each in its own thread and database connection: ``first`` runs
    in a transaction kept open a moment after it returns, while ``second`` is sent. Returns what each
    returned or raised (the exception itself), in the order they finished (a second that waited on the first's
    locks after the first). The tests' in-memory SQLite database refuses a second writer at once («table is
    locked»), so there they run one after the other: only PostgreSQL shows the race."""
    done_first, sent, outcomes = threading.Event(), threading.Event(), []

    def run_first():
        place = None
        try:
            with transaction.atomic():
                result = first()
                done_first.set()
                sent.wait(10)
                time.sleep(0.5)  # the second write arrives meanwhile
                # recorded before the commit: a second write that waits on this one's locks wakes at the commit
                # and could otherwise be recorded first
                place = len(outcomes)
                outcomes.append(result)
        except Exception as exc:  # handed to the test, which asserts on it (also a commit that failed)
            if place is None:
                outcomes.append(exc)
            else:
                outcomes[place] = exc
        finally:
            done_first.set()
            connection.close()

    def run_second():
        try:
            done_first.wait(10)
            sent.set()
            outcomes.append(second())
        except Exception as exc:  # handed to the test, which asserts on it
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    if connection.vendor == "sqlite":
        sent.set()
        for thread in threads:
            thread.start()
            thread.join(30)
    else:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    return outcomes
