"""The set-up scripts a newcomer runs first: system prerequisites and the
virtualenv's requirements."""

import os
import subprocess
import sys
import time

from conftest import PROJECT_DIR


def _path_without(tmp_path, *hidden):
    """A PATH with every command of the current one except ``hidden``."""
    farm = tmp_path / "bin"
    farm.mkdir()
    for folder in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            target = farm / name
            if name not in hidden and not os.path.lexists(target):
                target.symlink_to(os.path.join(folder, name))
    return str(farm)


def _check(path, venv):
    env = dict(os.environ, PATH=path, ERP_NO_SYSTEM_INSTALL="1", ERP_VENV=venv)
    started = time.monotonic()
    result = subprocess.run(
        [
            "bash",
            "-c",
            f"source {PROJECT_DIR}/scripts/lib.sh && ensure_system_packages",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result, time.monotonic() - started


def test_missing_wkhtmltopdf_stops_at_once_with_the_command(tmp_path):
    """Given a machine without wkhtmltopdf where nothing may be installed,
    the test command's prerequisite check stops at once and prints the exact
    apt-get command that installs it."""
    path = _path_without(tmp_path, "wkhtmltopdf")
    result, seconds = _check(path, os.environ.get("ERP_VENV", ""))
    assert result.returncode != 0
    assert "apt-get update && apt-get install -y wkhtmltopdf" in result.stderr
    assert seconds < 30


def test_installed_prerequisites_pass(tmp_path):
    """Given this machine (set up by scripts/test.sh), the check passes."""
    result, _seconds = _check(os.environ["PATH"], os.environ.get("ERP_VENV", ""))
    assert result.returncode == 0, result.stderr


def test_test_command_checks_prerequisites_first():
    """scripts/test.sh runs the check before anything else is set up."""
    lines = (PROJECT_DIR / "scripts" / "test.sh").read_text().splitlines()
    calls = [line for line in lines if line.startswith("ensure_")]
    assert calls[0] == "ensure_system_packages"


def test_virtualenv_gets_renderpm_for_reportlab_4(tmp_path):
    """Given Odoo's requirements pinning reportlab 4, the virtualenv's list
    adds rl-renderPM (barcodes and QR codes of the reports need it)."""
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(
        "reportlab==3.6.12 ; python_version > '3.10' and python_version < '3.12'\n"
        "reportlab==4.1.0 ; python_version >= '3.12'\n"
        "rl-renderPM==4.0.3 ; sys_platform == 'win32' and python_version >= '3.12'\n"
    )
    out = subprocess.run(
        [
            sys.executable,
            PROJECT_DIR / "scripts" / "odoo_requirements.py",
            requirements,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["reportlab==4.1.0", "rl-renderPM==4.0.3"]


def test_reportlab_of_the_virtualenv_renders_barcodes():
    """Given the virtualenv the tests run in, reportlab renders a QR code as
    PNG (what /report/barcode answers)."""
    from reportlab.graphics.barcode import createBarcodeDrawing

    png = createBarcodeDrawing("QR", value="x", width=100, height=100).asString("png")
    assert png.startswith(b"\x89PNG")
