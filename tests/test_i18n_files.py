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
