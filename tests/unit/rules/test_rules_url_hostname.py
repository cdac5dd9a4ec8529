"""The url-parse emulation behind LD209: upstream's templated-host check runs on
the hostname the JavaScript `url-parse` package returns, so ours must agree."""

from __future__ import annotations

import pytest

from ldkit.rules.audit_log_endpoint import url_hostname


@pytest.mark.parametrize(
    "url, hostname",
    [
        ("https://api.example.com/v1/events", "api.example.com"),
        ("https://{{sub}}.signalfx.com/v2/event", "{{sub}}.signalfx.com"),
        ("HTTPS://{{Region}}.Example.com:8443/x?y=1#z", "{{region}}.example.com"),
        ("https://user:{{password}}@api.example.com/x", "api.example.com"),
        ("{{url}}/api/v1/events", ""),
        ("{{ endpointUrl }}/api", ""),
        ("//{{host}}/api", ""),
        ("mailto:{{address}}", ""),
        ("https://{{host}}:{{port}}/x", "{{host}}:{{port}}"),
        ("  https://{{host}}/x", "{{host}}"),
    ],
)
def test_hostname_follows_url_parse(url, hostname):
    assert url_hostname(url) == hostname
