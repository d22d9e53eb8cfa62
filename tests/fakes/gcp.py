"""A local REST fake of the three Google APIs the cloud backends call.

- GKE (container v1): list / get node pools, ``:setAutoscaling``, ``:setSize``, operations.
- Cloud SQL Admin (sqladmin v1): list / get instances.
- Cloud Monitoring (v3): ``timeSeries`` list (every stored series; filters are not parsed).

The real google-cloud clients talk to it with ``transport="rest"``,
``client_options={"api_endpoint": fake.url}`` and ``AnonymousCredentials``. Query strings
(``$alt=json;enum-encoding=int``, filters) are stripped before routing. Mutations answer
with a RUNNING operation that turns DONE on the next read, so callers must follow it.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_POOL = re.compile(
    r"^/v1/(projects/[^/]+/locations/[^/]+/clusters/[^/]+)/nodePools(?:/([^/:]+))?(?::(\w+))?$"
)
_OP = re.compile(r"^/v1/projects/[^/]+/locations/[^/]+/operations/([^/]+)$")
_SQL = re.compile(r"^/v1/projects/([^/]+)/instances(?:/([^/]+))?$")
_TS = re.compile(r"^/v3/projects/([^/]+)/timeSeries$")


class FakeGcp:
    """In-memory state plus a threaded HTTP server on 127.0.0.1 (port 0)."""

    def __init__(self) -> None:
        self.node_pools: dict[str, dict[str, dict[str, Any]]] = {}
        """cluster parent path → pool name → NodePool JSON."""
        self.operations: dict[str, dict[str, Any]] = {}
        """operation name → Operation JSON."""
        self.sql_instances: dict[str, dict[str, dict[str, Any]]] = {}
        """project → instance name → DatabaseInstance JSON."""
        self.time_series: dict[str, list[dict[str, Any]]] = {}
        """project → TimeSeries JSON list."""
        self.requests: list[tuple[str, str]] = []
        """(method, path) of every request, for assertions."""
        self.user_agents: list[str] = []
        """The User-Agent header of every request, in the same order."""
        self.api_clients: list[str] = []
        """The x-goog-api-client header of every request (Google's client metrics)."""
        self.fail_with: int | None = None
        """When set, every request answers this HTTP status (to test error paths)."""
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- seeding ---------------------------------------------------------------------------

    def add_node_pool(self, parent: str, pool: dict[str, Any]) -> None:
        """Store a node pool under ``projects/P/locations/L/clusters/C``."""
        self.node_pools.setdefault(parent, {})[pool["name"]] = pool

    def add_sql_instance(self, project: str, instance: dict[str, Any]) -> None:
        """Store a Cloud SQL instance."""
        self.sql_instances.setdefault(project, {})[instance["name"]] = instance

    def set_replica_lag(self, project: str, database_id: str, seconds: float, end: str) -> None:
        """Replace the replica_lag series of one ``project:instance`` with one point."""
        series = [
            s
            for s in self.time_series.get(project, [])
            if s["resource"]["labels"].get("database_id") != database_id
        ]
        series.append(
            {
                "metric": {"type": "cloudsql.googleapis.com/database/replication/replica_lag"},
                "resource": {
                    "type": "cloudsql_database",
                    "labels": {"database_id": database_id, "project_id": project},
                },
                "metricKind": "GAUGE",
                "valueType": "DOUBLE",
                "points": [{"interval": {"endTime": end}, "value": {"doubleValue": seconds}}],
            }
        )
        self.time_series[project] = series

    # -- server ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        assert self._server is not None, "start() first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeGcp:
        """Serve on a free loopback port in a daemon thread."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake._handle(self, "GET")

            def do_POST(self) -> None:
                fake._handle(self, "POST")

            def do_PUT(self) -> None:
                fake._handle(self, "PUT")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down and wait for its thread."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)

    # -- routing ---------------------------------------------------------------------------

    def _handle(self, req: BaseHTTPRequestHandler, method: str) -> None:
        path = req.path.split("?", 1)[0]
        length = int(req.headers.get("Content-Length") or 0)
        body = json.loads(req.rfile.read(length) or b"{}") if length else {}
        with self._lock:
            self.requests.append((method, path))
            self.user_agents.append(req.headers.get("User-Agent") or "")
            self.api_clients.append(req.headers.get("x-goog-api-client") or "")
            if self.fail_with is not None:
                status, answer = self.fail_with, _error(self.fail_with, "injected failure")
            else:
                status, answer = self._route(method, path, body)
        data = json.dumps(answer).encode()
        req.send_response(status)
        req.send_header("Content-Type", "application/json")
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        req.wfile.write(data)

    def _route(self, method: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        routes: list[tuple[re.Pattern[str], Callable[..., tuple[int, Any]]]] = [
            (_POOL, self._pools),
            (_OP, self._operation),
            (_SQL, self._sql),
            (_TS, self._series),
        ]
        for pattern, handler in routes:
            match = pattern.match(path)
            if match:
                return handler(method, body, *match.groups())
        return 404, _error(404, f"no route for {method} {path}")

    def _pools(
        self, method: str, body: dict[str, Any], parent: str, pool: str | None, verb: str | None
    ) -> tuple[int, Any]:
        pools = self.node_pools.get(parent)
        if pools is None:
            return 404, _error(404, f"cluster {parent} not found")
        if pool is None:
            return 200, {"nodePools": list(pools.values())}
        if pool not in pools:
            return 404, _error(404, f"node pool {pool} not found")
        current = pools[pool]
        if method == "GET" and verb is None:
            return 200, current
        if method == "POST" and verb == "setAutoscaling":
            current["autoscaling"] = body.get("autoscaling", {})
            return 200, self._new_op("SET_NODE_POOL_AUTOSCALING", parent, pool)
        if method == "POST" and verb == "setSize":
            current["initialNodeCount"] = int(body.get("nodeCount", 0))
            return 200, self._new_op("SET_NODE_POOL_SIZE", parent, pool)
        return 400, _error(400, f"unsupported {method} {verb}")

    def _new_op(self, kind: str, parent: str, pool: str) -> dict[str, Any]:
        op = {
            "name": f"operation-{next(self._ids)}",
            "operationType": kind,
            "status": "RUNNING",
            "targetLink": f"{parent}/nodePools/{pool}",
        }
        self.operations[op["name"]] = dict(op, status="DONE")
        return op

    def _operation(self, method: str, body: dict[str, Any], name: str) -> tuple[int, Any]:
        op = self.operations.get(name)
        if op is None:
            return 404, _error(404, f"operation {name} not found")
        return 200, op

    def _sql(
        self, method: str, body: dict[str, Any], project: str, name: str | None
    ) -> tuple[int, Any]:
        instances = self.sql_instances.get(project, {})
        if name is None:
            return 200, {"kind": "sql#instancesList", "items": list(instances.values())}
        if name not in instances:
            return 404, _error(404, f"instance {name} not found")
        return 200, instances[name]

    def _series(self, method: str, body: dict[str, Any], project: str) -> tuple[int, Any]:
        return 200, {"timeSeries": self.time_series.get(project, [])}


def _error(code: int, message: str) -> dict[str, Any]:
    statuses = {
        400: "INVALID_ARGUMENT",
        403: "PERMISSION_DENIED",
        404: "NOT_FOUND",
        429: "RESOURCE_EXHAUSTED",
        500: "INTERNAL",
        503: "UNAVAILABLE",
    }
    return {"error": {"code": code, "message": message, "status": statuses.get(code, "UNKNOWN")}}
