"""The composition root: demo | replay | live → sources, router, clock, audit log; and the
cockpit's run (store, pump, recorder, app).

``cli.py`` parses arguments and hands over here; ``snapshot`` takes its sources from here too.
This is the one module that knows every backend: nothing below it picks one. Heavy imports
(Textual, the cloud SDKs) happen inside the functions that need them, so ``--help`` and
``--version`` stay instant. Bad input raises ``SetupError``: one line for the user, exit 2.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wundr_tui.actions import capabilities as can
    from wundr_tui.actions.router import Router
    from wundr_tui.audit import AuditLog, AuditMode
    from wundr_tui.backends.alertmanager import AlertmanagerClient, AlertmanagerSilences
    from wundr_tui.backends.base import Inspector, LogStreamer, Source
    from wundr_tui.backends.cloud import CloudNodePoolOperator
    from wundr_tui.backends.demo import DemoFleet
    from wundr_tui.backends.demo.logs import DemoLogs
    from wundr_tui.backends.kube import KubeOperator, KubeReader
    from wundr_tui.backends.kube.logs import KubeLogs
    from wundr_tui.clock import Clock
    from wundr_tui.config import Config


class SetupError(Exception):
    """The cockpit cannot be assembled from this input: ``str()`` is one line for the user."""


def _audit(mode: AuditMode) -> AuditLog:
    from wundr_tui.audit import AuditLog

    # Simulated actions get their own file and a mark: never read as production changes.
    return AuditLog(mode=mode)


def _live_audit() -> AuditLog:
    return _audit("live")


@dataclass
class Wired:
    """Everything a run needs besides the config: what feeds the store, what acts, on which
    clock, and where actions are recorded."""

    sources: list[Source]
    """Started by the app (or by snapshot), each in its own thread."""
    router: Router | None = None
    """Where actions go (None: this run cannot act, e.g. a replay)."""
    clock: Clock | None = None
    """The store's clock (a replay's recorded one; None: the system's)."""
    replay: Any = None
    """The replay source, for the pause and speed keys."""
    audit: AuditLog = field(default_factory=_live_audit)
    """Where every action attempt is written."""
    logs: LogStreamer | None = None
    """Where the log view reads container logs (None: this run has none, e.g. a replay)."""
    inspector: Inspector | None = None
    """Reads whole objects for the detail and YAML views (None: the views show the store's
    facts only)."""
    demo: bool = False
    """The built-in demo fleet (the mode badge says DEMO)."""


def demo(config: Config, seed: int = 7, at: int | None = None) -> Wired:
    """The built-in simulated fleet: its source, and the fleet itself as reader and operator;
    with ``at``, its story starts that many seconds in (and runs on from there)."""
    from wundr_tui.actions.router import Router
    from wundr_tui.backends.demo import CYCLE, DemoFleet, DemoSource
    from wundr_tui.backends.demo.logs import DemoLogs
    from wundr_tui.clock import RewoundClock

    if at is not None and not 0 <= at < CYCLE:
        raise SetupError(
            f"--at must be between 0 and {CYCLE - 1} seconds (the demo's story repeats every "
            f"{CYCLE} s), not {at}"
        )
    fleet = DemoFleet(seed=seed, clock=RewoundClock(float(at)) if at else None)
    return Wired(
        [DemoSource(fleet)],
        Router(fleet, read_only=config.read_only),
        audit=_audit("demo"),
        logs=DemoLogs(fleet),
        inspector=fleet,
        demo=True,
    )


def demo_moment(seed: int, at: int, *, start: float | None = None) -> Wired:
    """The demo fleet ``at`` seconds into its story, for one snapshot: its clock stays there.
    It starts ``at`` seconds before now (or at ``start``), so the moment is now."""
    import time

    from wundr_tui.backends.demo import CYCLE, DemoFleet, DemoMoment
    from wundr_tui.clock import FrozenClock

    if not 0 <= at < CYCLE:
        raise SetupError(
            f"--at must be between 0 and {CYCLE - 1} seconds (the demo's story repeats every "
            f"{CYCLE} s), not {at}"
        )
    clock = FrozenClock(time.time() - at if start is None else start)
    source = DemoMoment(DemoFleet(seed=seed, clock=clock), clock, at)
    return Wired([source], None, clock=clock, audit=_audit("demo"), demo=True)


