"""The optional docker path and the project layout stay correct."""

import configparser
import os
import re
import stat
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_docker_compose_uses_official_images_and_mounts_addons():
    """Given docker-compose.yml, it runs odoo:18.0 (built with the addons'
    Python packages by the Dockerfile) against postgres:16 with the addons
    mounted on /mnt/extra-addons and config/odoo.conf used."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["odoo"]["build"] == "."
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "\nFROM odoo:18.0\n" in dockerfile
    assert "python3-numpy" in dockerfile
    assert services["db"]["image"] == "postgres:16"
    volumes = services["odoo"]["volumes"]
    assert "./addons:/mnt/extra-addons:ro" in volumes
    assert "./config/odoo.conf:/etc/odoo/odoo.conf:ro" in volumes
    env = services["odoo"]["environment"]
    db_env = services["db"]["environment"]
    assert (env["USER"], env["PASSWORD"]) == (
        db_env["POSTGRES_USER"],
        db_env["POSTGRES_PASSWORD"],
    )
    assert env["HOST"] == "db"
    for source in (v.split(":")[0] for v in volumes if v.startswith("./")):
        assert (ROOT / source).exists(), source


def test_odoo_conf_points_to_mounted_addons():
    text = (ROOT / "config" / "odoo.conf").read_text()
    assert "addons_path = /mnt/extra-addons" in text


def _conf(path):
    parser = configparser.RawConfigParser()
    parser.read(path)
    return dict(parser.items("options"))


def test_shipped_configuration_has_no_master_password_nor_database_list():
    """Given config/odoo.conf (the docker image's configuration too), no
    master password ships: admin_passwd is present and empty, which disables
    the database manager (absent, Odoo would take "admin"), and the database
    list is off."""
    options = _conf(ROOT / "config" / "odoo.conf")
    assert options.get("admin_passwd") == ""
    assert options.get("list_db") == "False"


def test_compose_publishes_odoo_on_this_machine_only():
    """Given docker-compose.yml, every published port is bound to 127.0.0.1."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    ports = [
        str(port)
        for service in compose["services"].values()
        for port in service.get("ports", [])
    ]
    assert ports
    assert all(port.startswith("127.0.0.1:") for port in ports), ports


def test_run_script_generates_its_master_password_outside_git(tmp_path):
    """Given the demo run's set-up (scripts/lib.sh write_local_conf), the
    master password is generated once into an owner-only file, the
    configuration the server reads holds only its hash, the database list
    and the shipped options, and both files are git-ignored."""
    from passlib.hash import pbkdf2_sha512

    script = (
        'source scripts/lib.sh && PY="$1" && write_local_conf "$2" "$3"'
        ' && write_local_conf "$2" "$3"'
    )
    conf, secret = tmp_path / "local.conf", tmp_path / ".odoo-admin-passwd"
    python = str(Path(os.environ.get("ERP_VENV", ROOT / ".venv")) / "bin" / "python")
    subprocess.run(
        ["bash", "-c", script, "run", python, str(conf), str(secret)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    password = secret.read_text().strip()
    assert len(password) >= 24
    for path in (conf, secret):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    options = _conf(conf)
    assert password not in conf.read_text()
    assert pbkdf2_sha512.verify(password, options["admin_passwd"])
    assert options["list_db"] == "True"
    shipped = _conf(ROOT / "config" / "odoo.conf")
    for key in set(shipped) - {"admin_passwd", "list_db"}:
        assert options[key] == shipped[key], key
    run = (ROOT / "scripts" / "run.sh").read_text()
    assert 'write_local_conf "$LOCAL_CONF" "$PROJECT_DIR/.odoo-admin-passwd"' in run
    assert '-c "$LOCAL_CONF"' in run
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "/.odoo-admin-passwd" in ignored
    assert "/config/local.conf" in ignored


ADDON_DIRS = sorted(p.parent for p in (ROOT / "addons").glob("*/__manifest__.py"))


def test_every_addon_has_an_icon():
    """Given Odoo's Apps screen, every addon shows its own PNG icon."""
    assert ADDON_DIRS
    for addon in ADDON_DIRS:
        icon = addon / "static" / "description" / "icon.png"
        assert icon.is_file(), f"{addon.name} has no static/description/icon.png"
        assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{icon} is not a PNG"


def test_pre_commit_runs_the_linters_of_ci():
    """Given .pre-commit-config.yaml, it pins the ruff and pylint-odoo of CI
    (requirements-dev.txt) and uses the repository's configuration."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    revs = {repo["repo"].rsplit("/", 1)[-1]: repo["rev"] for repo in config["repos"]}
    pins = dict(
        line.split("==")
        for line in (ROOT / "requirements-dev.txt").read_text().splitlines()
        if "==" in line
    )
    assert revs["ruff-pre-commit"] == f"v{pins['ruff']}"
    assert revs["pylint-odoo"] == f"v{pins['pylint-odoo']}"
    hook_args = [
        arg
        for repo in config["repos"]
        for hook in repo["hooks"]
        for arg in hook.get("args", [])
    ]
    assert "--rcfile=.pylintrc" in hook_args


def test_every_python_file_has_a_licence_header():
    """Given the addons' Python files, each states its copyright and licence
    (the manifests' LGPL-3) in its first lines, as OCA asks."""
    missing = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "addons").rglob("*.py"))
        if path.read_text(encoding="utf-8").strip()
        and "License LGPL-3.0" not in path.read_text(encoding="utf-8")[:300]
    ]
    assert not missing, f"no licence header: {missing}"


def _project_docs():
    """The project's own documentation: README, SECURITY, docs/ and each
    addon's readme/."""
    return [
        ROOT / "README.md",
        ROOT / "SECURITY.md",
        *sorted((ROOT / "docs").rglob("*.md")),
        *sorted((ROOT / "addons").glob("*/readme/*.md")),
    ]


def test_readme_links_the_design_and_architecture_in_the_repository():
    """Given the README, it links docs/DESIGN.md and docs/ARCHITECTURE.md,
    both in the repository; every relative link of the README and of docs/
    points to a file that exists, and no document of the project sends the
    reader to a design outside the repository."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for doc in ("docs/DESIGN.md", "docs/ARCHITECTURE.md"):
        assert f"]({doc})" in readme, f"README.md does not link {doc}"
        assert (ROOT / doc).is_file(), f"{doc} is missing"
    broken = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if "://" in target or target.startswith(("#", "mailto:")):
                continue
            if not (path.parent / target.split("#", 1)[0]).exists():
                broken.append(f"{path.relative_to(ROOT)} -> {target}")
    assert not broken, f"broken links: {broken}"
    outside = [
        f"{path.relative_to(ROOT)}: {phrase}"
        for path in _project_docs()
        for phrase in ("shared/DESIGN.md", "steering repository")
        if phrase.lower() in path.read_text(encoding="utf-8").lower()
    ]
    assert not outside, f"documents pointing outside the repository: {outside}"
