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


# Abbreviations expanded in unit names, in one pass over the lower-case NFC text (the alternative
# that matches names its replacement in _EXPANSIONS). A separator is any run of punctuation or
# spaces, so the expansion reads a name as its accent-free key spells it ("TP.-Cần Thơ" and
# "tp can tho" alike): normalizing a key again gives the key (UnitMatcher re-normalizes the stored
# ones). At the start only, after any "UBND"/"Ủy ban nhân dân", which is dropped: "TT" is thị trấn,
# "X." xã, "P." phòng. Anywhere: "UBND" is Ủy ban nhân dân, "HĐND" Hội đồng nhân dân, "TP" thành
# phố and "TX" thị xã when a name follows. "TT" inside a name is as often "Trung tâm" as "thị
# trấn", and "P." can be "phường": neither is expanded there.
_SEP = r"[\W_]+"
_WORD_AHEAD = r"(?=[^\W_])"  # a letter or digit follows
_NO_WORD_BEFORE = r"(?<![^\W_])"
_UBND = r"(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân|uy ban nhan dan)"
_ABBREVIATIONS = re.compile(
    rf"(?P<tt>^(?:{_UBND}{_SEP})*tt{_SEP}{_WORD_AHEAD})"
    rf"|(?P<x>^(?:{_UBND}{_SEP})*x\s*\.\s*)"
    rf"|(?P<p>^(?:{_UBND}{_SEP})*p\s*\.\s*)"
    rf"|(?P<lead>^(?:{_UBND}{_SEP})+{_WORD_AHEAD})"
    rf"|(?P<tp>{_NO_WORD_BEFORE}tp{_SEP}{_WORD_AHEAD})"
    rf"|(?P<tx>{_NO_WORD_BEFORE}tx{_SEP}{_WORD_AHEAD})"
    rf"|(?P<ubnd>{_NO_WORD_BEFORE}ubnd(?![^\W_]))"
    rf"|(?P<hdnd>{_NO_WORD_BEFORE}h[đd]nd(?![^\W_]))"
)
_EXPANSIONS = {
    "tt": "thị trấn ", "x": "xã ", "p": "phòng ", "lead": "", "tp": "thành phố ", "tx": "thị xã ",
    "ubnd": "ủy ban nhân dân", "hdnd": "hội đồng nhân dân",
}


def _expand(m: re.Match) -> str:
    return _EXPANSIONS[m.lastgroup]  # type: ignore[index]


_TYPE_WORDS = re.compile(r"^(?:xa|thi tran|phuong|phong|ban|van phong)\s+")


def unit_exact_key(name: str) -> str:
    """Key that keeps diacritics: NFC, tone placement unified, lower case, abbreviations expanded
    (see :func:`normalize_unit_name`), punctuation collapsed.
    ``"TT. Một Ngàn"`` -> ``"thị trấn một ngàn"``; ``"Văn phòng UBND TP. Cần Thơ"`` ->
    ``"văn phòng ủy ban nhân dân thành phố cần thơ"``."""
    s = normalize_tone_placement(str(name)).lower().strip()
    s = _ABBREVIATIONS.sub(_expand, " ".join(s.split()))
    return " ".join(_NON_WORD.sub(" ", s).split())


def normalize_unit_name(name: str) -> str:
    """The stored key for a unit name: NFC -> unified tone placement -> abbreviations expanded ->
    accents stripped (đ -> d) -> lower case, whitespace and punctuation collapsed.

    Abbreviations: at the start of a name, a leading "UBND"/"Ủy ban nhân dân" is dropped ("UBND xã
    …" -> xã …) and then "TT"/"TT." is thị trấn, "X." xã, "P." phòng. Anywhere in a name, "UBND" is
    Ủy ban nhân dân, "HĐND"/"HDND" Hội đồng nhân dân, and "TP"/"TP." thành phố and "TX"/"TX." thị
    xã when followed by a name ("Văn phòng UBND TP. Cần Thơ" = "Văn phòng Ủy ban nhân dân thành phố
    Cần Thơ"; "Phòng TP" stays). Not expanded inside a name, being ambiguous there: "TT" (thị trấn
    or Trung tâm: "TT Y tế"), "X."/"P." (xã/phòng/phường). A key is its own key:
    ``normalize_unit_name(key) == key``.
    ``"UBND TT. Một Ngàn"`` -> ``"thi tran mot ngan"``; ``"Tân Hoà"`` and ``"Tân Hòa"`` -> ``"tan hoa"``."""
    return fold(unit_exact_key(name))


_AMBIGUOUS = object()

# Level words of a place ("thành phố Cần Thơ", "TP. Cần Thơ", "huyện Châu Thành A"), accent-free as the
# loose key writes them; the tuples are the spellings of one level word.
_LEVEL_WORDS = (
    ("tinh",), ("thanh pho", "tp", "t p"), ("huyen",), ("quan",), ("thi xa", "tx"), ("thi tran", "tt"),
    ("xa",), ("phuong",), ("dac khu",),
)
_LEVEL_WORD = re.compile(r"^(" + "|".join(w for words in _LEVEL_WORDS for w in words) + r")\s+(?=\S)")
_SPELLINGS = {w: words for words in _LEVEL_WORDS for w in words}


def _place_suffixes(name: str) -> set[str]:
    """The loose keys a unit's name takes at the end of another unit's name: with its level word in
    any of its spellings, or without it. ``"Thành phố Cần Thơ"`` -> ``{"thanh pho can tho",
    "tp can tho", "can tho"}``; a name without a level word ("Cần Thơ") takes any level word."""
    key = fold(unit_exact_key(name))
    m = _LEVEL_WORD.match(key)
    if m is None:
        place, words = key, tuple(_SPELLINGS)
    else:
        place, words = key[m.end():], _SPELLINGS[m.group(1)]
    if not place:
        return set()
    return {place} | {f"{word} {place}" for word in words}


