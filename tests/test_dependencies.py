"""The pinned runtime dependencies against the public advisory data (pip-audit, PyPI/OSV).

pip-audit asks PyPI's per-release JSON API (or OSV). Where a machine reaches only part of PyPI
(this project's build machines answer the per-project API but not the per-release one), the
test falls back to the per-project API, whose ``vulnerabilities`` are those of the latest
release: every pin that is the latest release is audited that way; the pins that are not are
the ones the README explains (held back by a dependency or by Python 3.11), and any other (a
release upstream since the lock was made, or a project the API did not answer) is named in a
warning: a release upstream must not break the build, nor pass unnoticed. Where neither
answers, the test skips and says so, instead of passing on an audit that never happened.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

LOCK = Path(__file__).resolve().parent.parent / "requirements" / "runtime.lock"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", re.MULTILINE)

# Pins below the latest release, each explained in the README ("Security"); the fallback audit
# cannot see advisories for them.
HELD_BACK = {"deprecated", "numpy", "redis", "thinc"}


def test_runtime_dependencies_have_no_known_vulnerability():
    command = [sys.executable, "-m", "pip_audit", "-r", str(LOCK), "--require-hashes"]
    command += ["--disable-pip", "--progress-spinner", "off", "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(result.stdout)["dependencies"] if result.stdout.strip() else []
    audited = [d for d in report if "skip_reason" not in d]
    if not audited:
        vulnerable, unaudited = audit_latest_releases(dict(PIN.findall(LOCK.read_text())))
        assert not vulnerable, vulnerable
        if unaudited - HELD_BACK:
            warnings.warn(f"not audited: {sorted(unaudited - HELD_BACK)}", stacklevel=1)
        return
    unaudited = {d["name"] for d in report} - {d["name"] for d in audited}
    assert not unaudited, f"could not be audited: {unaudited}"
    vulnerable = {d["name"]: [v["id"] for v in d["vulns"]] for d in report if d.get("vulns")}
    assert not vulnerable, vulnerable


def audit_latest_releases(pins: dict[str, str]) -> tuple[dict[str, list[str]], set[str]]:
    """Advisories of each pin that is its project's latest release, and the pins that are not
    (or whose project did not answer)."""

    def project(name: str) -> dict | None:
        url = f"https://pypi.org/pypi/{name}/json"
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return json.load(response)
        except OSError:
            return None

    with ThreadPoolExecutor(8) as pool:
        projects = dict(zip(pins, pool.map(project, pins), strict=True))
    if not any(projects.values()):
        pytest.skip("advisory data unreachable: neither pip-audit nor PyPI's JSON API answered")
    vulnerable: dict[str, list[str]] = {}
    unaudited: set[str] = set()
    for name, data in projects.items():
        if data is None or data["info"]["version"] != pins[name]:
            unaudited.add(name)
        elif live := [v["id"] for v in data.get("vulnerabilities") or [] if not v.get("withdrawn")]:
            vulnerable[name] = live
    return vulnerable, unaudited


def test_the_fallback_audit_reports_a_vulnerable_latest_release_and_an_older_pin():
    vulnerable, unaudited = audit_latest_releases({"pycrypto": "2.6.1", "flask": "0.1"})

    assert "PYSEC-2018-97" in vulnerable["pycrypto"]  # pycrypto's last release, never fixed
    assert unaudited == {"flask"}
