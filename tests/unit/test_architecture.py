"""The layering contract: model, store, events, pump, config and backends never import Textual.

import-linter checks the same statically (``lint-imports`` in ``make test``); this test checks
it at run time, including imports that happen inside functions at module load.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

NO_TEXTUAL = [
    "wundr_tui.model",
    "wundr_tui.events",
    "wundr_tui.store",
    "wundr_tui.incidents",
    "wundr_tui.format",
    "wundr_tui.pump",
    "wundr_tui.config",
    "wundr_tui.codec",
    "wundr_tui.backends.base",
    "wundr_tui.backends.demo",
    "wundr_tui.backends.replay",
    "wundr_tui.recording",
    "wundr_tui.backends.kube",
    "wundr_tui.audit",
    "wundr_tui.actions.base",
    "wundr_tui.actions.blue_green",
    "wundr_tui.actions.scale",
    "wundr_tui.actions.velero",
    "wundr_tui.actions.silence",
    "wundr_tui.actions.capabilities",
    "wundr_tui.actions.router",
    "wundr_tui.actions.hpa",
    "wundr_tui.actions.node_pool",
    "wundr_tui.wiring",
    "wundr_tui.bandwidth",
    "wundr_tui.gcpolicy",
    "wundr_tui.details",
    "wundr_tui.related",
    "wundr_tui.facts",
    "wundr_tui.object_yaml",
]


@pytest.mark.parametrize("module", NO_TEXTUAL)
def test_module_does_not_load_textual(module: str) -> None:
    code = (
        f"import importlib, sys; importlib.import_module({module!r}); "
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]; "
        "print(','.join(bad)); raise SystemExit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, (
        f"{module} imported {result.stdout.strip()} {result.stderr[-300:]}"
    )


def test_help_and_version_do_not_import_cloud_sdks() -> None:
    code = (
        "import sys\nfrom wundr_tui.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('kubernetes', 'boto3', 'google.cloud', 'textual', 'psycopg') "
        "if m in sys.modules]\nprint(heavy)\nraise SystemExit(1 if heavy else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
