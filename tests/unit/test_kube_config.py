"""Which clusters to watch, from kubeconfig as kubectl reads it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fakes.apiserver import write_kubeconfig
from wundr_tui.backends.kube import kube_sources
from wundr_tui.backends.kube.contexts import (
    KubeconfigError,
    discover_clusters,
    parse_context_name,
    read_kubeconfig,
)
from wundr_tui.config import ClusterConfig, Config

EKS = "arn:aws:eks:eu-west-1:123456789012:cluster/wundr-staging"
GKE = "gke_wundr-prod_us-central1_wundr-production"


def test_parse_context_names() -> None:
    eks = parse_context_name(EKS)
    assert eks is not None and (eks.cloud, eks.region, eks.cluster_name, eks.account) == (
        "aws",
        "eu-west-1",
        "wundr-staging",
        "123456789012",
    )
    gke = parse_context_name(GKE)
    assert gke is not None and (gke.cloud, gke.region, gke.cluster_name) == (
        "gcp",
        "us-central1",
        "wundr-production",
    )
    zonal = parse_context_name("gke_proj_europe-west1-b_my_cluster")
    assert zonal is not None and (zonal.region, zonal.cluster_name) == (
        "europe-west1-b",
        "my_cluster",
    )
    gov = parse_context_name("arn:aws-us-gov:eks:us-gov-west-1:1:cluster/x")
    assert gov is not None and gov.region == "us-gov-west-1"
    assert parse_context_name("kind-kind") is None


def _two_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = write_kubeconfig(
        tmp_path / "a", {EKS: ("https://eks", "t"), "kind-kind": ("https://k", "t")}
    )
    b = write_kubeconfig(tmp_path / "b", {GKE: ("https://gke", "t"), EKS: ("https://other", "t")})
    monkeypatch.setenv("KUBECONFIG", os.pathsep.join([str(a), str(tmp_path / "missing"), str(b)]))


def test_kubeconfig_files_merge_like_kubectl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_files(tmp_path, monkeypatch)
    kc = read_kubeconfig()
    assert list(kc.contexts) == [EKS, "kind-kind", GKE]
    assert kc.current_context == EKS
    assert kc.contexts[EKS]["cluster"] == "c0"  # the first file wins


def test_discovery_picks_cloud_contexts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _two_files(tmp_path, monkeypatch)
    clusters = discover_clusters(Config())
    assert [(c.name, c.cloud, c.region, c.cluster_name, c.production) for c in clusters] == [
        (EKS, "aws", "eu-west-1", "wundr-staging", False),
        (GKE, "gcp", "us-central1", "wundr-production", True),
    ]
    assert [c.name for c in discover_clusters(Config(), ["kind-kind"])] == ["kind-kind"]
    assert discover_clusters(Config(), ["kind-kind"])[0].short == "k8s/kind-kind"
    config = Config(
        clusters=(ClusterConfig(context=GKE, read_only=True, namespaces=("wundr-platform",)),)
    )
    only = discover_clusters(config, [EKS])
    assert [(c.name, c.read_only) for c in only] == [(GKE, True)]
    sources = kube_sources(config, only)
    assert [s.name for s in sources] == [f"kube:{GKE}"]
    assert sources[0].cluster_config.namespaces == ("wundr-platform",)
    assert all(c.read_only for c in discover_clusters(Config(read_only=True)))


def test_home_kubeconfig_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KUBECONFIG")
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".kube").mkdir()
    write_kubeconfig(tmp_path / ".kube" / "config", {GKE: ("https://gke", "t")})
    assert [c.name for c in discover_clusters(Config())] == [GKE]


@pytest.mark.parametrize(
    ("content", "contexts", "message"),
    [
        (None, (), "no kubeconfig found at"),
        ("clusters: [", (), "is not valid YAML (line"),
        ("- a\n- b\n", (), "is not a kubeconfig"),
        ("contexts: {a: 1}\n", (), "'contexts' should be a list"),
        ("contexts: []\n", (), "no EKS or GKE context in"),
        ("contexts: [{name: kind-kind, context: {}}]\n", ("nope",), "context 'nope' is not in"),
    ],
)
def test_kubeconfig_errors_are_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: str | None,
    contexts: tuple[str, ...],
    message: str,
) -> None:
    path = tmp_path / "kubeconfig"
    if content is not None:
        path.write_text(content)
    monkeypatch.setenv("KUBECONFIG", str(path))
    with pytest.raises(KubeconfigError) as err:
        discover_clusters(Config(), contexts)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_importing_the_backend_does_not_import_kubernetes() -> None:
    """--help and --demo must not pay for the kubernetes client."""
    import subprocess
    import sys

    code = (
        "import sys, wundr_tui.backends.kube; "
        "print('kubernetes' in sys.modules, 'urllib3' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