class UnitMatcher:
    """Resolves the unit names found in exports to unit codes.

    ``units``: ``(code, name)`` or ``(code, name, parent_code)`` of every unit of the registry.
    Order: the cell is a unit code -> a name the user mapped before (``remembered``: normalized raw
    name -> code) -> the exact key (diacritics kept, tone placement unified) -> the accent-free key
    -> the accent-free key without the type word ("Tư pháp" -> "Phòng Tư pháp"). Keys that two units
    share are ambiguous and never match. Only then, a name that ends in the name of a unit's
    ancestor (its province or district, with or without the level word: "Sở Tư pháp TP. Cần Thơ",
    "Xã Tân Hòa, huyện Châu Thành A") matches that unit when, with the ancestor's name taken off
    (once or more: district, then province), the rest matches exactly one unit under that ancestor
    (see :meth:`_match_without_places`). Results are cached per raw string.
    """

    def __init__(
        self, units: Iterable[tuple[str, ...]], remembered: Mapping[str, str] | None = None
    ) -> None:
        self._codes: dict[str, str] = {}
        # exact key, accent-free key, accent-free key without the type word -> every unit that has it
        self._all_keys: tuple[dict[str, set[str]], ...] = ({}, {}, {})
        names: dict[str, str] = {}
        parents: dict[str, str] = {}
        for code, name, *parent in units:
            self._codes[str(code).strip().casefold()] = code
            exact = unit_exact_key(name)
            loose = fold(exact)
            for index, key in zip(self._all_keys, (exact, loose, _TYPE_WORDS.sub("", loose)), strict=True):
                if key:
                    index.setdefault(key, set()).add(code)
            names[code] = name
            if parent and parent[0]:
                parents[code] = parent[0]
        # the same keys -> their one unit; a key two units share is ambiguous and never matches alone
        self._exact, self._loose, self._bare = (
            {key: next(iter(codes)) if len(codes) == 1 else _AMBIGUOUS for key, codes in index.items()}
            for index in self._all_keys)
        self._remembered = {normalize_unit_name(k): v for k, v in (remembered or {}).items()}
        self._cache: dict[object, str | None] = {}
        self._places_index(names, parents)

    def _places_index(self, names: Mapping[str, str], parents: Mapping[str, str]) -> None:
        """The indexes of the fallback on ancestors' names: place suffix -> the ancestors it names,
        unit -> its ancestors (the keys' every unit is ``_all_keys``)."""
        self._ancestors: dict[str, frozenset[str]] = {}
        self._places: dict[str, set[str]] = {}
        self._place_ends: set[str] = set()
        self._place_words = 0  # the most words of a place suffix
        self._word_folds: dict[str, str] = {}  # fold() of the words of names, cached (they repeat)
        for code in names:
            chain, up = [], parents.get(code)
            while up is not None and up in names and up not in chain and up != code:
                chain.append(up)
                up = parents.get(up)
            if chain:
                self._ancestors[code] = frozenset(chain)
        if not self._ancestors:
            return
        for ancestor in set().union(*self._ancestors.values()):
            for suffix in _place_suffixes(names[ancestor]):
                self._places.setdefault(suffix, set()).add(ancestor)
                self._place_ends.add(suffix.rsplit(" ", 1)[-1])
                self._place_words = max(self._place_words, suffix.count(" ") + 1)

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
        if found is _AMBIGUOUS:
            return None
        if found is None:
            return self._match_without_places(exact, loose)
        return found  # type: ignore[return-value]

    def _match_without_places(self, exact: str, loose: str) -> str | None:
        """The one unit a name ending in its ancestors' names stands for, or None.

        Every way of taking ancestors' names off the end is tried ("… huyện Châu Thành A" and
        "… huyện" + "Châu Thành A"); each rest is looked up as a whole name is (exact key, then
        accent-free, then without the type word), among the units under every ancestor taken off.
        Two or more units found in all (or none) -> None: the user maps the name."""
        if loose.rpartition(" ")[2] not in self._place_ends:  # also when the registry has no parents
            return None
        folds = self._word_folds
        if len(folds) > 100_000:
            folds.clear()
        words, folded = [], []
        for word in exact.split():
            key = folds.get(word)
            if key is None:
                key = folds[word] = fold(word)
            if key:  # a word of punctuation only has no accent-free key
                words.append(word)
                folded.append(key)
        found: set[str] = set()
        self._strip_places(words, folded, frozenset(), found)
        return next(iter(found)) if len(found) == 1 else None

    def _strip_places(self, words: list[str], folded: list[str], under: frozenset[str], found: set[str]) -> None:
        for cut in range(len(words) - 1, max(1, len(words) - self._place_words) - 1, -1):
            for ancestor in self._places.get(" ".join(folded[cut:]), ()):
                within = under | {ancestor}
                rest_words, rest_folded = words[:cut], folded[:cut]
                exact, loose = " ".join(rest_words), " ".join(rest_folded)
                for index, key in zip(self._all_keys, (exact, loose, loose), strict=True):
                    hits = {c for c in index.get(key, ()) if within <= self._ancestors.get(c, frozenset())}
                    if hits:
                        found.update(hits)
                        break
                else:
                    bare = _TYPE_WORDS.sub("", loose)
                    if bare != loose:
                        found.update(c for c in self._all_keys[2].get(bare, ())
                                     if within <= self._ancestors.get(c, frozenset()))
                if rest_folded[-1] in self._place_ends:
                    self._strip_places(rest_words, rest_folded, within, found)
