"""The base of our management commands: what argparse says about their arguments, in Vietnamese.

Every command behind the `thidua` console script (demo, serve, import, units, campaign, backup, remind)
subclasses :class:`BaseCommand`. Its parser words a bad argument as "Lỗi: tham số --keep: «abc» không
phải số nguyên." followed by the usage line ("Cách dùng: thidua backup …"), exit status 2; called
from code (``call_command``) it raises our :class:`~thidua.core.management.errors.CommandError`
with the same sentence. The command is named as people type it (``thidua import``, not
``thidua import_portal``).

argparse builds its messages with the process-wide ``gettext``, which no catalog of ours can reach:
the values it cannot read and the choices it refuses are worded here from the start
(:meth:`CommandParser._get_value`, :meth:`CommandParser._check_value`); its other messages (a missing
or unknown argument, a missing value) come to :meth:`CommandParser.error` as English sentences of a
known shape and are reworded there (:func:`vietnamese_message`); one of another shape is shown as it is.
"""

from __future__ import annotations

import os
import re
from argparse import SUPPRESS, ArgumentError, ArgumentTypeError

from django.core.management.base import BaseCommand as DjangoBaseCommand
from django.core.management.base import CommandParser as DjangoCommandParser
from django.core.management.base import DjangoHelpFormatter

from thidua.core.management.errors import CommandError

USAGE_PREFIX = "Cách dùng: "

# The options every command has (argparse's -h, Django's own) as the help lists them: (metavar, help).
COMMON_OPTIONS = {
    "--help": (None, "hiện hướng dẫn này rồi thoát"),
    "--version": (None, "hiện số phiên bản rồi thoát"),
    "--verbosity": (None, "mức chi tiết khi in: 0 ít nhất, 1 bình thường, 2 chi tiết, 3 rất chi tiết"),
    "--settings": ("MÔ_ĐUN", "mô-đun cấu hình Python, ví dụ thidua.config.settings (mặc định: biến môi trường "
                             "DJANGO_SETTINGS_MODULE)"),
    "--pythonpath": ("THƯ_MỤC", "thư mục thêm vào đường dẫn tìm mô-đun Python"),
    "--traceback": (None, "in đầy đủ vết lỗi (traceback) khi lệnh báo lỗi"),
    "--no-color": (None, "không tô màu khi in"),
    "--force-color": (None, "luôn tô màu khi in"),
    "--skip-checks": (None, "bỏ qua bước kiểm tra hệ thống"),
}

# What a value of each type is, for "«abc» không phải số nguyên".
TYPE_NAMES = {int: "số nguyên", float: "số"}


def _listed(values) -> str:
    """"a, b hoặc c"."""
    words = [str(v) for v in values]
    return ", ".join(words[:-1]) + " hoặc " + words[-1] if len(words) > 1 else "".join(words)


def _sentence(text: str) -> str:
    return text if text.endswith((".", "…")) else text + "."


# argparse's own sentences (Python 3.11 to 3.13) -> ours; {name} stays as argparse gave it.
_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(pattern), wording) for pattern, wording in (
    (r"the following arguments are required: (?P<names>.+)", "thiếu tham số bắt buộc: {names}"),
    (r"unrecognized arguments: (?P<names>.+)", "tham số không hợp lệ: {names}"),
    (r"one of the arguments (?P<names>.+) is required", "cần một trong các tham số {names}"),
    (r"ambiguous option: (?P<option>\S+) could match (?P<names>.+)",
     "tham số {option} chưa rõ, có thể là {names}"),
    (r"expected one argument", "cần một giá trị"),
    (r"expected at most one argument", "chỉ nhận nhiều nhất một giá trị"),
    (r"expected at least one argument", "cần ít nhất một giá trị"),
    (r"expected (?P<count>\d+) arguments?", "cần {count} giá trị"),
    (r"ignored explicit argument (?P<value>.+)", "không nhận giá trị {value}"),
    (r"not allowed with argument (?P<names>.+)", "không dùng được cùng tham số {names}"),
))
_ARGUMENT = re.compile(r"argument (?P<name>\S+): (?P<message>.*)", re.S)
_REQUIRED = re.compile(r"the following arguments are required: (?P<names>.+)")


def vietnamese_message(message: str) -> str:
    """argparse's message about the arguments as one Vietnamese sentence (one of an unknown shape as it is)."""
    found = _ARGUMENT.fullmatch(message)
    if found:
        return f"tham số {found['name']}: {vietnamese_message(found['message'])}"
    for pattern, wording in _MESSAGES:
        found = pattern.fullmatch(message)
        if found:
            return _sentence(wording.format(**found.groupdict()))
    return _sentence(message)


