"""LD153 (an empty headers list) is about the Content-Type of a request body: a
request that sends no body (GET, HEAD, DELETE) needs none, as the three GET
requests in LaunchDarkly's own corpus show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ldkit.load.jsonpos import load_text
from ldkit.rules.base import RuleContext
from ldkit.rules.schema_holes import EmptyHeaders

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FULL = json.loads((FIXTURES / "schema" / "full" / "manifest.json").read_text(encoding="utf-8"))


def _findings(method: str) -> list[str]:
    manifest = json.loads(json.dumps(FULL))
    endpoint = manifest["capabilities"]["featureStore"]["validationRequest"]["endpoint"]
    endpoint["method"] = method
    endpoint["headers"] = []
    document = load_text(json.dumps(manifest, indent=2), "manifest.json").document
    ctx = RuleContext(document=document, integration_dir=Path("."))
    return [f.pointer for f in EmptyHeaders().check(ctx)]


@pytest.mark.parametrize("method", ["GET", "HEAD", "DELETE", "get"])
def test_requests_without_a_body_need_no_headers(method: str) -> None:
    assert _findings(method) == []


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_requests_with_a_body_still_warn(method: str) -> None:
    assert _findings(method) == ["/capabilities/featureStore/validationRequest/endpoint/headers"]
