"""Secrets, tokens, redaction and the loopback rule."""

from __future__ import annotations

import re

import pytest

from ldkit.serve.security import (
    REDACTED,
    hash_secret,
    is_loopback,
    new_id,
    new_secret,
    new_token,
    obscure_trigger_url,
    redact_headers,
    secret_matches,
    token_matches,
)


def test_secrets_carry_128_random_bits_in_a_uuid_shape():
    secrets = {new_secret() for _ in range(200)}
    assert len(secrets) == 200
    for secret in secrets:
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", secret)
    # A UUID4 would fix 6 bits; these do not: every hex position varies.
    third_group_first_digits = {s[14] for s in secrets}
    assert len(third_group_first_digits) > 4


def test_ids_and_tokens_have_launchdarkly_shapes():
    assert re.fullmatch(r"[0-9a-f]{24}", new_id())
    assert new_token().startswith("api-")


def test_secret_comparison_needs_the_exact_secret():
    secret = new_secret()
    stored = hash_secret(secret)
    assert secret_matches(secret, stored)
    assert not secret_matches(secret.upper(), stored)
    assert not secret_matches(secret[:-1], stored)
    assert not secret_matches(secret, None)


def test_token_comparison():
    assert token_matches("t0k", "t0k")
    assert not token_matches(None, "t0k")
    assert not token_matches("Bearer t0k", "t0k")


def test_credential_headers_are_redacted_and_the_rest_kept_in_order():
    headers = [
        ("host", "127.0.0.1"),
        ("authorization", "Api-Token dt0c01.abc"),
        ("x-dynatrace-token", "t"),
        ("cookie", "s=1"),
        ("x-api-key", "k"),
        ("content-type", "application/json"),
        ("x-hub-signature-256", "sha256=..."),
    ]
    assert redact_headers(headers) == [
        ["host", "127.0.0.1"],
        ["authorization", REDACTED],
        ["x-dynatrace-token", REDACTED],
        ["cookie", REDACTED],
        ["x-api-key", REDACTED],
        ["content-type", "application/json"],
        ["x-hub-signature-256", REDACTED],
    ]


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.com", False),
    ],
)
def test_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_obscured_urls_keep_the_id_and_hide_the_secret():
    url = obscure_trigger_url("http://127.0.0.1:8765", "a" * 24)
    assert url == "http://127.0.0.1:8765/webhook/triggers/" + "a" * 24 + "/********"
