"""How the app runs an action: form → plan (worker) → confirmation dialog → run (worker) →
result, and the one-key revert after a blue-green switch.

Planning and running do I/O, so both happen in thread workers of the ``actions`` group with
``exit_on_error=False``; their results come back to the app as messages, and a worker that
fails anyway reaches the app's one worker handler (``worker_failed`` frees the flow). Only one
action runs at a time: a second key press while one is in flight says so instead of stacking
dialogs. The input rules are the actions' ``parse_*`` functions; this module only maps form
fields to them. It talks to the app through ``ActionHost`` and never imports it.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable

from textual.message import Message
from textual.notifications import SeverityLevel

from wundr_tui.actions.ack import plan_ack, plan_extend
from wundr_tui.actions.base import Check, InputError, Outcome, Plan, cancel_plan, run_plan
from wundr_tui.actions.blue_green import plan_switch
from wundr_tui.actions.hpa import parse_hpa_bounds, plan_hpa_bounds
from wundr_tui.actions.node_pool import parse_node_pool, plan_node_pool
from wundr_tui.actions.router import Router
from wundr_tui.actions.scale import parse_replicas, plan_scale_deployment
from wundr_tui.actions.silence import parse_silence, plan_expire, plan_silence
from wundr_tui.actions.velero import (
    backups_newest_first,
    describe_backup,
    parse_restore,
    plan_restore,
    velero_missing,
)
from wundr_tui.audit import AuditLog, current_user
from wundr_tui.backends.base import OperationError
from wundr_tui.dialogs.audit import AuditScreen
from wundr_tui.dialogs.confirm import ConfirmScreen
from wundr_tui.dialogs.form import Field, FormScreen, Values
from wundr_tui.model import Alert, Backup, Cluster, Hpa, Kind, NodePool, Pod
from wundr_tui.screens.host import ActionHost

DEFAULT_REVERT_SECONDS = 120.0
"""How long the revert key stays offered after a blue-green switch (``[actions]
revert_seconds`` in the config changes it)."""

ACTIONS_GROUP = "actions"
"""Worker group of plans and runs (one action at a time)."""

PERMISSIONS_GROUP = "permissions"
"""Worker group of the access reviews behind the action keys (a new pane's replaces the old)."""


class PlanReady(Message):
    """A plan was built (checks run) and waits for the dialog."""

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan
        """The checked plan."""


class ActionDone(Message):
    """An action finished: done, failed, refused or unverified."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__()
        self.outcome = outcome
        """What happened."""


def _validator(parse: Callable[[Values], object]) -> Callable[[Values], str | None]:
    def validate(values: Values) -> str | None:
        try:
            parse(values)
        except InputError as exc:
            return str(exc)
        return None

    return validate


class ActionFlow:
    """The app's side of actions: collects input, shows plans, runs them in workers."""

    def __init__(self, app: ActionHost, ops: Router | None, audit: AuditLog) -> None:
        self.app = app
        """The cockpit, through the services the flow needs."""
        self.ops = ops
        """Routes operations to backends (None: this app has nothing to act on)."""
        self.audit = audit
        """Where every attempt is recorded."""
        self.busy = False
        """An action is being planned, confirmed or run."""
        self.revert_plan: Callable[[], Plan] | None = None
        """Builds the plan that undoes the last switch, while its window is open."""
        self.revert_until = 0.0
        self.revert_cluster: Cluster | None = None
        self.denied: dict[tuple[str, str], str] = {}
        """(cluster, action) → why RBAC says no (from the last access reviews)."""
        self.outcomes: list[Outcome] = []
        """Every finished action of this session (tests read it)."""
        self._queue: list[Callable[[], bool]] = []
        self.revert_seconds = app.config.actions.revert_seconds
        """Seconds the revert key is offered after a switch."""
        self.monotonic: Callable[[], float] = time.monotonic
        """The revert window's clock (a test steps it instead of racing the real one)."""

    # -- availability -----------------------------------------------------------------------

    def availability(self, action: str = "") -> bool | None:
        """For check_action: hidden without an operator, shown disabled in read-only mode or
        when RBAC denies ``action`` on every cluster (see ``refresh_permissions``)."""
        if self.ops is None:
            return False
        if self.ops.read_only:
            return None
        clusters = list(self.app.store.clusters)
        if action and clusters and all((c, action) in self.denied for c in clusters):
            return None
        return True

    def permission_checks(self, action: str) -> tuple[str, str, str] | None:
        """(verb, resource, namespace) an action needs wherever it is used, when that is
        known before a row is picked; None for per-object or non-Kubernetes actions."""
        if action == "act_blue_green" and self.app.config.blue_green:
            spec = self.app.config.blue_green[0]
            return "patch", "services", spec.namespace
        if action == "act_restore":
            return "create", "restores.velero.io", "velero"
        return None

    def refresh_permissions(self, actions: Iterable[str]) -> None:
        """Ask each cluster (in a worker) whether the user may take these actions; denied ones
        show disabled, with the reason in the command palette."""
        ops = self.ops
        if ops is None or ops.read_only:
            return
        wanted = [(a, check) for a in actions if (check := self.permission_checks(a))]
        clusters = list(self.app.store.clusters)
        if not wanted or not clusters:
            return

        def ask() -> None:
            answers: dict[tuple[str, str], str] = {}
            for cluster in clusters:
                for action, (verb, resource, namespace) in wanted:
                    permission = ops.can(cluster, verb, resource, namespace)
                    if not permission.allowed:
                        answers[(cluster, action)] = permission.reason
            self.app.call_from_thread(self._permissions_known, [a for a, _ in wanted], answers)

        self.app.run_worker(
            ask,
            name="permissions",
            group=PERMISSIONS_GROUP,
            description="access reviews for the pane's actions",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _permissions_known(self, actions: list[str], answers: dict[tuple[str, str], str]) -> None:
        for key in [k for k in self.denied if k[1] in actions]:
            del self.denied[key]
        self.denied.update(answers)
        self.app.refresh_bindings()

    @property
    def read_only(self) -> bool:
        """Every change is refused before any request (``--read-only`` or ``read_only =
        true``): the panes then answer the action keys with a refusal instead of a form."""
        return self.ops is not None and self.ops.read_only

    @property
    def can_revert(self) -> bool:
        """The revert window is open."""
        return self.revert_plan is not None and self.monotonic() < self.revert_until

    # -- the flow ---------------------------------------------------------------------------

    def _cluster(self, name: str | None) -> Cluster | None:
        clusters = self.app.store.clusters
        if name is None:
            name = self.app.cluster_filter or next(iter(clusters), None)
        return clusters.get(name) if name else None

    def _may_change(self, cluster: Cluster, what: str = "") -> bool:
        """Whether the router allows changes on the cluster at all; says why not (before a form
        and before a plan)."""
        if self.ops is None:
            return False
        why = self.ops.writable(cluster.name)
        if not why.allowed:
            prefix = f"{what}: " if what else ""
            self.app.notify(f"{prefix}unavailable — {why.reason}", severity="warning")
        return why.allowed

    def _start(self, what: str, cluster: Cluster, build: Callable[[], Plan]) -> bool:
        """Build the plan in a worker; the dialog opens when it is ready."""
        if self.ops is None:
            return False
        if self.busy:
            self.app.notify("another action is in progress; wait for it", severity="warning")
            return False
        if not self._may_change(cluster, what):
            return False
        self.busy = True
        self.app.notify(f"checking: {what} on {cluster.short}…", timeout=3)
        self.app.run_worker(
            functools.partial(self._plan_worker, what, cluster, build),
            name=f"plan: {what}",
            group=ACTIONS_GROUP,
            description=what,
            thread=True,
            exit_on_error=False,
        )
        return True

    def _plan_worker(self, what: str, cluster: Cluster, build: Callable[[], Plan]) -> None:
        try:
            plan = build()
        except OperationError as exc:
            plan = Plan(what, what, cluster, "", (), [Check(str(exc), False)])
        except Exception as exc:  # an unexpected answer must not take the app down
            plan = Plan(what, what, cluster, "", (), [Check(f"{type(exc).__name__}: {exc}", False)])
        self.app.post_message(PlanReady(plan))

    def show(self, plan: Plan) -> None:
        """The plan is ready: open the dialog (even a blocked plan, to say why)."""

        def decided(confirmed: bool | None) -> None:
            if confirmed and plan.blocked is None:
                self.app.run_worker(
                    functools.partial(self._run_worker, plan),
                    name=f"run: {plan.title}",
                    group=ACTIONS_GROUP,
                    description=plan.title,
                    thread=True,
                    exit_on_error=False,
                )
            else:
                self.finished(cancel_plan(plan, self.audit))

        self.app.push_screen(ConfirmScreen(plan), callback=decided)

    def _run_worker(self, plan: Plan) -> None:
        def progress(text: str) -> None:
            self.app.call_from_thread(self.app.notify, text, timeout=4)

        self.app.post_message(ActionDone(run_plan(plan, self.audit, progress)))

    def finished(self, outcome: Outcome) -> None:
        """Say what happened; offer the revert after a switch; start the next queued one."""
        self.busy = False
        self.outcomes.append(outcome)
        severity: SeverityLevel = (
            "information"
            if outcome.result in ("done", "cancelled")
            else "error"
            if outcome.result == "failed"
            else "warning"
        )
        message = outcome.message
        if outcome.result in ("done", "unverified") and outcome.plan.revert is not None:
            self.revert_plan = outcome.plan.revert
            self.revert_until = self.monotonic() + self.revert_seconds
            self.revert_cluster = outcome.plan.cluster
            message += f" — press u within {self.revert_seconds:.0f}s to switch back"
            self.app.set_timer(self.revert_seconds + 0.1, self._revert_window_closed)
        self.app.notify(message, severity=severity, timeout=10)
        self.app.refresh_bindings()
        if outcome.plan.action == "restore" and outcome.result == "done":
            self.app.action_pane("backups")
        self._next_queued()

    def worker_failed(self, group: str) -> None:
        """A worker of ``group`` ended in an error the app has shown and logged: an action
        worker that died never posts its result, so the flow is free again."""
        if group == ACTIONS_GROUP:
            self.busy = False
            self._queue.clear()
            self.app.refresh_bindings()

    def _next_queued(self) -> None:
        # A queued step that cannot start (a read-only cluster) must not stall the rest.
        while self._queue:
            if self._queue.pop(0)():
                return

    def _revert_window_closed(self) -> None:
        if not self.can_revert:
            self.revert_plan = None
        self.app.refresh_bindings()

    # -- actions ----------------------------------------------------------------------------

    def revert(self) -> None:
        """Switch back (through the dialog again), while the window is open."""
        build = self.revert_plan
        if build is None or not self.can_revert:
            self.app.notify("nothing to revert (the window has closed)", severity="warning")
            return
        self.revert_plan = None
        cluster = self.revert_cluster
        assert cluster is not None

        def build_revert() -> Plan:
            # A revert is not offered a revert of its own: u twice must not flip-flop traffic.
            plan = build()
            plan.revert = None
            return plan

        self._start("revert the switch", cluster, build_revert)
        self.app.refresh_bindings()

    def blue_green(self, cluster_name: str | None, service: str = "") -> bool:
        """Switch the configured blue-green Service on one cluster to the other colour (the
        one named ``namespace/service`` when given); False when it could not start."""
        cluster = self._cluster(cluster_name)
        if cluster is None or self.ops is None:
            self.app.notify("no cluster to switch", severity="warning")
            return False
        ops = self.ops
        known = {bg.spec for bg in self.app.store.blue_green(cluster.name)}
        specs = [s for s in self.app.config.blue_green if s in known] or list(
            self.app.config.blue_green
        )
        named = [s for s in specs if f"{s.namespace}/{s.service}" == service]
        spec = (named or specs)[0]
        ratio = self.app.config.actions.blue_green_min_capacity
        return self._start(
            "blue-green switch",
            cluster,
            lambda: plan_switch(ops, cluster, spec, min_capacity=ratio),
        )

    def blue_green_on(self, targets: list[tuple[str, str]]) -> None:
        """Switch each (cluster, ``namespace/service``), one dialog each, in order."""
        self._queue = [functools.partial(self.blue_green, c, s) for c, s in targets]
        self._next_queued()

    def blue_green_all(self) -> None:
        """Switch on every cluster, one dialog each."""
        names = list(self.app.store.clusters)
        if not names:
            return
        self._queue = [functools.partial(self.blue_green, n) for n in names]
        self._next_queued()

    def scale_owner(self, cluster_name: str, key: str) -> None:
        """Scale the deployment that owns a pod."""
        cluster = self._cluster(cluster_name)
        pod = self.app.store.get(cluster_name, Kind.POD, key)
        if cluster is None or not isinstance(pod, Pod) or not pod.owner or self.ops is None:
            self.app.notify("this pod has no owning deployment to scale", severity="warning")
            return
        if not self._may_change(cluster):
            return
        ops = self.ops
        namespace, name = pod.namespace, pod.owner
        dep = self.app.store.get(cluster_name, Kind.DEPLOYMENT, f"{namespace}/{name}")
        current = str(getattr(dep, "desired", ""))

        def parse(values: Values) -> int:
            return parse_replicas(values["replicas"])

        def submitted(values: Values | None) -> None:
            if values is not None:
                n = parse(values)
                self._start(
                    "scale",
                    cluster,
                    lambda: plan_scale_deployment(ops, cluster, namespace, name, n),
                )

        self.app.push_screen(
            FormScreen(
                f"Scale deployment {namespace}/{name} on {cluster.short}",
                [Field("replicas", "replicas", current, placeholder="a whole number")],
                _validator(parse),
            ),
            callback=submitted,
        )

    def hpa_bounds(self, cluster_name: str, key: str) -> None:
        """Change an HPA's min/max."""
        cluster = self._cluster(cluster_name)
        hpa = self.app.store.get(cluster_name, Kind.HPA, key)
        if cluster is None or not isinstance(hpa, Hpa) or self.ops is None:
            return
        if not self._may_change(cluster):
            return
        ops = self.ops

        def parse(values: Values) -> tuple[int, int]:
            return parse_hpa_bounds(values["min"], values["max"])

        def submitted(values: Values | None) -> None:
            if values is not None:
                low, high = parse(values)
                self._start(
                    "HPA bounds",
                    cluster,
                    lambda: plan_hpa_bounds(ops, cluster, hpa.namespace, hpa.name, low, high),
                )

        self.app.push_screen(
            FormScreen(
                f"HPA {hpa.namespace}/{hpa.name} on {cluster.short}",
                [
                    Field("min", "min", str(hpa.min_replicas)),
                    Field("max", "max", str(hpa.max_replicas)),
                ],
                _validator(parse),
                intro=f"{hpa.target}: {hpa.current_replicas} now, HPA wants {hpa.desired_replicas}",
            ),
            callback=submitted,
        )

    def node_pool(self, cluster_name: str, key: str) -> None:
        """Change a node pool's min/max/desired."""
        cluster = self._cluster(cluster_name)
        pool = self.app.store.get(cluster_name, Kind.NODE_POOL, key)
        if cluster is None or not isinstance(pool, NodePool) or self.ops is None:
            return
        if not self._may_change(cluster):
            return
        ops = self.ops

        def parse(values: Values) -> tuple[int, int, int]:
            return parse_node_pool(values["min"], values["max"], values["desired"], cluster.cloud)

        def submitted(values: Values | None) -> None:
            if values is not None:
                low, high, want = parse(values)
                self._start(
                    "node pool resize",
                    cluster,
                    lambda: plan_node_pool(ops, cluster, pool, low, high, want),
                )

        self.app.push_screen(
            FormScreen(
                f"Node pool {pool.name} on {cluster.short}",
                [
                    Field("min", "min", str(pool.min_size)),
                    Field("max", "max", str(pool.max_size)),
                    Field("desired", "desired", str(pool.desired)),
                ],
                _validator(parse),
                intro=f"{pool.machine_type} · {pool.status} · sizes in nodes"
                + (" · AT MAX" if pool.at_max else ""),
            ),
            callback=submitted,
        )

    def restore_form(
        self, cluster_name: str | None, key: str | None
    ) -> tuple[FormScreen, Callable[[Values | None], None]] | None:
        """The Velero restore form for a cluster (None when a plan says why not instead)."""
        cluster = self._cluster(cluster_name)
        if cluster is None or self.ops is None:
            return None
        cluster_name = cluster.name
        if not self._may_change(cluster):
            return None
        ops = self.ops
        store = self.app.store
        missing = velero_missing(store.health_for(cluster_name, Kind.BACKUP))
        backups = backups_newest_first(
            b for b in store.items(cluster_name, Kind.BACKUP).values() if isinstance(b, Backup)
        )
        if missing or not backups:
            why = missing or f"no Velero backups on {cluster.short}"
            self._start(
                "restore",
                cluster,
                lambda: Plan(
                    "restore", "Velero restore", cluster, "velero", (), [Check(why, False)]
                ),
            )
            return None
        by_name = {b.name: b for b in backups}
        now = store.clock.now()
        chosen = key if key in by_name else backups[0].name
        default_ns = ", ".join(by_name[chosen].included_namespaces)

        def parse(values: Values) -> tuple[Backup, tuple[str, ...], dict[str, str], str]:
            return parse_restore(
                values["backup"], values["namespaces"], values["mapping"], values["policy"], by_name
            )

        def submitted(values: Values | None) -> None:
            if values is not None:
                backup, namespaces, mapping, policy = parse(values)
                self._start(
                    "restore",
                    cluster,
                    lambda: plan_restore(ops, cluster, backup, namespaces, mapping, policy),
                )

        form = FormScreen(
            f"Velero restore on {cluster.short}",
            [
                Field(
                    "backup",
                    "backup",
                    chosen,
                    choices=[(describe_backup(b, now), b.name) for b in backups],
                ),
                Field(
                    "policy",
                    "existing",
                    "none",
                    choices=[
                        ("none: keep what exists", "none"),
                        ("update: overwrite from backup", "update"),
                    ],
                ),
                Field("namespaces", "namespaces", default_ns, placeholder="blank: all in backup"),
                Field(
                    "mapping",
                    "map to",
                    "",
                    placeholder="optional: wundr-platform=wundr-platform-restore",
                ),
            ],
            _validator(parse),
            intro="Backups newest first: name, phase, age, errors and warnings",
        )
        return form, submitted

    def restore(self, cluster_name: str | None, key: str | None) -> None:
        """Open the restore form; the restore's progress then shows in the Backups pane."""
        made = self.restore_form(cluster_name, key)
        if made is not None:
            form, submitted = made
            self.app.push_screen(form, callback=submitted)

    def silence(self, cluster_name: str, key: str) -> None:
        """Silence the alert under the cursor."""
        cluster = self._cluster(cluster_name)
        alert = self.app.store.get(cluster_name, Kind.ALERT, key)
        if cluster is None or not isinstance(alert, Alert) or self.ops is None:
            return
        if not self._may_change(cluster):
            return
        ops = self.ops
        store = self.app.store

        def parse(values: Values) -> tuple[float, str, str]:
            return parse_silence(values["duration"], values["comment"], values["author"])

        def submitted(values: Values | None) -> None:
            if values is not None:
                seconds, comment, author = parse(values)
                self._start(
                    "silence",
                    cluster,
                    lambda: plan_silence(
                        ops, cluster, alert, seconds, comment, author, now=store.clock.now()
                    ),
                )

        self.app.push_screen(
            FormScreen(
                f"Silence {alert.name} on {cluster.short}",
                [
                    Field("duration", "duration", "2h", placeholder="30m, 2h, 1d"),
                    Field("comment", "comment", "", placeholder="why (required)"),
                    Field("author", "author", self.app.config.author or current_user()),
                ],
                _validator(parse),
                intro=f"{alert.severity} {alert.state}: {alert.summary or alert.subject}",
            ),
            callback=submitted,
        )

    def ack(self, targets: Iterable[tuple[str, str]], what: str = "") -> None:
        """``a``: acknowledge the alerts (cluster, key) — a short silence saying ``ack:``, the
        author prefilled; on one alert already acknowledged, extend its silence instead."""
        store = self.app.store
        found: list[tuple[Cluster, Alert]] = []
        for cluster_name, key in targets:
            cluster = self._cluster(cluster_name)
            alert = store.get(cluster_name, Kind.ALERT, key)
            if cluster is not None and isinstance(alert, Alert):
                found.append((cluster, alert))
        if not found or self.ops is None:
            self.app.notify("no alert to acknowledge on this row", severity="warning")
            return
        ops = self.ops
        seconds = self.app.config.actions.ack_seconds
        author = self.app.config.author or current_user()
        if all(a.ack_id for _, a in found):
            cluster, alert = found[0]
            self._start("extend ack", cluster, lambda: plan_extend(ops, cluster, alert, seconds))
            return
        self._start("ack", found[0][0], lambda: plan_ack(ops, found, seconds, author, what=what))

    def expire(self, cluster_name: str, key: str) -> None:
        """Expire the silence on the alert under the cursor."""
        cluster = self._cluster(cluster_name)
        alert = self.app.store.get(cluster_name, Kind.ALERT, key)
        if cluster is None or not isinstance(alert, Alert) or self.ops is None:
            return
        ops = self.ops
        self._start("expire silence", cluster, lambda: plan_expire(ops, cluster, alert))

    def show_audit(self) -> None:
        """The recent audit entries (``:audit``)."""
        self.app.push_screen(AuditScreen(self.audit))
