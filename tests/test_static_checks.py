"""Static checks run as tests, so the one README test command covers them too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support.syntax import parse

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ, **env}
    )


def test_ruff_lint() -> None:
    result = _run([sys.executable, "-m", "ruff", "check", "."])
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    result = _run([sys.executable, "-m", "mypy"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_docker_compose_file_is_valid() -> None:
    if not shutil.which("docker-compose"):
        if os.environ.get("CI"):
            pytest.fail("docker-compose (Debian package) is needed to validate docker-compose.yml")
        pytest.skip("docker-compose is not installed: `apt-get install docker-compose`")
    result = _run(["docker-compose", "config"], NEO4J_PASSWORD="example-password")
    assert result.returncode == 0, result.stderr
    assert "PARISCALL_GRAPH_URL: neo4j://neo4j:7687" in result.stdout
    assert "condition: service_healthy" in result.stdout


def test_the_image_holds_every_module_the_service_needs(tmp_path: Path) -> None:
    """Build the wheel from exactly what the Dockerfile copies, as the image's
    `pip install .` does, and check it holds every module and data file of the project.
    (The image once lacked `analysis/`: its `pariscall serve` could not start.)"""
    context = tmp_path / "image"
    context.mkdir()
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("COPY "):
            *sources, _target = line.split()[1:]
            for source in sources:
                path = ROOT / source
                if path.is_dir():
                    shutil.copytree(
                        path, context / source, ignore=shutil.ignore_patterns("__pycache__")
                    )
                else:
                    shutil.copy(path, context / source)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(tmp_path / "wheel"), str(context)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next((tmp_path / "wheel").glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        inside = set(archive.namelist())
    expected = {
        str(path.relative_to(ROOT))
        for package in ("api", "graph", "schema", "importers", "analysis")
        for path in (ROOT / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    expected.discard("api/schema.graphql")  # the published SDL, for clients and tests
    missing = sorted(expected - inside)
    assert not missing, f"the image would lack: {missing[:10]}"


def _pinned(lock: Path) -> dict[str, str]:
    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            name, version = line.split("==", 1)
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


def _declared(names: list[str]) -> set[str]:
    import re

    return {re.split(r"[<>=\[; ]", n, maxsplit=1)[0].lower().replace("_", "-") for n in names}


def test_the_lock_files_pin_every_dependency_and_the_service_lock_no_test_tool() -> None:
    """CI installs requirements-test.lock and the image requirements.lock: each pins an
    exact version of every declared dependency; the service's own holds no test tool."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    service, tests = _pinned(ROOT / "requirements.lock"), _pinned(ROOT / "requirements-test.lock")
    runtime = _declared(project["dependencies"])
    test_tools = _declared(project["optional-dependencies"]["test"]) - runtime
    assert runtime <= set(service), runtime - set(service)
    assert runtime | test_tools <= set(tests), (runtime | test_tools) - set(tests)
    assert not test_tools & set(service), test_tools & set(service)
    assert {k: tests[k] for k in service} == service  # one version of each package
    assert "requirements.lock" in (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "requirements-test.lock" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _third_party_imports(packages: tuple[str, ...]) -> dict[str, str]:
    """Top-level modules the service's own code imports, with one file importing each."""
    import ast

    own = set(packages)
    found: dict[str, str] = {}
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in own and top not in sys.stdlib_module_names:
                        found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_the_service_lock_installs_every_module_the_service_imports() -> None:
    """The image installs requirements.lock only: a module the service imports from a
    test-only package (httpx once) stops `pariscall serve` on a production install."""
    from importlib.metadata import packages_distributions

    service = _pinned(ROOT / "requirements.lock")
    distributions = packages_distributions()
    missing = {
        module: where
        for module, where in _third_party_imports(
            ("api", "graph", "schema", "importers", "analysis")
        ).items()
        if not {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        & set(service)
    }
    assert not missing, f"imported by the service but not in requirements.lock: {missing}"
