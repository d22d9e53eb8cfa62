"""Integration fixtures. Each backend keeps its fixtures in its own module under tests/fakes."""

from tests.fakes.kube_fixtures import kube_exec_world, kube_harness, kube_world

__all__ = ["kube_exec_world", "kube_harness", "kube_world"]
