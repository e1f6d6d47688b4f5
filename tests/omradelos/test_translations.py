"""The nb, nn and en catalogues are complete, well-formed and compiled.

The project has no polib, so the PO files are read with the small parser below. It follows
the GNU gettext PO format: comments, ``msgctxt``, ``msgid``, ``msgid_plural``, ``msgstr`` and
``msgstr[n]``, each value possibly continued over several quoted lines.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LANGUAGES = ("nb", "nn", "en")


# --- A small PO parser ------------------------------------------------------------------------

_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")
_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"$')


def _unquote(text: str, where: str) -> str:
    match = _QUOTED.match(text.strip())
    if not match:
        raise ValueError(f"{where}: not a quoted PO string: {text!r}")

    def replace(m: re.Match) -> str:
        char = m.group(1)
        if char not in _ESCAPES:
            raise ValueError(f"{where}: unknown escape \\{char}")
        return _ESCAPES[char]

    return re.sub(r"\\(.)", replace, match.group(1))


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid!r}"

    def translations(self) -> list[tuple[str, str]]:
        """(name, text) of every msgstr of the entry."""
        if self.msgid_plural is not None:
            return [(f"msgstr[{n}]", text) for n, text in sorted(self.msgstr_plural.items())]
        return [("msgstr", self.msgstr or "")]


def parse_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None  # the field continuation lines append to
    seen_msgstr = False

    def finish() -> None:
        nonlocal entry, target, seen_msgstr
        if entry is not None:
            if entry.msgid is None:
                raise ValueError(f"{path}:{entry.line}: entry without msgid")
            if entry.msgstr is None and not entry.msgstr_plural:
                raise ValueError(f"{path}:{entry.line}: entry without msgstr")
            entries.append(entry)
        entry, target, seen_msgstr = None, None, False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        where = f"{path}:{number}"
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            # Obsolete entries are not used by gettext; makemessages --no-obsolete drops them.
            finish()
            continue
        if line.startswith("#"):
            if seen_msgstr:  # a comment after a msgstr opens the next entry
                finish()
            if entry is None:
                entry = Entry(line=number)
            if line.startswith("#,"):
                entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            elif line.startswith("#:"):
                entry.references.extend(line[2:].split())
            target = None
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, value = match.group(1), match.group(2), match.group(3)
            if keyword in ("msgctxt", "msgid") and seen_msgstr:
                finish()
            if entry is None:
                entry = Entry(line=number)
            text = _unquote(value, where)
            if keyword == "msgctxt":
                entry.msgctxt, target = text, ("msgctxt", None)
            elif keyword == "msgid":
                entry.msgid, target = text, ("msgid", None)
            elif keyword == "msgid_plural":
                entry.msgid_plural, target = text, ("msgid_plural", None)
            elif index is not None:
                n = int(index)
                if n in entry.msgstr_plural:
                    raise ValueError(f"{where}: duplicate msgstr[{n}]")
                entry.msgstr_plural[n], target = text, ("msgstr_plural", n)
                seen_msgstr = True
            else:
                entry.msgstr, target = text, ("msgstr", None)
                seen_msgstr = True
            continue
        if line.startswith('"'):
            if entry is None or target is None:
                raise ValueError(f"{where}: continuation line outside a field")
            text = _unquote(line, where)
            name, n = target
            if name == "msgstr_plural":
                entry.msgstr_plural[n] += text
            else:
                setattr(entry, name, getattr(entry, name) + text)
            continue
        raise ValueError(f"{where}: cannot parse {raw!r}")
    finish()
    return entries


# --- Placeholders -------------------------------------------------------------------------------

# printf-style conversion as Python's % operator reads it; "%%" is a literal percent sign.
_PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
    r"(?P<conv>[diouxXeEfFgGcrsa%])"
    r"|%(?P<bad>.?)",
    re.DOTALL,
)
_BRACE = re.compile(r"\{\{|\}\}|\{(?P<field>[^{}]*)\}|(?P<bad>[{}])")


def python_format_placeholders(text: str) -> tuple[frozenset[str], tuple[str, ...], int]:
    """Named placeholders (a set), positional ones (in order) and stray '%' signs."""
    named: set[str] = set()
    positional: list[str] = []
    stray = 0
    for m in _PERCENT.finditer(text):
        if m.group("conv") is None:
            stray += 1
        elif m.group(0) == "%%":
            continue
        elif m.group("name") is not None:
            named.add(f"%({m.group('name')}){m.group('conv')}")
        else:
            positional.append(m.group(0))
    return frozenset(named), tuple(positional), stray


def brace_format_placeholders(text: str) -> tuple[Counter, int]:
    fields: Counter = Counter()
    stray = 0
    for m in _BRACE.finditer(text):
        if m.group("bad"):
            stray += 1
        elif m.group("field") is not None:
            fields[m.group("field")] += 1
    return fields, stray


# --- Fixtures -----------------------------------------------------------------------------------


def _locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def _po_path(lang: str) -> Path:
    return _locale_dir() / lang / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module", params=LANGUAGES)
def catalogue(request) -> tuple[str, list[Entry]]:
    path = _po_path(request.param)
    assert path.is_file(), f"{path} is missing; run makemessages -l {request.param}"
    return request.param, parse_po(path)


def _nplurals(entries: list[Entry]) -> int:
    header = next(e for e in entries if e.is_header)
    match = re.search(r"^Plural-Forms:.*nplurals\s*=\s*(\d+)", header.msgstr or "", re.M)
    assert match, "the header has no Plural-Forms"
    return int(match.group(1))


# --- The parser itself ------------------------------------------------------------------------


def test_parser_reads_multiline_strings_plurals_and_flags(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        '# header\n#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: nb\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid ""\n"Hello "\n"%(name)s"\n'
        'msgstr "Hei %(name)s"\n'
        '#: b.py:2\nmsgctxt "ctx"\nmsgid "%d item"\nmsgid_plural ""\n"%d items"\n'
        'msgstr[0] "%d ting"\nmsgstr[1] ""\n\n'
        '#~ msgid "old"\n#~ msgstr ""\n\n'
        'msgid "Say \\"hi\\"\\n"\nmsgstr "Si \\"hei\\"\\n"\n',
        encoding="utf-8",
    )
    header, hello, items, quoted = parse_po(po)
    assert header.is_header and "fuzzy" in header.flags
    assert "nplurals=2" in header.msgstr
    assert hello.msgid == "Hello %(name)s" and hello.msgstr == "Hei %(name)s"
    assert hello.flags == {"python-format"} and hello.references == ["a.py:1"]
    assert items.msgctxt == "ctx" and items.msgid_plural == "%d items"
    assert items.msgstr_plural == {0: "%d ting", 1: ""}
    assert quoted.msgid == 'Say "hi"\n' and quoted.msgstr == 'Si "hei"\n'


def test_placeholder_helpers():
    assert python_format_placeholders("zoom to 400 %% and %(a)s %(a)s %d") == (
        frozenset({"%(a)s"}),
        ("%d",),
        0,
    )
    assert python_format_placeholders("400 % og")[2] == 0  # "% o" is a (wrong) conversion
    assert python_format_placeholders("400 % og")[1] == ("% o",)
    assert python_format_placeholders("ends with %")[2] == 1
    assert brace_format_placeholders("{name} {{literal}} {0:>3}") == (
        Counter({"name": 1, "0:>3": 1}),
        0,
    )


# --- The catalogues -----------------------------------------------------------------------------


def test_no_fuzzy_entries(catalogue):
    lang, entries = catalogue
    fuzzy = [e.label for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, f"{lang}: fuzzy entries must be checked and unflagged: {fuzzy}"


def test_every_entry_is_translated(catalogue):
    lang, entries = catalogue
    nplurals = _nplurals(entries)
    problems = []
    for entry in entries:
        if entry.msgid_plural is not None:
            if sorted(entry.msgstr_plural) != list(range(nplurals)):
                problems.append(f"{entry.label}: expected msgstr[0..{nplurals - 1}]")
        elif entry.msgstr_plural:
            problems.append(f"{entry.label}: msgstr[n] without msgid_plural")
        for name, text in entry.translations():
            if not text.strip():
                problems.append(f"{entry.label}: empty {name}")
    assert not problems, f"{lang}:\n" + "\n".join(problems)


def test_no_duplicate_entries(catalogue):
    lang, entries = catalogue
    counts = Counter((e.msgctxt, e.msgid) for e in entries)
    duplicates = [key for key, n in counts.items() if n > 1]
    assert not duplicates, f"{lang}: duplicate entries {duplicates}"


def test_format_placeholders_match(catalogue):
    lang, entries = catalogue
    problems = []
    for entry in entries:
        source = entry.msgid_plural if entry.msgid_plural is not None else entry.msgid
        if "python-format" in entry.flags:
            if entry.msgid_plural is not None and (
                python_format_placeholders(entry.msgid)[:2]
                != python_format_placeholders(entry.msgid_plural)[:2]
            ):
                problems.append(f"{entry.label}: msgid and msgid_plural differ")
            want = python_format_placeholders(source)
            for name, text in entry.translations():
                got = python_format_placeholders(text)
                if got[2]:
                    problems.append(f"{entry.label}: {name} has a lone '%' (write '%%')")
                if got[:2] != want[:2]:
                    problems.append(f"{entry.label}: {name} has {got[:2]}, msgid has {want[:2]}")
        if "python-brace-format" in entry.flags:
            want_fields, _ = brace_format_placeholders(source)
            for name, text in entry.translations():
                got_fields, stray = brace_format_placeholders(text)
                if stray:
                    problems.append(f"{entry.label}: {name} has a lone brace")
                if set(got_fields) != set(want_fields):
                    problems.append(
                        f"{entry.label}: {name} has {sorted(got_fields)}, "
                        f"msgid has {sorted(want_fields)}"
                    )
    assert not problems, f"{lang}:\n" + "\n".join(problems)


def test_all_catalogues_hold_the_same_project_strings():
    """Strings extracted from our own code (entries with a source reference) are in all three."""
    project = {}
    for lang in LANGUAGES:
        entries = parse_po(_po_path(lang))
        project[lang] = {(e.msgctxt, e.msgid, e.msgid_plural) for e in entries if e.references}
    for lang in LANGUAGES[1:]:
        assert project[lang] == project["nb"], (
            f"{lang} and nb differ; run makemessages for all languages: "
            f"only in {lang}: {sorted(project[lang] - project['nb'], key=str)}, "
            f"only in nb: {sorted(project['nb'] - project[lang], key=str)}"
        )


# --- The compiled catalogues --------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_exists_and_is_current(lang):
    """*.mo files are not in git: run ``manage.py compilemessages`` after changing a .po file."""
    mo_path = _po_path(lang).with_suffix(".mo")
    assert mo_path.is_file(), f"{mo_path} is missing; run manage.py compilemessages"
    with mo_path.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for entry in parse_po(_po_path(lang)):
        # msgfmt leaves out the header, fuzzy and untranslated entries (other tests catch those).
        if entry.is_header or "fuzzy" in entry.flags:
            continue
        if not all(text for _, text in entry.translations()):
            continue
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is not None:
            for n, text in entry.msgstr_plural.items():
                if compiled._catalog.get((key, n)) != text:
                    stale.append(f"{entry.label} msgstr[{n}]")
        elif compiled._catalog.get(key) != entry.msgstr:
            stale.append(entry.label)
    assert not stale, f"{mo_path} is out of date; run manage.py compilemessages: {stale}"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nb", "Hopp til hovedinnholdet"),
        ("nn", "Hopp til hovudinnhaldet"),
        ("en", "Skip to main content"),
    ],
)
def test_project_string_is_translated(lang, expected):
    with translation.override(lang):
        assert translation.gettext("Skip to main content") == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nb", "Passordet er for kort. Det må inneholde minst 10 tegn."),
        ("nn", "Passordet er for kort. Det må innehalde minst 10 teikn."),
    ],
)
def test_password_length_error_is_translated(lang, expected):
    """Django 5.2 changed this msgid and its own nb/nn catalogues lack it; ours supplies it."""
    from django.contrib.auth.password_validation import MinimumLengthValidator

    with translation.override(lang):
        assert MinimumLengthValidator(min_length=10).get_error_message() == expected


def test_no_catalogue_keeps_a_fuzzy_guess_from_makemessages():
    """``#|`` marks a translation makemessages copied from a similar msgid: always wrong here."""
    for lang in ("nb", "nn", "en"):
        text = _po_path(lang).read_text(encoding="utf-8")
        assert "\n#| " not in text, lang
