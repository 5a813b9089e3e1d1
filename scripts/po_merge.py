"""Merge a freshly exported .pot into a translation, keeping its msgstr.

Usage: python scripts/po_merge.py ADDON.pot zh_CN.po
Prints the entries still untranslated; exits 0.
"""

import sys

import polib


def main(pot_path, po_path):
    pot = polib.pofile(pot_path)
    try:
        po = polib.pofile(po_path)
    except OSError:
        po = polib.POFile()
    old = {(e.msgctxt, e.msgid): e for e in po}
    merged = polib.POFile(wrapwidth=78)
    merged.metadata = dict(pot.metadata)
    merged.metadata["Language"] = "zh_CN"
    merged.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    missing = 0
    for entry in pot:
        previous = old.get((entry.msgctxt, entry.msgid))
        entry.msgstr = previous.msgstr if previous else ""
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        missing += not entry.msgstr
        merged.append(entry)
    merged.save(po_path)
    print(f"{po_path}: {len(merged)} entries, {missing} untranslated")


if __name__ == "__main__":
    main(*sys.argv[1:3])
