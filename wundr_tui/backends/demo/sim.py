"""The simulation of one cluster: workloads and their pods, nodes, the HPA and the cluster
autoscaler, the scripted crash and node failure, and the operations the fleet applies.

Advanced one simulated second per ``step``, driven by a seeded RNG: same seed, same story. A few
pods also restart at random (seeded).
"""

from __future__ import annotations

import hashlib
import heapq
import math
import random
from collections.abc import Mapping
from dataclasses import replace

from wundr_tui.backends.demo.events import OBSERVE_EVERY, observe
from wundr_tui.backends.demo.profiles import (
    ALERT_SCRIPT,
    CRASH_SCRIPT,
    CYCLE,
    GREEN,
    HPA_NAME,
    NAMESPACE,
    NODE_DOWN,
    NODE_UP,
    POOLS,
    ROLLOUT_CLOUD,
    ROLLOUT_SCRIPT,
    ROLLOUT_WORKLOAD,
    SERVICE,
    Profile,
    Workload,
    gateway_demand,
    image,
    platform_workloads,
    replica_lag,
)
from wundr_tui.backends.demo.signals import SIGNAL_STEP, signals_at
from wundr_tui.backends.demo.state import ClusterState
from wundr_tui.model import (
    Deployment,
    Hpa,
    HpaMetric,
    Kind,
    Node,
    NodePool,
    Pod,
    ReplicaLink,
    Service,
    intern_labels,
    labels_of,
)

# Kubernetes' "safe" alphabet for generated name suffixes (no vowels, no look-alikes).
_SAFE = "bcdfghjklmnpqrstvwxz2456789"
_GCE_SUFFIX = "abcdefghijklmnopqrstuvwxyz0123456789"


def _rand(rng: random.Random, n: int, alphabet: str = _SAFE) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


