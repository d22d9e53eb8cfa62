"""The demo fleet as the rest of the cockpit sees it: ``DemoFleet`` (the data, the Operator and
a reader for the actions) and ``DemoSource`` (the Source that drives it from a thread).

``DemoFleet`` keeps the state of both clusters, advances it one simulated second at a time to
the clock's ``now()`` and reports only what changed. It is also an ``Operator``: scaling,
selector patches, HPA bounds, node pool sizes, Velero restores and Alertmanager silences all
change the simulated state, and the change shows up in the next tick.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from wundr_tui.backends.base import (
    Emit,
    FullObject,
    Inspector,
    OperationError,
    Permission,
    Source,
    is_secret,
    without_secrets,
)
from wundr_tui.backends.demo.objects import full_object
from wundr_tui.backends.demo.profiles import EKS, GKE, SOURCES, Workload, velero_stamp
from wundr_tui.backends.demo.sim import ClusterSim
from wundr_tui.backends.endpoints import SLICES, ServiceEndpoints
from wundr_tui.clock import Clock, FrozenClock, RewoundClock, SystemClock
from wundr_tui.events import ClusterSeen, Deleted, Event, Health, Upserted
from wundr_tui.model import (
    Cluster,
    Kind,
    Pod,
    Resource,
    SourceHealth,
    labels_of,
)

MAX_CATCH_UP = 600
"""Most simulated seconds one tick steps through; longer gaps (a suspended laptop) are skipped."""

MAX_REPLICAS = 200
"""The demo refuses bigger scale requests: a typo must not make the simulation slow."""

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$")
_LABEL_KEY = re.compile(r"^([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")


@dataclass(frozen=True, slots=True)
class PodStory:
    """What a demo pod's logs depend on: the pod now, its workload, whether it is the one
    the story crashes, and the story's clock (phase of a second = (t - t0 - offset) % CYCLE)."""

    cluster: str
    pod: Pod
    workload: Workload | None
    crashing: bool
    t0: float
    offset: int