def _help_in_vietnamese(parser) -> None:
    """The help's headings and the common options' words in Vietnamese."""
    parser._positionals.title = "tham số"
    parser._optionals.title = "tùy chọn"
    for action in parser._actions:
        for option in action.option_strings:
            if option in COMMON_OPTIONS and action.help is not SUPPRESS:
                metavar, action.help = COMMON_OPTIONS[option]
                action.metavar = metavar or action.metavar


class HelpFormatter(DjangoHelpFormatter):
    """Django's (its common options last), the usage line headed "Cách dùng:"."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)


class CommandParser(DjangoCommandParser):
    """Django's parser, speaking Vietnamese about the arguments; its sub-commands' parsers are ours too."""

    def __init__(self, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(**kwargs)
        _help_in_vietnamese(self)

    def _get_value(self, action, arg_string):
        try:
            return super()._get_value(action, arg_string)
        except ArgumentError as exc:
            cause = exc.__context__
            if isinstance(cause, ArgumentTypeError) or not isinstance(cause, (TypeError, ValueError)):
                raise  # the type's own message
            kind = TYPE_NAMES.get(action.type)
            wording = f"«{arg_string}» không phải {kind}." if kind else f"«{arg_string}» không hợp lệ."
            raise ArgumentError(action, wording) from None

    def _check_value(self, action, value):
        if action.choices is not None and value not in action.choices:
            raise ArgumentError(action, f"«{value}» không hợp lệ; chọn {_listed(action.choices)}.")

    def _with_choices(self, names: str) -> str:
        """Missing arguments named as argparse names them, each one with choices followed by them:
        "LỆNH (list, create hoặc activate)"."""
        choices = {action.metavar or action.dest: action.choices for action in self._actions
                   if not action.option_strings and action.choices}
        return ", ".join(f"{name} ({_listed(choices[name])})" if name in choices else name
                         for name in names.split(", "))

    def error(self, message):
        required = _REQUIRED.fullmatch(message)
        if required:
            message = _sentence(f"thiếu tham số bắt buộc: {self._with_choices(required['names'])}")
        else:
            message = vietnamese_message(message)
        if self.called_from_command_line:
            self.exit(2, f"Lỗi: {message}\n{self.format_usage()}")
        raise CommandError(message, returncode=2)


def public_name(subcommand: str) -> str:
    """The command as typed after `thidua` ("import" for import_portal)."""
    from thidua.cli import PUBLIC_NAMES

    return PUBLIC_NAMES.get(subcommand, subcommand)


def check_database() -> None:
    """Refuse, in Vietnamese, a database that cannot be reached or has not been migrated.

    Typed on the command line, a command on a fresh install before `thidua manage migrate` (or with a
    wrong DATABASE_URL) would otherwise end in a traceback of "no such table" or "connection refused"."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import OperationalError

    connection = connections[DEFAULT_DB_ALIAS]
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except OperationalError as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise CommandError(
            f"Không kết nối được cơ sở dữ liệu {connection.settings_dict['NAME']} (kiểm tra DATABASE_URL trong "
            f".env và máy chủ cơ sở dữ liệu): {reason}", returncode=2) from None
    if pending:
        raise CommandError(
            "Cơ sở dữ liệu chưa được tạo hoặc chưa cập nhật theo phiên bản phần mềm này; hãy chạy "
            "`thidua manage migrate` trước.", returncode=2)


class BaseCommand(DjangoBaseCommand):
    """Django's command with our parser (above).

    Typed on the command line, a database error is explained by :func:`check_database` when the
    database is unreachable or not migrated (unless the command sets ``requires_migrated_database = False``:
    the demo migrates its own); any other stays as it is."""

    requires_migrated_database = True

    def execute(self, *args, **options):
        from django.db import DatabaseError

        try:
            return super().execute(*args, **options)
        except DatabaseError:
            if not (self.requires_migrated_database and getattr(self, "_called_from_command_line", False)):
                raise
            check_database()
            raise

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        if os.path.basename(prog_name) == "thidua":
            subcommand = public_name(subcommand)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        _help_in_vietnamese(parser)
        return parser

    def add_base_argument(self, parser, *args, **kwargs):
        # Django makes the parser itself, of its own class, with no way to choose another. This is the
        # first thing it does with it (the --version option), before add_arguments() adds ours and any
        # sub-commands, whose parsers are then made of the parser's class: from here on it is ours.
        # CommandParser adds methods only, no state, so the object is whole either way.
        if type(parser) is DjangoCommandParser:
            parser.__class__ = CommandParser
        super().add_base_argument(parser, *args, **kwargs)


__all__ = ["BaseCommand", "CommandError", "CommandParser", "HelpFormatter", "vietnamese_message"]