def replay(path: str, speed: float) -> Wired:
    """A ``--record`` file played back on its recorded clock; no actions."""
    from wundr_tui.backends.replay import RecordingInspector, ReplaySource
    from wundr_tui.recording import RecordingError

    if not 0.25 <= speed <= 64:
        raise SetupError("--speed must be between 0.25 and 64")
    try:
        source = ReplaySource(path, speed=speed)
    except RecordingError as exc:
        raise SetupError(str(exc)) from None
    return Wired(
        [source],
        None,
        clock=source.recording_clock,
        replay=source,
        audit=_audit("replay"),
        inspector=RecordingInspector(),
    )


def live_sources(config: Config, contexts: Sequence[str]) -> tuple[list[Source], list[Any]]:
    """Sources for real clusters, clouds, databases and alerts, and the clusters found."""
    try:
        from wundr_tui.backends import kube
    except ImportError:  # pragma: no cover - the kube backend is always shipped
        raise SetupError("live clusters are not supported in this build; try --demo") from None
    try:
        clusters = kube.discover_clusters(config, contexts)
    except kube.KubeconfigError as exc:
        raise SetupError(str(exc)) from None
    if not clusters:
        raise SetupError(
            "no EKS or GKE contexts found in kubeconfig; name one with --context, "
            "list clusters in the config, or try --demo"
        )
    sources: list[Source] = list(kube.kube_sources(config, clusters))
    try:
        from wundr_tui.backends.cloud import cloud_sources
    except ImportError:
        pass
    else:
        sources.extend(cloud_sources(config, clusters))
    return sources, clusters


def live_router(
    kube: Any,
    node_pools: Any,
    silence_clients: Mapping[str, AlertmanagerClient],
    read_only: bool,
) -> Router:
    """Real clusters: the cloud node-pool operator, one Alertmanager client per cluster, the
    kube operator and its fresh reads. Node pools come before the kube operator, whose
    ``scale_node_pool`` only says that pools belong to the cloud."""
    from wundr_tui.actions.router import Router
    from wundr_tui.backends.alertmanager import AlertmanagerSilences
    from wundr_tui.backends.kube.reader import KubeReader

    return Router(
        node_pools,
        AlertmanagerSilences(silence_clients),
        kube,
        KubeReader(kube) if kube is not None else None,
        read_only=read_only,
    )


def live(config: Config, contexts: Sequence[str]) -> Wired:
    """Every configured (or discovered) context, its clouds, databases and alerts."""
    from wundr_tui.backends.cloud import CloudNodePoolOperator, alertmanager_clients
    from wundr_tui.backends.kube import KubeOperator, KubeReader
    from wundr_tui.backends.kube.logs import KubeLogs

    sources, clusters = live_sources(config, contexts)
    kube = KubeOperator(config, clusters, exec_timeout=config.kubernetes.exec_timeout)
    # Always a router, even read-only: it refuses before any request, and the panes can then
    # show the action keys disabled with the reason instead of hiding them.
    router = live_router(
        kube,
        CloudNodePoolOperator(sources),
        alertmanager_clients(config),
        read_only=config.read_only,
    )
    # Logs and whole objects are reads: the same clients (credentials, TLS), whatever
    # read_only says.
    return Wired(
        sources,
        router,
        logs=KubeLogs(kube, {c.name: c for c in clusters}),
        inspector=KubeReader(kube),
    )


