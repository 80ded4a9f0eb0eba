"""The translation catalogs: English is complete, and every compiled .mo matches its .po.

Thai is the msgid, so a string someone forgot to translate does not break anything in Thai:
it silently stays Thai for English readers. These tests are what notices.
"""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"

needs_gettext = pytest.mark.skipif(
    not (shutil.which("xgettext") and shutil.which("msgmerge") and shutil.which("msgfmt")),
    reason="GNU gettext is missing: scripts/ensure-gettext.sh installs it",
)


def source_dirs() -> list[str]:
    """Return the folders makemessages reads: the project's apps, templates and locale."""
    ours = {
        Path(config.path).relative_to(ROOT).parts[0]
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT)
    }
    return sorted(ours | {"ita_tracker", "templates", "locale"})


def unquote(text: str) -> str:
    """Return the value of one quoted .po string ("a\\"b" → a"b)."""
    body = text.strip()[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            out.append(escapes.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def parse_po(text: str) -> list[dict]:
    """Return the entries of a .po file: msgid, msgstrs (one per plural form) and flags."""
    entries = []
    for block in text.split("\n\n"):
        entry = {"flags": set(), "msgid": None, "msgstr": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith("msgid "):
                key, entry["msgid"] = "msgid", unquote(line[6:])
            elif line.startswith("msgid_plural "):
                key = "msgid_plural"
            elif line.startswith("msgstr"):
                key = "msgstr"
                entry["msgstr"].append(unquote(line.split(" ", 1)[1]))
            elif line.startswith('"') and key == "msgid":
                entry["msgid"] += unquote(line)
            elif line.startswith('"') and key == "msgstr":
                entry["msgstr"][-1] += unquote(line)
        if entry["msgid"]:
            entries.append(entry)
    return entries


def untranslated(entries: list[dict]) -> list[str]:
    """Return the msgids with an empty or fuzzy translation."""
    return [
        entry["msgid"] for entry in entries if "fuzzy" in entry["flags"] or not all(entry["msgstr"])
    ]


def test_the_po_parser_reads_continued_plural_and_fuzzy_entries():
    entries = parse_po(
        'msgid ""\nmsgstr "header"\n\n'
        '#, fuzzy\nmsgid "ก"\nmsgstr "A"\n\n'
        'msgid ""\n"ข "\n"\\"ค\\""\nmsgstr ""\n"B \\"C\\""\n\n'
        'msgid "%(n)s ง"\nmsgid_plural "%(n)s ง"\nmsgstr[0] "%(n)s D"\nmsgstr[1] ""\n'
    )
    assert [entry["msgid"] for entry in entries] == ["ก", 'ข "ค"', "%(n)s ง"]
    assert entries[1]["msgstr"] == ['B "C"']
    assert untranslated(entries) == ["ก", "%(n)s ง"]


@needs_gettext
def test_every_msgid_has_an_english_translation(tmp_path):
    """Collect the strings as makemessages would, in a copy: the repository is never written."""
    for name in source_dirs():
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=tmp_path,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ita_tracker.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    merged = (tmp_path / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    missing = untranslated(parse_po(merged))
    assert not missing, (
        f"{len(missing)} msgid(s) lack an English translation in "
        "locale/en/LC_MESSAGES/django.po (empty or fuzzy):\n" + "\n".join(missing)
    )


def compiled(mo: Path) -> dict:
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


@needs_gettext
@pytest.mark.parametrize(
    ("language", "domain"), [("en", "django"), ("th", "django"), ("th", "djangojs")]
)
def test_the_compiled_catalog_matches_its_po(language, domain, tmp_path):
    """Compare what the strings mean, not the bytes: msgfmt versions order .mo files differently."""
    folder = LOCALE / language / "LC_MESSAGES"
    fresh = tmp_path / f"{domain}.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", fresh, folder / f"{domain}.po"], check=True, timeout=60
    )
    path = f"locale/{language}/LC_MESSAGES/{domain}"
    assert compiled(folder / f"{domain}.mo") == compiled(fresh), (
        f"{path}.mo is stale: run msgfmt -o {path}.mo {path}.po"
    )
