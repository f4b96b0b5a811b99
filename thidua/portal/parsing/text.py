"""Vietnamese text keys: header folding and unit-name matching."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

_COMBINING = re.compile("[\u0300-\u036f]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_NON_WORD = re.compile(r"[\W_]+")
_D = str.maketrans({"đ": "d", "Đ": "d"})

# Old-style tone placement ("hoà", "khoẻ", "thuỷ") -> new style ("hòa", "khỏe", "thủy"), on NFD text:
# the tone mark sits on the second vowel of a final "oa"/"oe"/"uy" cluster (not "qu-y").
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_OLD_TONE = re.compile(rf"(?<![qQ])([oO][aAeE]|[uU][yY])([{_TONES}])(?![^\W\d_])")


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key: ``"Ngày hẹn trả (*)"`` -> ``"ngay hen tra"``."""
    s = unicodedata.normalize("NFD", str(text).translate(_D))
    s = _COMBINING.sub("", s).lower()
    return _NON_ALNUM.sub(" ", s).strip()


def normalize_tone_placement(text: str) -> str:
    """NFC text with the new-style tone placement (``"Tân Hoà"`` -> ``"Tân Hòa"``)."""
    s = unicodedata.normalize("NFD", text)
    s = _OLD_TONE.sub(lambda m: m.group(1)[0] + m.group(2) + m.group(1)[1], s)
    return unicodedata.normalize("NFC", s)


_PREFIXES = (
    (re.compile(r"^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+"), ""),
    (re.compile(r"^tt\s*\.\s*|^tt\s+"), "thị trấn "),
    (re.compile(r"^x\s*\.\s*"), "xã "),
    (re.compile(r"^p\s*\.\s*"), "phòng "),
)
_TYPE_WORDS = re.compile(r"^(?:xa|thi tran|phuong|phong|ban|van phong)\s+")


def unit_exact_key(name: str) -> str:
    """Key that keeps diacritics: NFC, tone placement unified, lower case, prefixes expanded,
    punctuation collapsed. ``"TT. Một Ngàn"`` -> ``"thị trấn một ngàn"``."""
    s = normalize_tone_placement(str(name)).lower().strip()
    s = " ".join(s.split())
    for pattern, repl in _PREFIXES:
        s = pattern.sub(repl, s, count=1)
    return " ".join(_NON_WORD.sub(" ", s).split())


def normalize_unit_name(name: str) -> str:
    """The stored key for a unit name: NFC -> unified tone placement -> prefixes expanded
    ("TT." -> thị trấn, "X." -> xã, "P." -> phòng, "UBND xã …" -> xã …) -> accents stripped
    (đ -> d) -> lower case, whitespace and punctuation collapsed.
    ``"UBND TT. Một Ngàn"`` -> ``"thi tran mot ngan"``; ``"Tân Hoà"`` and ``"Tân Hòa"`` -> ``"tan hoa"``."""
    return fold(unit_exact_key(name))


_AMBIGUOUS = object()


def _put(index: dict, key: str, code: str) -> None:
    if not key:
        return
    old = index.get(key)
    if old is None:
        index[key] = code
    elif old != code:
        index[key] = _AMBIGUOUS


class UnitMatcher:
    """Resolves the unit names found in exports to unit codes.

    Order: the cell is a unit code -> a name the user mapped before (``remembered``: normalized raw
    name -> code) -> the exact key (diacritics kept, tone placement unified) -> the accent-free key
    -> the accent-free key without the type word ("Tư pháp" -> "Phòng Tư pháp"). Keys that two units
    share are ambiguous and never match. Results are cached per raw string.
    """

    def __init__(
        self, units: Iterable[tuple[str, str]], remembered: Mapping[str, str] | None = None
    ) -> None:
        self._codes: dict[str, str] = {}
        self._exact: dict[str, object] = {}
        self._loose: dict[str, object] = {}
        self._bare: dict[str, object] = {}
        for code, name in units:
            self._codes[str(code).strip().casefold()] = code
            exact = unit_exact_key(name)
            loose = fold(exact)
            _put(self._exact, exact, code)
            _put(self._loose, loose, code)
            _put(self._bare, _TYPE_WORDS.sub("", loose), code)
        self._remembered = {normalize_unit_name(k): v for k, v in (remembered or {}).items()}
        self._cache: dict[object, str | None] = {}

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self._codes.values())

    def match(self, raw_name: object) -> str | None:
        try:
            return self._cache[raw_name]
        except KeyError:
            pass
        except TypeError:  # unhashable cell value
            return None
        code = self._match(raw_name)
        if len(self._cache) > 100_000:
            self._cache.clear()
        self._cache[raw_name] = code
        return code

    def _match(self, raw_name: object) -> str | None:
        text = "" if raw_name is None else str(raw_name).strip()
        if not text:
            return None
        code = self._codes.get(text.casefold())
        if code is not None:
            return code
        exact = unit_exact_key(text)
        loose = fold(exact)
        code = self._remembered.get(loose)
        if code is not None:
            return code
        for index, key in ((self._exact, exact), (self._loose, loose), (self._bare, loose)):
            found = index.get(key)
            if found is not None:
                return None if found is _AMBIGUOUS else found  # type: ignore[return-value]
        bare = _TYPE_WORDS.sub("", loose)
        found = self._bare.get(bare) if bare != loose else None
        if found is None or found is _AMBIGUOUS:
            return None
        return found  # type: ignore[return-value]
