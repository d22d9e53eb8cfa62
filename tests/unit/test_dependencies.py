"""Every runtime dependency earns its place: pyproject declares what wundr_tui imports, and
wundr_tui imports what pyproject declares (issue 15: google-cloud-sql and
google-cloud-monitoring were declared for years and never imported)."""

from __future__ import annotations

import ast
import importlib.metadata
import sys
import tomllib
from functools import cache
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "wundr_tui"

NOT_IMPORTED = {
    "python-dateutil": "a pin: 4.x is on PyPI and the kubernetes client allows it; botocore not",
}
"""Declared on purpose without an import, each with its reason."""


def _declared() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(line).name for line in project["dependencies"]]


@cache
def _modules(dist: str) -> frozenset[str]:
    """Dotted names of every module and package the installed distribution provides."""
    names: set[str] = set()
    for file in importlib.metadata.distribution(dist).files or ():
        parts = list(file.parts)
        if not parts or not parts[-1].endswith((".py", ".pyi", ".so", ".pyd")):
            continue
        if ".dist-info" in parts[0] or parts[0] in ("..", "bin"):
            continue
        stem = parts[-1].split(".", 1)[0]
        # Namespace packages (``google``, ``google.cloud``: no __init__) belong to no one.
        names.add(".".join(parts[:-1] if stem == "__init__" else [*parts[:-1], stem]))
    return frozenset(names)


def _statements() -> list[tuple[str, list[str]]]:
    """Every absolute import in wundr_tui, as (file, names): ``import x`` gives ``x``,
    ``from x import y`` both ``x`` and ``x.y``, ``importlib.import_module("x")`` ``x``."""
    found: list[tuple[str, list[str]]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(), where)):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names = [node.args[0].value]
            if names:
                found.append((where, names))
    return found


def _imports() -> set[str]:
    return {name for _, names in _statements() for name in names}


def _third_party(name: str) -> bool:
    top = name.split(".", 1)[0]
    return top not in sys.stdlib_module_names and top not in ("wundr_tui", "__future__")


def test_every_declared_dependency_is_imported_by_wundr_tui() -> None:
    imports = _imports()
    unused = [
        dist
        for dist in _declared()
        if dist not in NOT_IMPORTED and not _modules(dist).intersection(imports)
    ]
    assert not unused, f"declared in pyproject.toml, never imported by wundr_tui: {unused}"


def test_every_third_party_import_is_declared() -> None:
    """Nothing leans on a transitive dependency by accident: each third-party import comes
    from a distribution pyproject names."""
    provided = frozenset().union(*(_modules(d) for d in _declared()))
    missing = {
        where: names[0]
        for where, names in _statements()
        if _third_party(names[0])
        # ``from x import Name`` names a class (``x`` is the module), ``from google.cloud
        # import container_v1`` a module under a namespace package.
        and not any(n in provided or n.rsplit(".", 1)[0] in provided for n in names)
    }
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_the_mapping_sees_real_imports() -> None:
    """The checks above can fail: the lazy imports are seen, and a dropped SDK would show."""
    imports = _imports()
    assert "kubernetes.client" in imports  # importlib.import_module in backends/kube/http.py
    assert "google.cloud.container_v1" in imports  # from google.cloud import container_v1
    assert _modules("google-cloud-container").intersection(imports)
    assert not _modules("pytest").intersection(imports)  # a test tool is not a runtime need
    assert "google-cloud-sql" not in _declared()
    assert "google-cloud-monitoring" not in _declared()