class ClusterSim(ClusterState):
    """The state of one simulated cluster, advanced one second per ``step``."""

    def __init__(
        self, profile: Profile, seed: int, now: float, green_replicas: int | None = None
    ) -> None:
        super().__init__(profile, seed, now)
        self._build()
        # The last 30 minutes of golden signals, as Prometheus would have them at the start.
        self.signals = {s.service: s for s in signals_at(profile, self._phase_at, 0.0, now)}
        if green_replicas is not None:
            self._shorten(f"{NAMESPACE}/{GREEN}", green_replicas)

    # -- building the initial state --------------------------------------------------------

    def _build(self) -> None:
        rng = self.rng
        for spec in POOLS:
            self.pools[spec.name] = NodePool(
                name=spec.name,
                min_size=spec.min_size,
                max_size=spec.max_size,
                desired=spec.size,
                machine_type=self.profile.machines[spec.name],
                status=self.profile.pool_status,
                autoscaling=spec.autoscaling,
                capacity_type=self.profile.capacity_type,
                version=self.profile.version,
                location_policy=self.profile.location_policy if spec.autoscaling else "",
            )
            for _ in range(spec.size):
                self._add_node(spec.name, ready=True, age=rng.uniform(20, 60) * 86400)

        for w in (*platform_workloads(), *self.profile.system_workloads):
            key = f"{w.namespace}/{w.name}"
            self.workloads[key] = w
            self.owned[key] = {}
            self.template_hash[key] = _rand(rng, rng.choice((9, 10)))
            old = 30 * 86400 if w.namespace != NAMESPACE else 9 * 86400
            for i in range(w.replicas):
                pod = self._new_pod(key, index=i)
                node = self._place(pod, w)
                pod = replace(
                    pod,
                    status="Running",
                    ready=w.containers,
                    node=node,
                    restarts=rng.choice((0, 0, 0, 1, 2)),
                    created=self.now - rng.uniform(2 * 3600, old),
                )
                self._put(self.pods, pod)
            if not w.stateful:
                self._put(
                    self.deployments,
                    Deployment(
                        w.namespace,
                        w.name,
                        w.replicas,
                        w.replicas,
                        w.replicas,
                        w.replicas,
                        w.labels,
                        self._next_rv(),
                        image=", ".join(
                            image(self.profile.cluster.cloud, w.name, i)
                            for i in range(w.containers)
                        ),
                        revision=4,
                    ),
                )

        live = (("app", "api-gateway"), ("environment", "production-blue"))
        self._put(self.services, Service(NAMESPACE, SERVICE, live, self._next_rv()))
        self._put(
            self.hpas,
            Hpa(
                NAMESPACE,
                HPA_NAME,
                "Deployment/api-gateway-blue",
                3,
                20,
                3,
                3,
                (HpaMetric("cpu", 51.0, 70.0), HpaMetric("memory", 61.0, 80.0)),
                self._next_rv(),
            ),
        )

        engine, primary, replica, p_region, r_region, state = self.profile.db
        self._put(
            self.links,
            ReplicaLink(
                engine, primary, replica, p_region, r_region, state, 0.4, 600_000, self.now
            ),
        )

        self._build_velero()
        crash_pods = list(self.owned[f"{NAMESPACE}/{self.profile.crash_workload}"])
        self.crash_pod = crash_pods[self.profile.crash_seed % len(crash_pods)]
        self._touch_all_workloads()
        self._settle()

    def _shorten(self, workload: str, replicas: int) -> None:
        """Start ``workload`` with only ``replicas`` of its pods (the newest go at once, no
        Terminating): a short green for the blue-green capacity check. Done after the build, so
        the RNG draws, and with them the rest of the fleet, are the same as without it."""
        w = self.workloads[workload]
        if not 0 <= replicas <= w.replicas:
            raise ValueError(f"{w.name} can start with 0 to {w.replicas} replicas, not {replicas}")
        self.workloads[workload] = replace(w, replicas=replicas)
        for key in list(self.owned[workload])[replicas:]:
            self._remove_pod(key)
        dep = self.deployments[workload]
        self._put(self.deployments, replace(dep, desired=replicas))
        self._settle()

    def _node_name(self, pool: str) -> str:
        rng = self.rng
        while True:
            if self.profile.cluster.cloud == "aws":
                name = f"ip-10-0-{rng.randint(0, 95)}-{rng.randint(2, 254)}.ec2.internal"
            else:
                group = hashlib.blake2b(
                    f"{self.seed}:{pool}:{rng.randint(0, 2)}".encode(), digest_size=4
                ).hexdigest()
                name = f"gke-wundr-production-{pool}-{group}-{_rand(rng, 4, _GCE_SUFFIX)}"
            if name not in self.nodes:
                return name

    def _add_node(self, pool: str, *, ready: bool, age: float = 0.0) -> str:
        name = self._node_name(pool)
        machine = self.profile.machines[pool]
        since = 0.0 if ready else self.now
        self._put(self.nodes, Node(name, pool, ready, machine, self.now - age, since))
        self.node_pods[name] = 0
        if not ready:
            self._after(self.rng.randint(8, 12), "node_ready", name)
        return name

    def _new_pod(self, workload: str, index: int = 0) -> Pod:
        w = self.workloads[workload]
        if w.stateful:
            name = f"{w.name}-{index}"
        else:
            prefix = f"{w.name}-{self.template_hash[workload]}-"
            name = prefix + _rand(self.rng, 5)
            while f"{w.namespace}/{name}" in self.pods:
                name = prefix + _rand(self.rng, 5)
        labels = dict(w.labels)
        if not w.stateful:
            labels["pod-template-hash"] = self.template_hash[workload]
        pod = Pod(
            w.namespace,
            name,
            "Pending",
            0,
            w.containers,
            0,
            self.now,
            "",
            w.name,
            labels=intern_labels(labels),
        )
        self.owned[workload][pod.key] = None
        return pod

    def _place(self, pod: Pod, w: Workload) -> str:
        """The node the scheduler would pick, or "" when nothing fits."""
        taken: set[str] = set()
        if w.spread:
            for key in self.owned[f"{w.namespace}/{w.name}"]:
                other = self.pods.get(key)
                if other is not None and other.node:
                    taken.add(other.node)
        best = ""
        for node in self.nodes.values():
            if node.pool != w.pool or not node.ready or node.name in taken:
                continue
            if w.spread:
                # Spread pods fill the oldest nodes first, so scale-down empties the newest.
                best = node.name
                break
            if not best or self.node_pods[node.name] < self.node_pods[best]:
                best = node.name
        if best:
            self.node_pods[best] += 1
        return best

    # -- the simulation --------------------------------------------------------------------

    def step(self, now: float) -> None:
        """Advance by one simulated second."""
        self.n += 1
        self.now = now
        phase = (self.n - self.profile.offset) % CYCLE
        while self.timers and self.timers[0][0] <= self.n:
            _, _, action, key = heapq.heappop(self.timers)
            self._timer(action, key)
        self._script(phase)
        if phase % 15 == 0:
            self._autoscale_hpa(phase)
        if phase % 5 == 0:
            self._autoscale_nodes()
            self._sample_lag(phase)
        if phase % OBSERVE_EVERY == 0:
            observe(self)  # after the steps above: the events describe this second's state
        if self.rng.random() < 0.012:
            self._random_restart()
        if self.silences:
            self._expire_silences()
        if now >= self.next_backup:
            self._scheduled_backup()
        if int(now) % SIGNAL_STEP == 0:
            self._sample_signals(now)
        self._settle()

    def _phase_at(self, t: float) -> int:
        """The story's phase at time ``t`` (before the start too: the story repeats)."""
        n = round(t - (self.now - self.n))
        return (n - self.profile.offset) % CYCLE

    def _sample_signals(self, now: float) -> None:
        """This step's golden-signal points: merged into the window, and sent alone."""
        for point in signals_at(self.profile, self._phase_at, now, now):
            old = self.signals.get(point.service)
            self.signals[point.service] = old.merged(point) if old else point
            self.signal_news[point.service] = point
            self.dirty[point.KIND][point.service] = None

    def _timer(self, action: str, key: str) -> None:
        if action == "schedule":
            self._schedule(key)
        elif action == "run":
            pod = self.pods.get(key)
            if pod is not None and pod.status == "ContainerCreating":
                self._set_pod(replace(pod, status="Running", ready=self._ready_for(pod)))
        elif action == "ready":
            pod = self.pods.get(key)
            if pod is not None and pod.status == "Running":
                self._set_pod(replace(pod, ready=self._ready_for(pod)))
        elif action == "delete":
            self._remove_pod(key)
        elif action == "node_ready":
            self._set_node_ready(key, True)
        elif action == "pool_active":
            pool = self.pools.get(key)
            if pool is not None:
                self._put(self.pools, replace(pool, status=self.profile.pool_status))
        elif action == "restore":
            self._advance_restore(key)
        elif action == "backup_done":
            b = self.backups.get(key)
            if b is not None:
                self._put(
                    self.backups,
                    replace(b, phase="Completed", completed=self.now, items_done=b.items_total),
                )

    def _ready_for(self, pod: Pod) -> int:
        node = self.nodes.get(pod.node)
        return pod.containers if node is not None and node.ready else 0

    def _set_pod(self, pod: Pod) -> None:
        self._put(self.pods, self._with_since(pod))
        self.touched_workloads[f"{pod.namespace}/{pod.owner}"] = None

    def _with_since(self, pod: Pod) -> Pod:
        """``pod`` with the time its Ready condition last turned False, as the kubelet keeps
        it: set when it stops being ready (a new pod: when created), kept while it stays so,
        cleared when it is ready again."""
        ready = pod.status == "Running" and pod.ready == pod.containers
        if ready:
            return pod if not pod.since else replace(pod, since=0.0)
        old = self.pods.get(pod.key)
        if old is None:
            since = pod.created
        elif old.since:
            since = old.since
        else:
            since = self.now
        return pod if pod.since == since else replace(pod, since=since)

    def _schedule(self, key: str) -> None:
        pod = self.pods.get(key)
        if pod is None or pod.status != "Pending":
            return
        node = self._place(pod, self.workloads[f"{pod.namespace}/{pod.owner}"])
        if not node:
            self.unschedulable[key] = None
            return
        self.unschedulable.pop(key, None)
        self._set_pod(replace(pod, status="ContainerCreating", node=node))
        self._after(self.rng.randint(2, 4), "run", key)

    def _remove_pod(self, key: str) -> None:
        pod = self.pods.get(key)
        if pod is None:
            return
        if pod.node in self.node_pods:
            self.node_pods[pod.node] -= 1
        workload = f"{pod.namespace}/{pod.owner}"
        self.owned[workload].pop(key, None)
        self.unschedulable.pop(key, None)
        self._drop(self.pods, Kind.POD, key)
        self.touched_workloads[workload] = None

    def _reconcile(self, workload: str) -> None:
        """Create or terminate pods until the workload has its desired count."""
        dep = self.deployments.get(workload)
        if dep is None:
            return
        live = [k for k in self.owned[workload] if self.pods[k].status != "Terminating"]
        if len(live) < dep.desired:
            for _ in range(dep.desired - len(live)):
                pod = self._new_pod(workload)
                self._set_pod(pod)
                self._after(1, "schedule", pod.key)
        elif len(live) > dep.desired:
            # Like a ReplicaSet: unscheduled pods go first, then the newest.
            victims = sorted(live, key=lambda k: (self.pods[k].node == "", self.pods[k].created))
            for key in reversed(victims[dep.desired - len(live) :]):
                pod = self.pods[key]
                if not pod.node:
                    self._remove_pod(key)
                    continue
                self._set_pod(replace(pod, status="Terminating", ready=0))
                self._after(self.rng.randint(2, 4), "delete", key)
        self.touched_workloads[workload] = None

    def _touch_all_workloads(self) -> None:
        for key in self.workloads:
            self.touched_workloads[key] = None

    def _settle(self) -> None:
        """Bring deployment status and service endpoints in line with the pods."""
        if not self.touched_workloads:
            return
        for workload in self.touched_workloads:
            dep = self.deployments.get(workload)
            if dep is None:
                continue
            ready = updated = 0
            for key in self.owned[workload]:
                pod = self.pods[key]
                if pod.status != "Terminating":
                    updated += 1
                    ready += pod.status == "Running" and pod.ready == pod.containers
            if (dep.ready, dep.available, dep.updated) != (ready, ready, updated):
                self._put(
                    self.deployments, replace(dep, ready=ready, available=ready, updated=updated)
                )
        self.touched_workloads.clear()
        for svc in list(self.services.values()):
            endpoints = 0
            for dep in self.deployments.values():
                pod_labels = dict(dep.pod_labels)
                if dep.namespace == svc.namespace and all(
                    pod_labels.get(k) == v for k, v in svc.selector
                ):
                    endpoints += dep.ready
            if endpoints != svc.ready_endpoints:
                # Endpoints live in their own object: the Service's resourceVersion stays.
                self._put(self.services, replace(svc, ready_endpoints=endpoints))

    def _script(self, phase: int) -> None:
        for at, status, ready, restarts in CRASH_SCRIPT:
            if at == phase:
                self._crash(status, ready, restarts)
        if phase == NODE_DOWN:
            self._node_down()
        elif phase == NODE_UP and self.down_node:
            self._set_node_ready(self.down_node, True)
            self.down_node = ""
        change = ALERT_SCRIPT.get(phase)
        if change is not None:
            name, state = change
            if state:
                since = self.now
                if state == "resolved":
                    since = self.alert_state.get(name, (state, since))[1]
                self.alert_state[name] = (state, since)
            else:
                self.alert_state.pop(name, None)
            self._publish_alert(name)
        tag = ROLLOUT_SCRIPT.get(phase)
        if tag is not None and self.profile.cluster.cloud == ROLLOUT_CLOUD:
            self._roll_out(ROLLOUT_WORKLOAD, tag)

    def _roll_out(self, workload: str, tag: str) -> None:
        """A new revision of ``workload`` whose first container runs ``tag`` (the pods are
        left as they are: the story needs the change, not the pods' churn)."""
        dep = self.deployments.get(f"{NAMESPACE}/{workload}")
        if dep is None:
            return
        images = dep.image.split(", ")
        images[0] = image(self.profile.cluster.cloud, workload, 0, tag)
        self._put(
            self.deployments,
            replace(
                dep,
                image=", ".join(images),
                revision=dep.revision + 1,
                # Not _next_rv: that draws from the RNG, and the rest of the story (pod names,
                # events) must stay what it was without the rollout.
                resource_version=f"{dep.resource_version}{dep.revision + 1}",
            ),
        )

    def _crash(self, status: str, ready: int, restarts: int) -> None:
        pod = self.pods.get(self.crash_pod)
        workload = f"{NAMESPACE}/{self.profile.crash_workload}"
        if pod is None or pod.status in ("Pending", "ContainerCreating", "Terminating"):
            # The scripted pod is gone (scaled away, or its node removed): pick a running one.
            candidates = [
                k for k in self.owned.get(workload, {}) if self.pods[k].status == "Running"
            ]
            if not candidates:
                return
            self.crash_pod = candidates[0]
            pod = self.pods[self.crash_pod]
        self._set_pod(
            replace(
                pod,
                status=status,
                ready=min(ready, pod.containers),
                restarts=pod.restarts + restarts,
            )
        )
        if restarts:
            self.terminated_at[self.crash_pod] = (self.now, "Error")

    def _node_down(self) -> None:
        pool = self.profile.not_ready_pool
        crash_node = self.pods[self.crash_pod].node if self.crash_pod in self.pods else ""
        ready = [
            n.name
            for n in self.nodes.values()
            if n.pool == pool and n.ready and n.name != crash_node
        ]
        if len(ready) < 2:
            return
        self.down_node = ready[1]
        self._set_node_ready(self.down_node, False)

    def _set_node_ready(self, name: str, ready: bool) -> None:
        node = self.nodes.get(name)
        if node is None or node.ready == ready:
            return
        self._put(self.nodes, replace(node, ready=ready, since=0.0 if ready else self.now))
        # The node lifecycle controller marks a NotReady node's pods not ready, and back.
        for pod in self.pods.values():
            if pod.node == name and pod.status == "Running":
                want = pod.containers if ready else 0
                if pod.ready != want:
                    self._set_pod(replace(pod, ready=want))
        if ready:
            for key in list(self.unschedulable):
                self._schedule(key)

    def _autoscale_hpa(self, phase: int) -> None:
        hpa = self.hpas.get(f"{NAMESPACE}/{HPA_NAME}")
        if hpa is None:
            return
        workload = f"{NAMESPACE}/{hpa.target.partition('/')[2]}"
        dep = self.deployments.get(workload)
        if dep is None or dep.desired == 0:
            # An HPA does not scale a workload someone scaled to zero (ScalingDisabled).
            return
        demand = gateway_demand(phase, self.profile.demand_peak) * self.rng.uniform(0.95, 1.05)
        cur = dep.desired
        ratio = demand / cur
        cpu = 70.0 * ratio
        memory = 52.0 + 18.0 * min(ratio, 1.4) / 1.4
        # Memory is shown but never binding here: the demo's load is CPU-bound.
        want = cur if abs(ratio - 1) <= 0.1 else math.ceil(cur * ratio)
        want = min(max(want, hpa.min_replicas), hpa.max_replicas)
        self.hpa_recent = [(n, w) for n, w in self.hpa_recent if self.n - n < 30]
        self.hpa_recent.append((self.n, want))
        if cur > hpa.max_replicas:
            new = hpa.max_replicas
        elif cur < hpa.min_replicas:
            new = hpa.min_replicas
        elif want > cur:
            new = min(want, max(cur + 4, cur * 2))
        elif want < cur:
            # Scale-down stabilisation: never below the highest recent recommendation.
            floor = max(w for _, w in self.hpa_recent)
            new = max(floor, cur - max(2, math.ceil(cur * 0.25))) if floor < cur else cur
        else:
            new = cur
        if new != dep.desired:
            self._put(self.deployments, replace(dep, desired=new, resource_version=self._next_rv()))
            self._reconcile(workload)
        live = sum(1 for k in self.owned[workload] if self.pods[k].status != "Terminating")
        # ScalingLimited (TooManyReplicas) turns True once the metrics want max or more.
        limited = new >= hpa.max_replicas
        self._put(
            self.hpas,
            replace(
                hpa,
                current_replicas=live,
                desired_replicas=new,
                limited_since=(hpa.limited_since or self.now) if limited else 0.0,
                metrics=(
                    HpaMetric("cpu", float(round(min(cpu, 300.0))), 70.0),
                    HpaMetric("memory", float(round(memory)), 80.0),
                ),
                resource_version=self._next_rv(),
            ),
        )

    def _autoscale_nodes(self) -> None:
        """A cluster autoscaler: add nodes for unschedulable pods, remove nodes left empty."""
        for pool in list(self.pools.values()):
            if not pool.autoscaling:
                continue
            nodes = [n for n in self.nodes.values() if n.pool == pool.name]
            pending = sum(
                1
                for k in self.unschedulable
                if self.workloads[f"{self.pods[k].namespace}/{self.pods[k].owner}"].pool
                == pool.name
            )
            booting = sum(1 for n in nodes if not n.ready and n.name != self.down_node)
            size = len(nodes)
            if pending > booting and size < pool.max_size:
                add = min(pending - booting, pool.max_size - size)
                for _ in range(add):
                    self._add_node(pool.name, ready=False)
                size += add
            elif not pending:
                for node in nodes:
                    if self.node_pods[node.name] or not node.ready:
                        self.empty_since.pop(node.name, None)
                    else:
                        self.empty_since.setdefault(node.name, self.n)
                removable = [
                    n.name
                    for n in reversed(nodes)
                    if self.n - self.empty_since.get(n.name, self.n) >= 15
                ]
                for name in removable[: min(3, size - pool.min_size)]:
                    self._remove_node(name)
                    size -= 1
            if size != pool.desired:
                self._put(self.pools, replace(pool, desired=size))

    def _remove_node(self, name: str) -> None:
        for key in [k for k, p in self.pods.items() if p.node == name]:
            pod = self.pods[key]
            self._remove_pod(key)
            self._reconcile(f"{pod.namespace}/{pod.owner}")
        self.node_pods.pop(name, None)
        self.empty_since.pop(name, None)
        self._drop(self.nodes, Kind.NODE, name)

    def _sample_lag(self, phase: int) -> None:
        for link in list(self.links.values()):
            lag = replica_lag(phase, self.profile.lag_peak) + self.rng.uniform(0.2, 1.6)
            lag_bytes = int(lag * self.rng.uniform(1.2e6, 2.0e6))
            self._put(
                self.links,
                replace(link, lag_seconds=round(lag, 1), lag_bytes=lag_bytes, sampled=self.now),
            )

    def _random_restart(self) -> None:
        candidates = [
            k
            for k in self.pods
            if k.startswith(NAMESPACE + "/")
            and k != self.crash_pod
            and self.pods[k].status == "Running"
            and self.pods[k].ready == self.pods[k].containers
        ]
        if not candidates:
            return
        pod = self.pods[self.rng.choice(candidates)]
        self._set_pod(replace(pod, restarts=pod.restarts + 1, ready=pod.containers - 1))
        self.terminated_at[pod.key] = (self.now, "OOMKilled")
        self._after(self.rng.randint(3, 6), "ready", pod.key)

    # -- operations (validated by DemoFleet, under its lock) -------------------------------

    def scale(self, workload: str, replicas: int) -> None:
        """Set a deployment's replicas; its pods follow in the next steps."""
        dep = self.deployments[workload]
        self._put(
            self.deployments, replace(dep, desired=replicas, resource_version=self._next_rv())
        )
        self._reconcile(workload)
        self._settle()

    def patch_selector(self, key: str, selector: Mapping[str, str]) -> None:
        """Merge keys into a Service's selector."""
        svc = self.services[key]
        merged = {**dict(svc.selector), **selector}
        self._put(
            self.services,
            replace(svc, selector=labels_of(merged), resource_version=self._next_rv()),
        )
        self._touch_all_workloads()
        self._settle()

    def set_hpa_bounds(self, key: str, low: int, high: int) -> None:
        """Change an HPA's bounds; the next evaluation applies them."""
        hpa = self.hpas[key]
        self._put(
            self.hpas,
            replace(hpa, min_replicas=low, max_replicas=high, resource_version=self._next_rv()),
        )

    def resize_pool(self, name: str, low: int, high: int, desired: int) -> None:
        """Change a node pool's bounds and size, adding or draining nodes."""
        pool = self.pools[name]
        nodes = [n for n in self.nodes.values() if n.pool == name]
        for _ in range(desired - len(nodes)):
            self._add_node(name, ready=False)
        if desired < len(nodes):
            victims = sorted(reversed(nodes), key=lambda n: self.node_pods[n.name] > 0)
            for node in victims[: len(nodes) - desired]:
                self._remove_node(node.name)
        self._put(
            self.pools,
            replace(
                pool,
                min_size=low,
                max_size=high,
                desired=desired,
                status=self.profile.pool_updating,
            ),
        )
        self._after(10, "pool_active", name)
        self._settle()
