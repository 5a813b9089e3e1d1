"""Every addon ships a complete zh_CN translation in sync with its template."""

from pathlib import Path

import polib
import pytest
from conftest import ERP_ADDONS

ADDONS_DIR = Path(__file__).resolve().parent.parent / "addons"


def _ids(catalog):
    return {(entry.msgctxt, entry.msgid) for entry in catalog if not entry.obsolete}


@pytest.mark.parametrize("addon", ERP_ADDONS)
def test_zh_cn_translation_is_complete_and_in_sync(addon):
    """Given an addon's .pot and zh_CN.po, every msgid of the template is in
    the translation and translated, and the translation has no stale ids."""
    i18n = ADDONS_DIR / addon / "i18n"
    pot = polib.pofile(str(i18n / f"{addon}.pot"))
    po = polib.pofile(str(i18n / "zh_CN.po"))
    assert len(pot) > 0
    assert _ids(pot) == _ids(po)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    assert not untranslated, untranslated[:20]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not fuzzy, fuzzy[:20]


@pytest.mark.parametrize("addon", ERP_ADDONS)
def test_zh_cn_keeps_placeholders(addon):
    """A translated message keeps the placeholders of its source, so that
    formatting it in Chinese cannot fail."""
    import re

    placeholder = re.compile(r"%\([a-z_]+\)[sdf]|%[sdf]|\{[a-z_0-9]*\}")
    po = polib.pofile(str(ADDONS_DIR / addon / "i18n" / "zh_CN.po"))
    broken = [
        entry.msgid
        for entry in po.translated_entries()
        if sorted(placeholder.findall(entry.msgid))
        != sorted(placeholder.findall(entry.msgstr))
    ]
    assert not broken, broken[:20]


@pytest.mark.parametrize("addon", ERP_ADDONS)
def test_zh_cn_line_breaks_match_the_source(addon):
    """A translation starts and ends with a line break exactly when its source
    does (gettext's own check): a stray one changes the rendered text."""
    po = polib.pofile(str(ADDONS_DIR / addon / "i18n" / "zh_CN.po"))
    broken = [
        entry.msgid
        for entry in po.translated_entries()
        if entry.msgid.startswith("\n") != entry.msgstr.startswith("\n")
        or entry.msgid.endswith("\n") != entry.msgstr.endswith("\n")
    ]
    assert not broken, broken[:20]


GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "GLOSSARY.md"


def glossary_banned_terms():
    """{term: English} of every "do not use" cell of docs/GLOSSARY.md's tables."""
    banned = {}
    column = None
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            column = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if column is None:
            column = cells.index("do not use") if "do not use" in cells else -1
            english = cells.index("English") if "English" in cells else 0
            continue
        if column < 0 or set(cells[0]) <= {"-", " "}:
            continue
        for term in cells[column].split(","):
            if term.strip():
                banned[term.strip()] = cells[english]
    return banned


def test_glossary_lists_terms_not_to_use():
    """The glossary's tables name the terms the catalogues must not use (the
    check below cannot pass for want of a glossary)."""
    banned = glossary_banned_terms()
    assert {"跟踪", "关键", "紧急", "在途", "最低数量"} <= set(banned)


@pytest.mark.parametrize("addon", ERP_ADDONS)
def test_zh_cn_follows_glossary(addon):
    """Given docs/GLOSSARY.md, no zh_CN translation of the addon uses a term
    its "do not use" column lists (one word for one thing on every screen)."""
    banned = glossary_banned_terms()
    po = polib.pofile(str(ADDONS_DIR / addon / "i18n" / "zh_CN.po"))
    drift = [
        f"{entry.msgid[:60]!r} -> {entry.msgstr[:60]!r}: {term} ({english})"
        for entry in po.translated_entries()
        for term, english in banned.items()
        if term in entry.msgstr
    ]
    assert not drift, drift[:20]
