"""The one registry of the Kubernetes resources wundr-tui touches.

Where each lives on the apiserver (group, version, plural, namespaced), which model kind it
becomes and how (the parser), and whether a KubeSource watches it. The watchers, the operator's
access reviews and the reader all look kinds up here, so a new kind is one line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from wundr_tui.backends.kube import events, parse
from wundr_tui.backends.kube.parse import Obj
from wundr_tui.model import Kind, Resource

Parser = Callable[[Obj], Resource]
"""Raw JSON of one object → its model object."""


class BadPathSegment(ValueError):
    """A name that cannot be one segment of a request path; ``str()`` says which."""


def segment(value: str, what: str = "name") -> str:
    """``value`` as exactly one path segment: every ``/``, ``?``, ``#``, ``%`` quoted.

    Names reach paths from the config, the cluster and the user; quoting keeps each one inside
    its segment (``../../api/v1/secrets`` stays a namespace, it never climbs the path). ``.``,
    ``..`` and the empty string are refused: clients and servers collapse them as dot segments.
    """
    if value in ("", ".", ".."):
        raise BadPathSegment(f"{what} {value!r} cannot be part of a request path")
    try:
        return quote(value, safe="")
    except UnicodeEncodeError:  # lone surrogates: not text any server could be sent
        raise BadPathSegment(f"{what} {value!a} is not valid text") from None


@dataclass(frozen=True, slots=True)
class KindSpec:
    """Where one resource lives on the apiserver and how its JSON becomes a model object."""

    plural: str
    """Resource name in the URL, in access reviews and in health sources: ``kube/pods``."""
    group: str
    """API group; ``""`` for the core group."""
    version: str
    """API version within the group."""
    namespaced: bool
    """Objects live in namespaces (else cluster-wide)."""
    kind: Kind | None = None
    """The model kind it becomes, when the panes show it."""
    reduce: Parser | None = None
    """JSON → model object, for kinds the panes show."""
    watched: bool = False
    """A KubeSource lists and watches it."""
    velero: bool = False
    """A Velero custom resource (absent when Velero is not installed)."""
    field_selector: str = ""
    """Sent with its lists and watches (``type=Warning``): the server filters."""
    identity: Callable[[Resource], str] | None = None
    """The object's own key on the apiserver, when the model's key is another (events: the
    model keys by object and reason, a watch's DELETED names the event)."""
    forbidden: str = ""
    """The badge when RBAC refuses it, instead of the generic "forbidden: cannot list ..."."""

    @property
    def prefix(self) -> str:
        """``/api/v1`` or ``/apis/GROUP/VERSION``."""
        return f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"

    @property
    def model_kind(self) -> Kind:
        """The model kind; only registered kinds the panes show have one."""
        if self.kind is None:
            raise LookupError(f"{self.plural} is not shown in any pane")
        return self.kind

    @property
    def parser(self) -> Parser:
        """The parser; only registered kinds the panes show have one."""
        if self.reduce is None:
            raise LookupError(f"{self.plural} has no parser")
        return self.reduce

    def path(self, namespace: str = "") -> str:
        """The collection URL, cluster-wide (no namespace) or in one namespace."""
        plural = segment(self.plural, "resource")
        if namespace and self.namespaced:
            return f"{self.prefix}/namespaces/{segment(namespace, 'namespace')}/{plural}"
        return f"{self.prefix}/{plural}"

    def object_path(self, namespace: str, name: str = "", subresource: str = "") -> str:
        """The URL of one object (or of the collection in one namespace when ``name`` is
        blank); a namespaced kind needs its namespace. Every segment is quoted."""
        path = f"{self.prefix}/{segment(self.plural, 'resource')}"
        if self.namespaced:
            ns = segment(namespace, "namespace")
            path = f"{self.prefix}/namespaces/{ns}/{segment(self.plural, 'resource')}"
        if name or subresource:
            path += "/" + segment(name)  # a subresource needs its object: a blank is refused
        if subresource:
            path += "/" + segment(subresource, "subresource")
        return path


KINDS: tuple[KindSpec, ...] = (
    KindSpec("pods", "", "v1", True, Kind.POD, parse.pod, watched=True),
    KindSpec("deployments", "apps", "v1", True, Kind.DEPLOYMENT, parse.deployment, watched=True),
    KindSpec("services", "", "v1", True, Kind.SERVICE, parse.service, watched=True),
    KindSpec(
        "horizontalpodautoscalers", "autoscaling", "v2", True, Kind.HPA, parse.hpa, watched=True
    ),
    KindSpec("nodes", "", "v1", False, Kind.NODE, parse.node, watched=True),
    KindSpec(
        "schedules", "velero.io", "v1", True, Kind.SCHEDULE, parse.schedule, True, velero=True
    ),
    KindSpec("backups", "velero.io", "v1", True, Kind.BACKUP, parse.backup, True, velero=True),
    KindSpec("restores", "velero.io", "v1", True, Kind.RESTORE, parse.restore, True, velero=True),
    KindSpec(
        "events",
        "events.k8s.io",
        "v1",
        True,
        Kind.EVENT,
        events.event,
        watched=True,
        field_selector=events.FIELD_SELECTOR,
        identity=events.wire_key,
        forbidden=events.FORBIDDEN,
    ),
    # Not shown as panes, but named in access reviews and read by actions.
    KindSpec("namespaces", "", "v1", False),
    KindSpec("endpoints", "", "v1", True),
    KindSpec("endpointslices", "discovery.k8s.io", "v1", True),
    KindSpec("replicasets", "apps", "v1", True),
    KindSpec("statefulsets", "apps", "v1", True),
)
"""Every resource wundr-tui reads, watches or changes."""

WATCHED: tuple[KindSpec, ...] = tuple(s for s in KINDS if s.watched)
"""The kinds a KubeSource lists and watches, in the order its threads start."""

_BY_KIND: dict[Kind, KindSpec] = {s.kind: s for s in KINDS if s.kind is not None}
_BY_PLURAL: dict[str, KindSpec] = {s.plural: s for s in KINDS}


def resource(plural: str) -> KindSpec:
    """The registry entry of a resource the backend itself names (a missing one is a bug)."""
    return _BY_PLURAL[plural]


def spec_for(kind: Kind) -> KindSpec | None:
    """The registry entry of a model kind; None for kinds that are not Kubernetes objects."""
    return _BY_KIND.get(kind)


def by_plural(plural: str) -> KindSpec | None:
    """The registry entry of a resource by its plural (``deployments``)."""
    return _BY_PLURAL.get(plural)


def group_of(plural: str) -> str:
    """The API group of a resource by its plural; ``""`` (core) for resources not listed."""
    spec = _BY_PLURAL.get(plural)
    return spec.group if spec is not None else ""
