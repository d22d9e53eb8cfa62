"""What the GCP backends (GKE node pools, Cloud SQL) share: the REST error type and errors told
as sentences."""

from __future__ import annotations

from wundr_tui.backends.base import OperationError


class GcpApiError(Exception):
    """A REST call answered with an error; ``str()`` is the API's own message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.code = status
        """HTTP status."""
        self.message = message
        """The API's error message."""


def gcp_error_text(exc: BaseException) -> str:
    """A sentence an on-call engineer can act on, for any google-cloud / google-auth failure."""
    name = type(exc).__name__
    if isinstance(exc, OperationError):
        return str(exc)
    if name == "DefaultCredentialsError":
        return "no Application Default Credentials: run gcloud auth application-default login"
    if name == "RefreshError":
        return f"GCP credentials could not be refreshed (re-run gcloud auth): {exc}"
    code = getattr(exc, "code", None)
    message = getattr(exc, "message", None)
    if message is not None and code is not None:
        # api_core exceptions and the REST calls' errors both carry the HTTP status.
        status = int(code) if isinstance(code, int) else 0
        if status == 401:
            return f"GCP credentials rejected: {message}"
        if status == 403:
            return f"permission denied: {message}"
        if status == 404:
            return message if "not found" in message.lower() else f"not found: {message}"
        if status == 429:
            return "GCP quota exceeded (rate limited)"
        return f"HTTP {status}: {message}" if status else f"{name}: {message}"
    if name in ("ConnectionError", "ConnectTimeout", "ReadTimeout", "TransportError"):
        return f"cannot reach the GCP API: {exc}"
    return f"{name}: {exc}"
