"""SVG snapshots at 80x24 of every confirmation dialog and of the action forms, over the demo
fleet on a frozen clock (plans are built with the real plan functions against the fleet)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from tests.conftest import DEMO_START
from wundr_tui.actions.base import Change, Check, Plan
from wundr_tui.actions.blue_green import plan_switch
from wundr_tui.actions.hpa import plan_hpa_bounds
from wundr_tui.actions.node_pool import plan_node_pool
from wundr_tui.actions.router import Router
from wundr_tui.actions.scale import plan_scale_deployment
from wundr_tui.actions.silence import plan_expire, plan_silence
from wundr_tui.actions.velero import plan_restore
from wundr_tui.app import WundrApp
from wundr_tui.backends.demo import EKS_CONTEXT, GKE_CONTEXT, DemoFleet
from wundr_tui.clock import FrozenClock
from wundr_tui.dialogs.confirm import ConfirmScreen
from wundr_tui.dialogs.form import FormScreen
from wundr_tui.model import Alert, Backup, BlueGreenSpec, Cluster, Kind, NodePool
from wundr_tui.store import Store

SnapCompare = Any
SIZE = (80, 24)
NS = "wundr-platform"


class DialogHost(App[None]):
    """A bare app that shows one modal over a blank screen: the snapshots show the dialog
    alone, so pane changes never churn them."""

    def __init__(self, make: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make = make

    def compose(self) -> ComposeResult:
        yield Static("")

    def on_mount(self) -> None:
        self.push_screen(self.make())


def world() -> tuple[WundrApp, DemoFleet, dict[str, Cluster]]:
    """A (not running) cockpit over the demo fleet on the frozen clock."""
    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    return WundrApp(store, operator=fleet), fleet, {c.name: c for c in fleet.clusters()}


def dialog(make: Callable[[DemoFleet, dict[str, Cluster]], Plan]) -> DialogHost:
    _, fleet, clusters = world()
    plan = make(fleet, clusters)
    return DialogHost(lambda: ConfirmScreen(plan))


def test_blue_green_typed_confirmation(snap_compare: SnapCompare) -> None:
    """Blue-green on the EKS production cluster: selector environment production-blue (red) →
    production-green (green), both colours 3/3 ready, six green ticks (selector, rollout,
    endpoints, capacity 3 for 3, RBAC, dry run), and the orange "type wundr-production" field
    with the cursor."""
    app = dialog(lambda f, c: plan_switch(Router(f), c[EKS_CONTEXT], BlueGreenSpec()))
    assert snap_compare(app, terminal_size=SIZE)


def test_blue_green_capacity_needs_the_override(snap_compare: SnapCompare) -> None:
    """Green started with 1 pod (the demo's knob) for blue's 3: red border, the selector
    change production-blue → production-green, "green (target): 1/1 ready", a red ✗ capacity
    line (33 %, 2 short) in the checks and again, bold red, right above the field, the line
    "To go ahead anyway, type override wundr-production and press Enter", the empty field and
    the keys line, all inside 80x24."""
    fleet = DemoFleet(clock=FrozenClock(DEMO_START), green_replicas=1)
    clusters = {c.name: c for c in fleet.clusters()}
    plan = plan_switch(Router(fleet), clusters[EKS_CONTEXT], BlueGreenSpec())
    assert plan.needs_override
    assert snap_compare(DialogHost(lambda: ConfirmScreen(plan)), terminal_size=SIZE)


def test_confirm_without_typing_on_staging(snap_compare: SnapCompare) -> None:
    """A non-production cluster: no name field; the keys line reads "y/Enter confirm · n/Esc
    cancel"; replicas 3 → 5 with the warning "+2 pods (cost up)"."""
    staging = Cluster("kind-staging", "other", "", "staging")
    plan = Plan(
        "scale",
        "Scale deployment web-client",
        staging,
        NS,
        (Change("replicas", "3", "5"),),
        [
            Check("no HPA manages this deployment", True),
            Check("you may patch deployments/scale here", True),
            Check("server-side dry run accepted the change", True),
        ],
        ["+2 pods (cost up)"],
        ["now 3/3 ready"],
        execute=lambda progress: "ok",
        subject=f"{NS}/web-client",
    )
    assert snap_compare(DialogHost(lambda: ConfirmScreen(plan)), terminal_size=SIZE)


def test_scale_blocked_by_hpa(snap_compare: SnapCompare) -> None:
    """A blocked plan: red border, "Cannot proceed: Scale deployment api-gateway-blue", the red
    cross "an HPA (api-gateway-hpa) manages this deployment … change the HPA bounds instead",
    and only "n/Esc close — nothing was sent"."""
    app = dialog(
        lambda f, c: plan_scale_deployment(Router(f), c[EKS_CONTEXT], NS, "api-gateway-blue", 9)
    )
    assert snap_compare(app, terminal_size=SIZE)


def test_hpa_bounds(snap_compare: SnapCompare) -> None:
    """HPA api-gateway-hpa on GKE: minReplicas 3 → 4, maxReplicas 20 → 30, the pod delta
    warning, typed confirmation."""
    app = dialog(
        lambda f, c: plan_hpa_bounds(Router(f), c[GKE_CONTEXT], NS, "api-gateway-hpa", 4, 30)
    )
    assert snap_compare(app, terminal_size=SIZE)


def test_node_pool(snap_compare: SnapCompare) -> None:
    """EKS node group compute-pool: min 3 and max 20 dim "(unchanged)", desired 3 → 20,
    "+17 nodes (cost up)" and the "at its max after this" warning."""

    def make(f: DemoFleet, c: dict[str, Cluster]) -> Plan:
        (pool,) = [
            p
            for p in f.read(EKS_CONTEXT, Kind.NODE_POOL)
            if getattr(p, "name", "") == "compute-pool"
        ]
        assert isinstance(pool, NodePool)
        return plan_node_pool(Router(f), c[EKS_CONTEXT], pool, 3, 20, 20)

    app = dialog(make)
    assert snap_compare(app, terminal_size=SIZE)


def test_velero_restore_confirmation(snap_compare: SnapCompare) -> None:
    """Restore from the newest daily backup into wundr-platform-restore: namespaces, mapping
    wundr-platform→wundr-platform-restore, existing resources none; four green ticks (phase,
    policy, RBAC, dry run)."""

    def make(f: DemoFleet, c: dict[str, Cluster]) -> Plan:
        backups = [b for b in f.read(EKS_CONTEXT, Kind.BACKUP) if isinstance(b, Backup)]
        done = sorted(
            (b for b in backups if b.phase == "Completed"), key=lambda b: -(b.started or 0)
        )
        return plan_restore(
            Router(f), c[EKS_CONTEXT], done[0], (NS,), {NS: f"{NS}-restore"}, "none"
        )

    app = dialog(make)
    assert snap_compare(app, terminal_size=SIZE)


ALERT = Alert(
    "HighErrorRate",
    "fp1",
    "critical",
    "firing",
    DEMO_START - 300,
    summary="5xx rate above 5%",
    namespace=NS,
    service="api-gateway",
)


def test_silence(snap_compare: SnapCompare) -> None:
    """Silence HighErrorRate for 2h until 02:00 UTC: matchers alertname, namespace, service;
    comment and author lines; typed confirmation (production)."""
    app = dialog(
        lambda f, c: plan_silence(
            Router(f),
            c[EKS_CONTEXT],
            ALERT,
            7200,
            "deploying the fix",
            "oncall",
            now=DEMO_START,
        )
    )
    assert snap_compare(app, terminal_size=SIZE)


def test_expire_silence(snap_compare: SnapCompare) -> None:
    """Expire: silence abc-123 → expired on the GKE cluster, one tick, typed confirmation."""
    silenced = Alert(
        "HighErrorRate",
        "fp1",
        "critical",
        "suppressed",
        DEMO_START - 300,
        namespace=NS,
        silenced_by=("abc-123",),
    )
    app = dialog(lambda f, c: plan_expire(Router(f), c[GKE_CONTEXT], silenced))
    assert snap_compare(app, terminal_size=SIZE)


def restore_form() -> FormScreen:
    app, _, _ = world()
    made = app.actions.restore_form(EKS_CONTEXT, None)
    assert made is not None
    return made[0]


def test_velero_restore_form(snap_compare: SnapCompare) -> None:
    """The restore form (key r on Backups): the backup chooser shows the newest backup with
    phase, age and error/warning counts on one line, existing-resource policy "none: keep what
    exists", namespaces prefilled with wundr-platform, an empty mapping field showing its
    example placeholder, no error line."""
    assert snap_compare(DialogHost(restore_form), terminal_size=SIZE)


def test_velero_restore_form_inline_error(snap_compare: SnapCompare) -> None:
    """The same form with "wundr-platform" typed as the mapping: the red line under the fields
    reads "mapping: write old=new, not 'wundr-platform'"."""

    async def type_bad_mapping(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press("tab", "tab", "tab", *"wundr-platform")
        await pilot.pause()

    assert snap_compare(DialogHost(restore_form), terminal_size=SIZE, run_before=type_bad_mapping)
