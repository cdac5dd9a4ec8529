"""Secrets and what must never leak: trigger URL secrets, the management token,
credential headers. One place decides how they are made, compared and hidden."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets

SECRET_BITS = 128
REDACTED = "[redacted]"

# Header names whose values are credentials whatever the sender calls them.
_CREDENTIAL_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-ld-signature"}
)
_CREDENTIAL_WORDS = ("token", "secret", "key", "auth", "signature", "password", "session")

# Compared against when the trigger id is unknown, so that an unknown id costs
# the same work as a wrong secret.
_DUMMY_HASH = hashlib.sha256(b"ldkit serve: no such trigger").digest()


def new_id() -> str:
    """A 24-hex-digit id, the shape of LaunchDarkly's `_id`s (triggers, entries)."""
    return secrets.token_hex(12)


def _uuid_shaped(raw: str) -> str:
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:32]}"


def new_secret() -> str:
    """The URL secret: 128 random bits, written in the 8-4-4-4-12 shape of
    LaunchDarkly's (a UUID would carry only 122 random bits)."""
    return _uuid_shaped(secrets.token_hex(SECRET_BITS // 8))


def new_token() -> str:
    """A management token in the shape of a LaunchDarkly API access token."""
    return "api-" + _uuid_shaped(secrets.token_hex(SECRET_BITS // 8))


def hash_secret(secret: str) -> bytes:
    """What the database keeps instead of the secret: a copy of the database
    does not give away working trigger URLs."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).digest()


def secret_matches(given: str, stored_hash: bytes | None) -> bool:
    """Constant-time comparison; `stored_hash` None (unknown trigger) still
    does the same work and answers False."""
    expected = _DUMMY_HASH if stored_hash is None else stored_hash
    same = hmac.compare_digest(hash_secret(given), expected)
    return same and stored_hash is not None


def token_matches(given: str | None, token: str) -> bool:
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), token.encode("utf-8"))


def is_credential_header(name: str) -> bool:
    lowered = name.lower()
    return lowered in _CREDENTIAL_HEADERS or any(word in lowered for word in _CREDENTIAL_WORDS)


def redact_headers(headers: list[tuple[str, str]]) -> list[list[str]]:
    """Request headers as [name, value] pairs in arrival order, credential
    values replaced, so a partner sees what their sender sends."""
    return [[name, REDACTED if is_credential_header(name) else value] for name, value in headers]


def is_loopback(host: str) -> bool:
    """True for `localhost` and loopback addresses; anything else is reachable
    from other machines and needs a token chosen by the user."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def obscure_trigger_url(url_base: str, trigger_id: str) -> str:
    """The URL as list and get show it: the id, never the secret."""
    return f"{url_base}/webhook/triggers/{trigger_id}/" + "*" * 8
