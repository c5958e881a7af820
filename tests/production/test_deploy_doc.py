"""docs/deploy.md lists every environment variable the settings and gunicorn.conf.py read."""

import re

from tests.production.conftest import PROJECT_ROOT

_READ = re.compile(r"""env_(?:str|bool|int|list)\(\s*["']([A-Z0-9_]+)["']""")


def _documented() -> set[str]:
    lines = (PROJECT_ROOT / "docs" / "deploy.md").read_text().splitlines()
    # The first column of the table's rows.
    return {match.group(1) for line in lines if (match := re.match(r"^\| `([A-Z0-9_]+)`", line))}


def test_every_variable_the_service_reads_is_in_the_deploy_guide():
    read = set()
    for source in ("registry/settings.py", "gunicorn.conf.py"):
        read |= set(_READ.findall((PROJECT_ROOT / source).read_text()))

    assert read - _documented() == set()
