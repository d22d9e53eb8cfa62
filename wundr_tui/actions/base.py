"""What every action shares: the plan (checks → diff → execute → verify → audit), its outcome,
and the input error a form shows.

An action is built in two steps, both off the UI thread: a *plan* function reads the live state,
runs the preflight checks (permissions, target health, a server-side dry run) and returns a
``Plan`` whose ``changes`` are the exact before → after lines the dialog shows; ``run_plan``
then executes it with preconditions, verifies the result and writes the audit line. A plan
whose checks failed cannot run: ``run_plan`` records it as refused and sends nothing.
No Textual here: the dialogs show plans, this module runs them. Which backend does the work,
and whether the cluster may be changed at all, is the router's business (``router.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wundr_tui.audit import AuditLog, AuditResult
from wundr_tui.backends.base import OperationError, Permission
from wundr_tui.model import Cluster

Progress = Callable[[str], None]
"""Called (from the worker thread) with a short sentence each time a step starts."""


@dataclass(frozen=True, slots=True)
class Change:
    """One line of the diff: what changes, from what, to what."""

    what: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Check:
    """One preflight check and its answer in plain words."""

    text: str
    ok: bool
    overridable: bool = False
    """A failed check the user may pass by typing the plan's override (blue-green capacity);
    every other failed check blocks for good."""


OVERRIDE_WORD = "override"
"""What the user types (with the cluster's name on production) to pass overridable checks."""


@dataclass
class Plan:
    """A checked, not yet executed change, ready for the confirmation dialog."""

    action: str
    """Short name for the audit log: ``blue-green``, ``scale``, ``hpa-bounds``, ``node-pool``,
    ``restore``, ``silence``, ``expire-silence``."""
    title: str
    """One line for the dialog's heading: ``Switch wundr-platform-service to green``."""
    cluster: Cluster
    namespace: str
    changes: tuple[Change, ...]
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    """Extra context lines for the dialog (ready counts of both colours...)."""
    execute: Callable[[Progress], str] | None = None
    """Applies the change with preconditions, verifies it and returns what was verified.
    Raises OperationError (nothing applied) or ``Unverified`` (applied, not confirmed)."""
    revert: Callable[[], Plan] | None = None
    """Builds the plan that undoes this one (blue-green), for the one-key revert."""
    subject: str = ""
    """What the action is about (``wundr-platform/wundr-platform-service``)."""
    overridden: bool = False
    """The user typed the override (see ``needs_override``): overridable failed checks no
    longer block. Only the confirmation dialog sets it, after the exact phrase."""

    @property
    def blocked(self) -> str | None:
        """Why this plan may not run (the first failed check not overridden), or None."""
        for check in self.checks:
            if not check.ok and not (check.overridable and self.overridden):
                return check.text
        if self.execute is None:
            return "nothing to do"
        return None

    @property
    def needs_override(self) -> bool:
        """The plan could run but for overridable checks: the dialog asks for the override."""
        failed = [c for c in self.checks if not c.ok]
        return (
            bool(failed)
            and all(c.overridable for c in failed)
            and self.execute is not None
            and not self.overridden
        )

    @property
    def override_phrase(self) -> str:
        """``override``, or ``override CLUSTER`` where the cluster's name must be typed anyway."""
        name = self.typed_confirmation
        return f"{OVERRIDE_WORD} {name}" if name else OVERRIDE_WORD

    @property
    def typed_confirmation(self) -> str | None:
        """The name the user must type to confirm (production clusters), or None."""
        c = self.cluster
        if c.production or "prod" in c.name.lower() or "prod" in c.cluster_name.lower():
            return c.cluster_name or c.name
        return None

    @property
    def cloud_label(self) -> str:
        """``AWS us-east-1`` / ``GCP us-central1``."""
        cloud = {"aws": "AWS", "gcp": "GCP"}.get(self.cluster.cloud, "Kubernetes")
        return f"{cloud} {self.cluster.region}".strip()

    def before(self) -> dict[str, str]:
        """The ``before`` side of the diff, for the audit log."""
        return {c.what: c.before for c in self.changes}

    def after(self) -> dict[str, str]:
        """The ``after`` side of the diff, for the audit log; an override says what it passed."""
        after = {c.what: c.after for c in self.changes}
        if self.overridden:
            passed = [c.text for c in self.checks if not c.ok and c.overridable]
            if passed:
                after[OVERRIDE_WORD] = "; ".join(passed)
        return after


MAX_REPLICAS = 1000
"""Most replicas a deployment may be scaled to from the cockpit (a typo guard)."""


class InputError(ValueError):
    """A form field is invalid; ``str()`` says which and why (the ``parse_*`` rules raise it)."""


def parse_count(text: str, what: str, *, low: int = 0, high: int = MAX_REPLICAS) -> int:
    """A whole number between ``low`` and ``high``, or InputError in words."""
    text = text.strip()
    if not text:
        raise InputError(f"{what}: enter a number")
    try:
        value = int(text)
    except ValueError:
        raise InputError(f"{what}: {text!r} is not a whole number") from None
    if not low <= value <= high:
        raise InputError(f"{what}: must be between {low} and {high}, not {value}")
    return value


def delta_words(before: int, after: int, unit: str) -> str:
    """``+3 pods (cost up)`` / ``-2 nodes (cost down)`` / ``no change in pods``."""
    d = after - before
    if d == 0:
        return f"no change in {unit}"
    return f"{d:+d} {unit} (cost {'up' if d > 0 else 'down'})"


def permission_check(permission: Permission, allowed: str) -> Check:
    """A preflight line from a permission: ``allowed`` when it is, else the reason."""
    return Check(allowed if permission.allowed else permission.reason, permission.allowed)


class Unverified(Exception):
    """The change was applied but verification did not confirm it; ``str()`` says what."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to a plan, for the user and the tests."""

    plan: Plan
    result: AuditResult
    message: str
    """A sentence for the user."""

    @property
    def ok(self) -> bool:
        """Applied and verified."""
        return self.result == "done"


def _audit(audit: AuditLog | None, plan: Plan, result: AuditResult, error: str = "") -> str:
    """Write the line; a failure to write is reported, never hidden."""
    if audit is None:
        return ""
    try:
        audit.record(
            plan.cluster.name, plan.action, plan.before(), plan.after(), result, error=error
        )
    except OSError as exc:
        return f" (audit log not written: {exc.strerror or exc})"
    return ""


def run_plan(plan: Plan, audit: AuditLog | None, progress: Progress = lambda _: None) -> Outcome:
    """Execute a confirmed plan, verify it and write one audit line. Never raises."""
    trouble = audit.problem() if audit is not None else None
    if trouble is not None:  # an action that could not be recorded is not made
        return Outcome(plan, "refused", f"not done: {trouble}")
    why = plan.blocked
    if why is not None or plan.execute is None:
        note = _audit(audit, plan, "refused", why or "")
        return Outcome(plan, "refused", f"not done: {why}{note}")
    try:
        verified = plan.execute(progress)
    except OperationError as exc:
        note = _audit(audit, plan, "failed", str(exc))
        return Outcome(plan, "failed", f"{plan.title} failed, nothing was changed: {exc}{note}")
    except Unverified as exc:
        note = _audit(audit, plan, "unverified", str(exc))
        return Outcome(plan, "unverified", f"{plan.title}: applied but not verified: {exc}{note}")
    except Exception as exc:  # a bug or an unexpected answer: say so, never crash the UI
        note = _audit(audit, plan, "failed", f"{type(exc).__name__}: {exc}")
        return Outcome(plan, "failed", f"{plan.title} failed: {type(exc).__name__}: {exc}{note}")
    note = _audit(audit, plan, "done")
    return Outcome(plan, "done", f"{verified}{note}")


def cancel_plan(plan: Plan, audit: AuditLog | None) -> Outcome:
    """The user said no (or the plan was refused and dismissed): record it, send nothing."""
    why = plan.blocked
    if why is not None:
        note = _audit(audit, plan, "refused", why)
        return Outcome(plan, "refused", f"not done: {why}{note}")
    note = _audit(audit, plan, "cancelled")
    return Outcome(plan, "cancelled", f"cancelled: nothing was changed{note}")


def wait_until(
    check: Callable[[], str | None], timeout: float, interval: float = 0.25
) -> str | None:
    """Call ``check`` until it returns None (verified) or ``timeout``; return the last failure."""
    deadline = time.monotonic() + timeout
    while True:
        failure = check()
        if failure is None or time.monotonic() >= deadline:
            return failure
        time.sleep(interval)


def require(obj: Any, kind: type[Any], what: str) -> Any:
    """The object if it is of ``kind``, else an OperationError saying it is gone."""
    if not isinstance(obj, kind):
        raise OperationError(f"{what} not found (it may have been deleted)", status=404)
    return obj
