"""A loopback HTTP server that records each request's headers and answers canned JSON: what
a client sends on the wire (its User-Agent), for APIs whose fakes do not keep headers."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True, slots=True)
class Seen:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]


class Recorder:
    """``answers`` maps a path prefix to the JSON body sent (200) for requests under it;
    anything else gets 404 ``{}``. ``with Recorder(...) as r`` starts and stops it."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        """Path prefix → JSON body."""
        self.seen: list[Seen] = []
        """Every request, in order."""
        self._lock = threading.Lock()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                path = self.path.split("?", 1)[0]
                with recorder._lock:
                    recorder.seen.append(Seen(self.command, path, dict(self.headers.items())))
                match = [p for p in recorder.answers if path.startswith(p)]
                status = 200 if match else 404
                body = json.dumps(recorder.answers[max(match, key=len)] if match else {})
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def user_agents(self) -> list[str]:
        """The User-Agent of every request so far."""
        with self._lock:
            return [s.headers.get("User-Agent", "") for s in self.seen]

    def __enter__(self) -> Recorder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
