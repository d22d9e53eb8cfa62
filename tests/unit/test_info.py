"""``wundr-tui info``: every path, the contexts found with their cloud and region, the
dependencies' versions; with no kubeconfig too, and hostile names escaped."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from wundr_tui.cli import main

EKS = "arn:aws:eks:eu-west-1:123456789012:cluster/wundr-production"
GKE = "gke_wundr-staging_europe-west4_wundr-staging"

KUBECONFIG = f"""
apiVersion: v1
kind: Config
current-context: {GKE}
contexts:
- name: {EKS}
  context: {{cluster: eks, user: eks}}
- name: {GKE}
  context: {{cluster: gke, user: gke}}
- name: "kind-local\\e[31m"
  context: {{cluster: kind, user: kind}}
clusters: []
users: []
"""


def _info(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["info", *args])
    out, err = capsys.readouterr()
    assert err == ""
    return code, out


def test_with_no_config_and_no_kubeconfig_it_still_prints_every_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _info(capsys)
    assert code == 0
    state = tmp_path / "state" / "wundr-tui"
    assert f"config      {tmp_path / 'config' / 'wundr-tui' / 'config.toml'}  (not there" in out
    assert f"state dir   {state}  (not there)" in out
    assert f"audit log   {state / 'audit.jsonl'}" in out
    assert f"log file    {state / 'wundr-tui.log'}" in out
    assert f"kubeconfig  {tmp_path / 'no-kubeconfig'}  (not there)" in out
    assert "contexts:\n  none: no kubeconfig found at" in out
    deps = out.split("dependencies:\n", 1)[1].splitlines()
    assert f"textual {importlib.metadata.version('textual')}" in [" ".join(d.split()) for d in deps]
    assert {d.split()[0] for d in deps} >= {"textual", "kubernetes", "boto3", "msgspec"}
    assert not {"pytest", "ruff", "mypy", "moto"} & {d.split()[0] for d in deps}  # test extras


def test_contexts_show_cloud_region_and_which_are_watched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kubeconfig = tmp_path / "kc.yaml"
    kubeconfig.write_text(KUBECONFIG)
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    code, out = _info(capsys)
    assert code == 0
    assert f"  {EKS}\n      EKS eu-west-1 wundr-production  [watched, production]\n" in out
    assert f"  {GKE}\n      GKE europe-west4 wundr-staging  [watched, current]\n" in out
    # Not EKS/GKE: found, not watched without --context; its escape shown, never sent.
    assert "  kind-local\\x1b[31m\n      other - kind-local\\x1b[31m\n" in out
    assert "\x1b" not in out


def test_a_broken_config_is_named_and_exits_2_after_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("refresh_hzz = 4\n")
    code, out = _info(capsys, "--config", str(bad))
    assert code == 2
    assert f"config      {bad}  (INVALID: " in out and "refresh_hzz" in out
    assert "dependencies:" in out  # everything else still printed