def run(config: Config, wired: Wired, *, record: str | None = None) -> int:
    """The cockpit in this terminal until the user quits; its exit status."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Without a terminal Textual has nothing to draw on and would spin on a closed stdin.
        raise SetupError("needs a terminal; for a one-off view without one use: wundr-tui snapshot")
    from wundr_tui.app import WundrApp
    from wundr_tui.pump import EventPump
    from wundr_tui.store import Store

    store = Store(
        wired.clock,
        lag_threshold=config.lag_threshold,
        stale_after=config.stale_after,
        blue_green=config.blue_green,
        max_events=config.kubernetes.max_events,
        error_threshold=config.golden_signals.error_threshold,
        latency_threshold=config.golden_signals.latency_threshold,
    )
    pump = EventPump()
    recorder = None
    if record:
        from wundr_tui.recording import Recorder
        from wundr_tui.safe_text import safe

        try:
            recorder = Recorder(record)
        except OSError as exc:
            raise SetupError(safe(f"cannot write {record}: {exc.strerror}")) from None
        if recorder.error is not None:  # even the header did not fit (disk full)
            raise SetupError(recorder.error)
        pump.taps.append(recorder)
    log_to_file()
    app = WundrApp(
        store,
        wired.sources,
        config=config,
        operator=wired.router,
        pump=pump,
        replay=wired.replay,
        read_only=config.read_only,
        audit=wired.audit,
        logs=wired.logs,
        inspector=wired.inspector,
        demo=wired.demo,
    )
    if recorder is not None:
        # Taps run in the frame timer, on the UI thread: the app can be told directly.
        recorder.on_error = lambda message: app.notify(
            message, title="Recording stopped", severity="error", timeout=3600, markup=False
        )
    try:
        app.run()
    finally:
        if recorder is not None:
            recorder.close()
    if recorder is not None and recorder.error is not None:
        # The recording is incomplete: say so after the screen is given back, and fail.
        print(f"wundr-tui: {recorder.error}", file=sys.stderr)
        return app.return_code or 1
    return app.return_code or 0


def log_to_file() -> str:
    """Send Python logging to ``$XDG_STATE_HOME/wundr-tui/wundr-tui.log``.

    Libraries (the kubernetes client, urllib3, botocore) log warnings to stderr by default, and
    stderr is where Textual draws: one line from them would tear the screen.
    """
    import logging
    import os
    from pathlib import Path

    from wundr_tui.paths import log_file

    path = log_file()
    handler: logging.Handler
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
        path = Path(os.devnull)
    from wundr_tui.safe_text import SafeLogFormatter

    # What libraries log quotes servers and plugins: no raw control character in the file.
    handler.setFormatter(SafeLogFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
    logging.captureWarnings(True)
    return str(path)


def _capabilities(
    fleet: DemoFleet,
    kube: KubeOperator,
    reader: KubeReader,
    pools: CloudNodePoolOperator,
    silences: AlertmanagerSilences,
    demo_logs: DemoLogs,
    kube_logs: KubeLogs,
) -> tuple[object, ...]:
    """Never called: mypy checks here that each backend keeps up with the capabilities the
    router finds it by (a renamed argument would otherwise only show as "not configured")."""
    demo: tuple[
        can.Reader,
        can.EndpointReader,
        can.AccessReviewer,
        can.Scalable,
        can.SelectorPatcher,
        can.HpaBoundsPatcher,
        can.NodePoolScaler,
        can.Restorer,
        can.Silencer,
    ] = (fleet, fleet, fleet, fleet, fleet, fleet, fleet, fleet, fleet)
    live: tuple[
        can.AccessReviewer,
        can.Scalable,
        can.SelectorPatcher,
        can.HpaBoundsPatcher,
        can.Restorer,
        can.Reader,
        can.EndpointReader,
        can.NodePoolScaler,
        can.Silencer,
    ] = (kube, kube, kube, kube, kube, reader, reader, pools, silences)
    logs: tuple[LogStreamer, LogStreamer] = (demo_logs, kube_logs)
    inspectors: tuple[Inspector, Inspector] = (fleet, reader)
    return demo + live + logs + inspectors
