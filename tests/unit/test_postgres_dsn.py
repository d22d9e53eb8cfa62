"""Passwords never leave a DSN: redaction, short names and error texts."""

from __future__ import annotations

from wundr_tui.backends.postgres import describe_dsn, pg_error_text, redact


def test_redact_key_value_and_uri_forms() -> None:
    assert redact("host=db password=s3cret user=x") == "host=db password=*** user=x"
    assert redact("host=db password='a b c' user=x") == "host=db password=*** user=x"
    assert redact("PASSWORD = s3cret") == "PASSWORD = ***"
    assert redact("postgresql://app:s3cret@db:5432/orders") == "postgresql://app:***@db:5432/orders"
    assert redact("postgres://db/orders?password=s3cret") == "postgres://db/orders?password=***"
    assert redact("host=db user=x") == "host=db user=x"


def test_describe_dsn_names_without_secrets() -> None:
    assert describe_dsn("host=10.0.0.5 port=5433 dbname=orders password=s3cret") == (
        "10.0.0.5:5433/orders"
    )
    assert describe_dsn("service=orders-primary") == "service=orders-primary"
    assert describe_dsn("postgresql://app:s3cret@db.internal:5432/orders") == (
        "db.internal:5432/orders"
    )
    assert "s3cret" not in describe_dsn("postgresql://app:s3cret@db")


def test_error_text_never_echoes_the_dsn_password() -> None:
    dsn = "host=db user=app password=s3cret"

    class OperationalError(Exception):
        pass

    text = pg_error_text(OperationalError(f'invalid connection option in "{dsn}"'), dsn)
    assert "s3cret" not in text and "db" in text

    class InsufficientPrivilege(Exception):
        pass

    text = pg_error_text(InsufficientPrivilege("permission denied for pg_stat_replication"))
    assert text.startswith("permission denied (grant pg_monitor")


def test_parse_lsn() -> None:
    from wundr_tui.backends.postgres import parse_lsn

    assert parse_lsn("0/3000060") == 0x3000060
    assert parse_lsn("16/B374D848") == (0x16 << 32) | 0xB374D848
    assert parse_lsn(None) is None and parse_lsn("junk") is None and parse_lsn("x/y") is None