class DemoFleet:
    """A deterministic simulated EKS + GKE fleet that is both the data and the operator.

    Same seed and same clock steps give identical event streams. Thread-safe: the UI thread
    calls operations while the source thread ticks.
    """

    def __init__(
        self, seed: int = 7, clock: Clock | None = None, *, green_replicas: int | None = None
    ) -> None:
        """``green_replicas`` (0 to 3) starts api-gateway-green with fewer pods on both
        clusters, all ready: the blue-green capacity check's short green, deterministically
        (without it the surge makes green short too, once blue's HPA scales blue up)."""
        self.seed = seed
        """The RNG seed: same seed and same clock steps, same events."""
        self.clock: Clock = clock or SystemClock()
        """Where simulated time comes from."""
        self._lock = threading.Lock()
        self._t0 = self.clock.now()
        self._elapsed = 0
        self._sims: dict[str, ClusterSim] = {
            p.cluster.name: ClusterSim(p, seed, self._t0, green_replicas) for p in (EKS, GKE)
        }

    def clusters(self) -> list[Cluster]:
        """The two simulated clusters, EKS first."""
        return [sim.profile.cluster for sim in self._sims.values()]

    def initial_events(self) -> list[Event]:
        """What a fresh consumer needs: clusters, a full list of every kind, live health."""
        with self._lock:
            now = self.clock.now()
            events: list[Event] = [ClusterSeen(c) for c in self.clusters()]
            for sim in self._sims.values():
                events.extend(sim.snapshot())
            for sim in self._sims.values():
                events.extend(
                    Health(SourceHealth(sim.name, source, "live", now, "", kinds))
                    for source, kinds in SOURCES.items()
                )
            return events

    def tick(self, *, history: bool = False) -> list[Event]:
        """Advance the simulation to the clock's now; return only what changed. With
        ``history`` (catching up on a story started ``--at`` a moment), each second's changes
        come out stamped with their own time, so the timeline tells them when they happened."""
        with self._lock:
            target = math.floor(self.clock.now() - self._t0)
            behind = target - self._elapsed
            if behind > MAX_CATCH_UP:
                # Skipped time does not happen in the simulation: the story resumes where it was.
                self._t0 += behind - MAX_CATCH_UP
                behind = MAX_CATCH_UP
            events: list[Event] = []
            for _ in range(max(behind, 0)):
                self._elapsed += 1
                now = self._t0 + self._elapsed
                for sim in self._sims.values():
                    sim.step(now)
                if history:
                    for sim in self._sims.values():
                        events.extend(_stamped(e, now) for e in sim.flush())
            for sim in self._sims.values():
                events.extend(sim.flush())
            return events

    def pod_story(self, cluster: str, namespace: str, name: str) -> PodStory | None:
        """A pod's facts for its simulated logs (None: no such pod now)."""
        with self._lock:
            sim = self._sims.get(cluster)
            pod = sim.pods.get(f"{namespace}/{name}") if sim is not None else None
            if sim is None or pod is None:
                return None
            workload = sim.workloads.get(f"{namespace}/{pod.owner}")
            crashing = sim.crash_pod == pod.key
            return PodStory(cluster, pod, workload, crashing, self._t0, sim.profile.offset)

    # -- Operator --------------------------------------------------------------------------

    def _sim(self, cluster: str) -> ClusterSim:
        sim = self._sims.get(cluster)
        if sim is None:
            raise OperationError(f"cluster {cluster!r} is not part of the demo fleet", status=404)
        return sim

    @staticmethod
    def _check_version(what: str, current: str, expected: str | None) -> None:
        if expected is not None and expected != current:
            raise OperationError(
                f"{what} changed since it was read (resourceVersion {expected}, now {current});"
                " reload and try again",
                status=409,
                conflict=True,
            )

    def can(self, cluster: str, verb: str, resource: str, namespace: str = "") -> Permission:
        """Everything is allowed in the demo, on the demo's clusters."""
        if cluster not in self._sims:
            return Permission(False, f"cluster {cluster!r} is not part of the demo fleet")
        return Permission(True)

    def scale_deployment(
        self,
        cluster: str,
        namespace: str,
        name: str,
        replicas: int,
        *,
        dry_run: bool = False,
        resource_version: str | None = None,
    ) -> None:
        """Set a deployment's replicas (an HPA managing it will pull it back, as in reality)."""
        with self._lock:
            sim = self._sim(cluster)
            key = f"{namespace}/{name}"
            dep = sim.deployments.get(key)
            if dep is None:
                raise OperationError(f"deployment {key} not found in {cluster}", status=404)
            if not 0 <= replicas <= MAX_REPLICAS:
                raise OperationError(
                    f"replicas must be between 0 and {MAX_REPLICAS} in the demo, not {replicas}",
                    status=422,
                )
            self._check_version(f"deployment {key}", dep.resource_version, resource_version)
            if not dry_run:
                sim.scale(key, replicas)

    def patch_service_selector(
        self,
        cluster: str,
        namespace: str,
        name: str,
        selector: Mapping[str, str],
        *,
        dry_run: bool = False,
        resource_version: str | None = None,
    ) -> None:
        """Merge-patch a Service's selector (``environment: production-green`` switches)."""
        with self._lock:
            sim = self._sim(cluster)
            key = f"{namespace}/{name}"
            svc = sim.services.get(key)
            if svc is None:
                raise OperationError(f"service {key} not found in {cluster}", status=404)
            for k, v in selector.items():
                if not _LABEL_KEY.match(k) or not _LABEL_VALUE.match(v):
                    raise OperationError(f"invalid selector {k}={v!r}", status=422)
            self._check_version(f"service {key}", svc.resource_version, resource_version)
            if not dry_run:
                sim.patch_selector(key, selector)

    def patch_hpa_bounds(
        self,
        cluster: str,
        namespace: str,
        name: str,
        min_replicas: int,
        max_replicas: int,
        *,
        dry_run: bool = False,
        resource_version: str | None = None,
    ) -> None:
        """Change an HPA's minReplicas / maxReplicas."""
        with self._lock:
            sim = self._sim(cluster)
            key = f"{namespace}/{name}"
            hpa = sim.hpas.get(key)
            if hpa is None:
                raise OperationError(f"HPA {key} not found in {cluster}", status=404)
            if min_replicas < 1 or max_replicas < min_replicas or max_replicas > MAX_REPLICAS:
                raise OperationError(
                    f"need 1 <= min ({min_replicas}) <= max ({max_replicas}) <= {MAX_REPLICAS}",
                    status=422,
                )
            self._check_version(f"HPA {key}", hpa.resource_version, resource_version)
            if not dry_run:
                sim.set_hpa_bounds(key, min_replicas, max_replicas)

    def scale_node_pool(
        self,
        cluster: str,
        pool: str,
        min_size: int,
        max_size: int,
        desired: int,
        *,
        dry_run: bool = False,
    ) -> None:
        """Change a node pool's bounds and desired size; nodes join NotReady, then Ready."""
        with self._lock:
            sim = self._sim(cluster)
            if pool not in sim.pools:
                raise OperationError(f"node pool {pool} not found in {cluster}", status=404)
            if not 0 <= min_size <= desired <= max_size or max_size > 100:
                raise OperationError(
                    f"need 0 <= min ({min_size}) <= desired ({desired}) <= max ({max_size}) <= 100",
                    status=422,
                )
            if not dry_run:
                sim.resize_pool(pool, min_size, max_size, desired)

    def create_restore(
        self,
        cluster: str,
        backup: str,
        included_namespaces: Sequence[str],
        namespace_mapping: Mapping[str, str],
        existing_resource_policy: str = "none",
        *,
        dry_run: bool = False,
    ) -> str:
        """Create a Velero Restore (New → InProgress → Completed); return its name."""
        with self._lock:
            sim = self._sim(cluster)
            found = sim.backups.get(backup)
            if found is None:
                raise OperationError(f"backup {backup} not found in {cluster}", status=404)
            if found.phase not in ("Completed", "PartiallyFailed"):
                raise OperationError(
                    f"backup {backup} is {found.phase}; only a finished backup can be restored",
                    status=422,
                )
            if existing_resource_policy not in ("none", "update"):
                raise OperationError(
                    f"existing resource policy must be none or update, not "
                    f"{existing_resource_policy!r}",
                    status=422,
                )
            names = [*included_namespaces, *namespace_mapping, *namespace_mapping.values()]
            for ns in names:
                if not _DNS_LABEL.match(ns):
                    raise OperationError(f"{ns!r} is not a valid namespace name", status=422)
            base = f"{backup}-{velero_stamp(sim.now)}"
            name, n = base, 1
            while name in sim.restores:
                n += 1
                name = f"{base}-{n}"
            if not dry_run:
                sim.restore(found, name, labels_of(dict(namespace_mapping)))
            return name

    def create_silence(
        self,
        cluster: str,
        matchers: Mapping[str, str],
        duration_s: float,
        comment: str,
        author: str,
        *,
        dry_run: bool = False,
    ) -> str:
        """Silence alerts whose labels equal every matcher for ``duration_s``; return its id."""
        with self._lock:
            sim = self._sim(cluster)
            if not matchers or any(not k or not v for k, v in matchers.items()):
                raise OperationError("a silence needs at least one non-empty matcher", status=422)
            if not duration_s > 0:
                raise OperationError("a silence must last more than 0 seconds", status=422)
            if not comment.strip() or not author.strip():
                raise OperationError("a silence needs a comment and an author", status=422)
            if dry_run:
                return sim.silence_id(sim.silence_count + 1)
            return sim.silence(dict(matchers), sim.now + duration_s, author, comment)

    def extend_silence(
        self, cluster: str, silence_id: str, extra_s: float, *, dry_run: bool = False
    ) -> str:
        """Make an active silence end ``extra_s`` later; its id (updated in place)."""
        with self._lock:
            sim = self._sim(cluster)
            found = sim.silences.get(silence_id)
            if found is None:
                raise OperationError(f"silence {silence_id} is gone: nothing to extend", status=404)
            if not extra_s > 0:
                raise OperationError("extend by more than 0 seconds", status=422)
            if dry_run:
                return silence_id
            return sim.extend_silence(silence_id, found.ends + extra_s)

    def expire_silence(self, cluster: str, silence_id: str) -> None:
        """End a silence now; the alerts it covered show again in the next tick."""
        with self._lock:
            sim = self._sim(cluster)
            if silence_id not in sim.silences:
                raise OperationError(
                    f"silence {silence_id} not found (or already expired) in {cluster}",
                    status=404,
                )
            sim.unsilence(silence_id)

    def read(self, cluster: str, kind: Kind) -> list[Resource]:
        """The current objects of one kind in one cluster: what a GET would answer now."""
        with self._lock:
            return list(self._sim(cluster).table(kind).values())

    def get(self, cluster: str, kind: Kind, namespace: str, name: str) -> Resource | None:
        """One object by namespace and name, as a fresh GET would answer (the actions' reader).

        The namespace is ignored for cluster-wide kinds (nodes, node pools, Velero objects).
        """
        for obj in self.read(cluster, kind):
            if getattr(obj, "name", None) == name and getattr(obj, "namespace", namespace) in (
                namespace,
                "",
            ):
                return obj
        return None

    def list(self, cluster: str, kind: Kind, namespace: str) -> Sequence[Resource]:
        """Every object of a kind in a namespace, cluster-wide kinds included (the actions'
        reader)."""
        return [
            o for o in self.read(cluster, kind) if getattr(o, "namespace", "") in (namespace, "")
        ]

    DEMO_OBJECTS = (Kind.POD, Kind.DEPLOYMENT, Kind.SERVICE, Kind.HPA, Kind.NODE)
    """Kinds whose whole object the demo makes up (the rest show what the store has)."""

    def fetch(self, cluster: str, kind: Kind, namespace: str, name: str) -> FullObject | None:
        """The whole object as the simulated apiserver would answer a GET now (the
        Inspector protocol): realistic Pods (containers, probes, env, last termination,
        owner reference), Deployments, Services, HPAs and Nodes. Secrets are refused."""
        if is_secret(str(kind)):
            raise OperationError("secrets are never read")
        if kind not in self.DEMO_OBJECTS:
            raise OperationError(f"the demo keeps no server object for a {kind}")
        with self._lock:
            obj = full_object(self._sim(cluster), kind, namespace, name)
        return None if obj is None else without_secrets(obj)

    def silence_state(self, cluster: str, silence_id: str) -> str:
        """``active`` while the silence runs, ``expired`` once it is gone."""
        with self._lock:
            return "active" if silence_id in self._sim(cluster).silences else "expired"

    def service_endpoints(
        self,
        cluster: str,
        namespace: str,
        name: str,
        labels: Mapping[str, str] | None = None,
    ) -> ServiceEndpoints:
        """A Service's ready endpoints as its EndpointSlices would list them now (the
        simulated controller never lags), and which are pods carrying ``labels``."""
        with self._lock:
            sim = self._sims.get(cluster)
            svc = sim.services.get(f"{namespace}/{name}") if sim is not None else None
            if sim is None or svc is None:
                missing = f"service {namespace}/{name} not found"
                return ServiceEndpoints("", reason=missing, lasting=True)
            ready, matching = [], []
            for pod in sim.pods.values():
                dep = sim.deployments.get(f"{pod.namespace}/{pod.owner}")
                if pod.namespace != namespace or dep is None:
                    continue
                pod_labels = dict(dep.pod_labels)
                selected = all(pod_labels.get(k) == v for k, v in svc.selector)
                if selected and pod.status == "Running" and pod.ready == pod.containers:
                    ready.append(pod.name)
                    if labels and all(pod_labels.get(k) == v for k, v in labels.items()):
                        matching.append(pod.name)
        return ServiceEndpoints(SLICES, tuple(ready), tuple(matching))


