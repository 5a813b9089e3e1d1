"""The optional docker path and the project layout stay correct."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_docker_compose_uses_official_images_and_mounts_addons():
    """Given docker-compose.yml, it runs odoo:18.0 against postgres:16 with
    the addons mounted on /mnt/extra-addons and config/odoo.conf used."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["odoo"]["image"] == "odoo:18.0"
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
