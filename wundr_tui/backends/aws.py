"""What the AWS backends (EKS node groups, RDS) share: sessions, client settings and errors
told as sentences. boto3 is imported only when a session is first made."""

from __future__ import annotations

from typing import Any

from wundr_tui import USER_AGENT


def aws_session(profile: str, region: str) -> Any:
    """A boto3 session for one cluster (lazy import: boto3 costs ~0.3 s)."""
    import boto3

    return boto3.session.Session(profile_name=profile or None, region_name=region or None)


def aws_client_config() -> Any:
    """Short timeouts and one SDK retry: the poll loop does the real backoff, and a poll must
    end soon enough for ``stop`` to work. ``wundr-tui/VERSION`` ends the User-Agent (CloudTrail
    shows it as ``userAgent``)."""
    from botocore.config import Config as BotoConfig

    return BotoConfig(
        connect_timeout=5,
        read_timeout=20,
        retries={"max_attempts": 2, "mode": "standard"},
        user_agent_extra=USER_AGENT,
    )


def aws_error_text(exc: BaseException, profile: str = "") -> str:
    """A sentence an on-call engineer can act on, for any boto3 / botocore failure."""
    name = type(exc).__name__
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        err = response.get("Error", {})
        code = err.get("Code", "") or name
        message = err.get("Message", "") or str(exc)
        if code in ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation"):
            return f"access denied: {message}"
        if code in ("ExpiredToken", "ExpiredTokenException", "UnrecognizedClientException"):
            hint = f" (aws sso login --profile {profile})" if profile else ""
            return f"AWS credentials rejected or expired{hint}: {message}"
        if code in ("ThrottlingException", "Throttling", "RequestLimitExceeded"):
            return "throttled by AWS"
        return f"{code}: {message}"
    if name in ("NoCredentialsError", "PartialCredentialsError"):
        return "no AWS credentials found" + (f" for profile {profile}" if profile else "")
    if name == "ProfileNotFound":
        return f"AWS profile {profile!r} not found in ~/.aws/config"
    if name in ("SSOTokenLoadError", "UnauthorizedSSOTokenError", "TokenRetrievalError"):
        return f"AWS SSO session expired: run aws sso login --profile {profile or 'default'}"
    if name in ("EndpointConnectionError", "ConnectTimeoutError", "ReadTimeoutError"):
        return f"cannot reach AWS: {exc}"
    if name == "NoRegionError":
        return "no AWS region: set it in the profile or the context name"
    return f"{name}: {exc}"


def aws_error_code(exc: BaseException) -> str:
    """The AWS error code of a botocore ClientError (empty for other failures)."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def aws_http_status(exc: BaseException) -> int | None:
    """The HTTP status AWS answered with, when there was an answer."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return int(status) if status else None
    return None