def _stamped(event: Event, at: float) -> Event:
    """``event`` told as having happened at ``at``."""
    return replace(event, at=at) if isinstance(event, Upserted | Deleted) else event


class DemoSource:
    """Runs a DemoFleet as a Source: the initial events, then a tick every ``interval``."""

    name: str = "demo"

    def __init__(self, fleet: DemoFleet, interval: float = 1.0) -> None:
        self.fleet = fleet
        """The simulated fleet (also the Operator the actions use)."""
        self.interval = interval
        """Seconds between ticks."""

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Emit the initial events, then what changed every ``interval`` until ``stop``. On a
        ``RewoundClock`` (``--demo --at``), the story up to now comes with the initial events
        (the whole state is computed before anything is emitted, as ``DemoMoment`` does)."""
        events = self.fleet.initial_events()
        clock = self.fleet.clock
        if isinstance(clock, RewoundClock) and clock.behind:
            clock.catch_up()
            events.extend(self.fleet.tick(history=True))
        for event in events:
            emit(event)
        while not stop.wait(self.interval):
            for event in self.fleet.tick():
                emit(event)


class DemoMoment:
    """A Source: the fleet ``at`` simulated seconds into its story, all at once (``snapshot
    --demo --at``). The whole state is computed before anything is emitted, so a consumer that
    waits until every source has reported never sees the start without the moment; ``clock``
    then stays at that moment (give it to the store, so ages are the story's)."""

    name: str = "demo"

    def __init__(self, fleet: DemoFleet, clock: FrozenClock, at: int) -> None:
        self.fleet = fleet
        """The simulated fleet, moved to the moment."""
        self.clock = clock
        """The fleet's clock, left at the moment."""
        self._events = fleet.initial_events()
        # One tick steps through every second up to the moment (at most MAX_CATCH_UP).
        clock.advance(float(min(max(at, 0), MAX_CATCH_UP)))
        self._events.extend(fleet.tick(history=True))

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Emit the moment's events, then wait for ``stop`` (the fleet does not move on)."""
        for event in self._events:
            emit(event)
        stop.wait()


def _protocols(source: DemoSource, moment: DemoMoment) -> tuple[Source, Inspector, Source]:
    """Never called: mypy checks here that the demo keeps up with the Source and Inspector
    protocols (its capabilities are checked in ``wiring``, which may import the actions)."""
    return source, source.fleet, moment
