"""Print Odoo's requirements with pins that install as wheels on this Python.

Odoo 18's ``requirements.txt`` pins, for Python < 3.12, source packages that no
longer build (e.g. cbor2 5.4.2).  The pins it lists for Python 3.12 install as
wheels on Python 3.10 and 3.11, so markers are evaluated as if the interpreter
were 3.12 when it is older.  ``python-ldap`` is skipped (LDAP is not used).

reportlab 4 renders bitmaps (every barcode and QR code of the reports,
``/report/barcode``) through a separate renderPM backend.  Odoo lists
``rl-renderPM`` for Windows only, since Debian's python3-reportlab ships it; a
pip-installed reportlab 4 needs it too, so it is added after any reportlab 4
pin, at the version Odoo pins for reportlab 4.1.

Usage: python scripts/odoo_requirements.py ODOO_SRC/requirements.txt
"""

import platform
import re
import sys

from packaging.markers import Marker

SKIP = {"python-ldap", "pypiwin32", "rl-renderpm"}
RENDERPM = "rl-renderPM==4.0.3"


def _environment():
    env = {
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "python_full_version": platform.python_version(),
        "sys_platform": sys.platform,
        "platform_system": platform.system(),
        "os_name": "posix" if sys.platform != "win32" else "nt",
    }
    if sys.version_info < (3, 12):
        env["python_version"] = "3.12"
        env["python_full_version"] = "3.12.0"
    return env


def main(path):
    env = _environment()
    for raw in open(path, encoding="utf-8"):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        requirement, _sep, marker = line.partition(";")
        name = re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0]
        if name.lower() in SKIP:
            continue
        if marker.strip() and not Marker(marker.strip()).evaluate(env):
            continue
        print(requirement.strip())
        if name.lower() == "reportlab" and re.search(r"==\s*[4-9]", requirement):
            print(RENDERPM)


if __name__ == "__main__":
    main(sys.argv[1])
