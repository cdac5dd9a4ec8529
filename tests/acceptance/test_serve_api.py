"""`ldkit serve` end to end: a real server process, a real HTTP client, the
management API in LaunchDarkly's shapes, and webhook calls that go through the
trigger core and change flags, counts, recent bodies and the change history."""

from __future__ import annotations

import json
import re
import socket
import time

import pytest

pytest.importorskip("starlette", reason="ldkit serve needs the serve extra")
pytest.importorskip("uvicorn", reason="ldkit serve needs the serve extra")

from _serve_harness import make_root, request, start  # noqa: E402

SPEC = "integration=dynatrace,flag=checkout,environment=production,action=turnFlagOff"
TRIGGERS = "/api/v2/flags/default/search/triggers/staging"
SECRET = re.compile(r"/webhook/triggers/([0-9a-f]{24})/([0-9a-f-]{36})$")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    root = make_root(tmp)
    running = start(root, tmp / "state.db", "--trigger", SPEC)
    running.root = root
    yield running
    assert running.stop() == 0


def create(server, integration="generic-trigger", action="turnFlagOn", path=TRIGGERS) -> dict:
    answer = server.api(
        "POST", path, {"integrationKey": integration, "instructions": [{"kind": action}]}
    )
    assert answer.status == 201, answer.body
    return answer.json()


def test_ready_page_answers_200_with_a_strict_content_security_policy(server):
    answer = request(server.base + "/")
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_the_trigger_option_prints_a_full_url_with_128_random_bits(server):
    [printed] = server.triggers
    match = SECRET.search(printed["triggerURL"])
    assert match, printed["triggerURL"]
    assert printed["triggerURL"].startswith(server.base + "/webhook/triggers/")
    assert len(match.group(2).replace("-", "")) * 4 == 128
    assert printed["flagKey"] == "checkout" and printed["flagOn"] is True
    assert printed["instructions"] == [{"kind": "turnFlagOff"}]


def test_a_dynatrace_problem_turns_the_flag_off_and_is_recorded(server):
    url = server.triggers[0]["triggerURL"]
    flag = server.api("GET", "/api/v2/flags/default/checkout").json()
    assert flag["environments"]["production"]["on"] is True

    body = {"title": "Memory resources exhausted", "url": "https://abc.live.dynatrace.com/#p"}
    answer = request(url, "POST", body, {"Content-Type": "application/json", "X-Api-Key": "k1"})
    assert answer.status == 200
    result = answer.json()
    assert result["outcome"] == "applied"
    assert result["flagOn"] is False
    assert result["entry"]["title"] == (
        "Dynatrace trigger turned off the flag checkout in production"
    )
    assert result["entry"]["description"] == (
        "[Memory resources exhausted](https://abc.live.dynatrace.com/#p)"
    )

    flag = server.api("GET", "/api/v2/flags/default/checkout").json()
    assert flag["environments"]["production"]["on"] is False
    history = server.api("GET", "/api/v2/auditlog").json()["items"]
    newest = history[0]
    assert newest["_id"] == result["entry"]["_id"]
    assert newest["title"] == result["entry"]["title"]
    assert newest["accesses"] == [
        {"action": "updateOn", "resource": "proj/default:env/production:flag/checkout"}
    ]
    detailed = server.api("GET", f"/api/v2/auditlog/{newest['_id']}").json()
    assert detailed["triggerBody"] == body

    trigger_id = server.triggers[0]["_id"]
    rep = server.api(
        "GET", f"/api/v2/flags/default/checkout/triggers/production/{trigger_id}"
    ).json()
    assert rep["_triggerCount"] >= 1
    recent = rep["_recentTriggerBodies"][0]
    assert recent["jsonBody"] == body
    assert recent["timestamp"] == rep["_lastTriggeredAt"]
    headers = dict(recent["headers"])
    assert headers["x-api-key"] == "[redacted]"
    assert headers["content-type"] == "application/json"


def test_a_dynatrace_test_notification_counts_but_changes_nothing(server):
    url = server.triggers[0]["triggerURL"]
    before = server.api("GET", "/api/v2/flags/default/checkout").json()
    entries_before = len(server.api("GET", "/api/v2/auditlog?limit=20").json()["items"])
    answer = request(url, "POST", {"title": "Dynatrace problem notification test run"})
    assert answer.json()["outcome"] == "test-event"
    assert answer.json()["entry"] is None
    after = server.api("GET", "/api/v2/flags/default/checkout").json()
    assert after["environments"] == before["environments"]
    assert len(server.api("GET", "/api/v2/auditlog?limit=20").json()["items"]) == entries_before


def test_the_management_api_needs_the_token(server):
    for headers in ({}, {"Authorization": "wrong"}, {"Authorization": "Bearer test-token"}):
        answer = request(server.base + "/api/v2/auditlog", headers=headers)
        assert answer.status == 401
        assert answer.json()["code"] == "unauthorized"


def test_create_shows_the_url_once_list_and_get_obscure_it(server):
    created = create(server)
    assert created["_integrationKey"] == "generic-trigger"
    assert created["enabled"] is True
    assert created["instructions"] == [{"kind": "turnFlagOn"}]
    assert created["_triggerCount"] == 0 and created["_recentTriggerBodies"] == []
    secret = SECRET.search(created["triggerURL"]).group(2)

    listed = server.api("GET", TRIGGERS).json()
    assert created["_id"] in [item["_id"] for item in listed["items"]]
    got = server.api("GET", f"{TRIGGERS}/{created['_id']}")
    assert got.status == 200
    for answer_body in (json.dumps(listed), got.body.decode()):
        assert secret not in answer_body
    assert got.json()["triggerURL"].endswith(f"/webhook/triggers/{created['_id']}/********")
    assert secret not in request(server.base + "/").body.decode()
    assert secret not in server.stderr


def test_unknown_id_wrong_secret_disabled_and_deleted_all_get_the_same_404(server):
    created = create(server)
    url = created["triggerURL"]
    trigger_id = created["_id"]
    assert request(url, "POST", {"eventName": "deploy"}).status == 200

    wrong_secret = url[: url.rindex("/") + 1] + "00000000-0000-0000-0000-000000000000"
    unknown_id = url.replace(trigger_id, "0" * 24)
    answers = [request(wrong_secret, "POST", b"{}"), request(unknown_id, "POST", b"{}")]

    path = f"{TRIGGERS}/{trigger_id}"
    disabled = server.api("PATCH", path, {"instructions": [{"kind": "disableTrigger"}]})
    assert disabled.status == 200 and disabled.json()["enabled"] is False
    answers.append(request(url, "POST", b"{}"))
    enabled = server.api("PATCH", path, {"instructions": [{"kind": "enableTrigger"}]})
    assert enabled.json()["enabled"] is True
    assert request(url, "POST", b"{}").status == 200

    assert server.api("DELETE", path).status == 204
    answers.append(request(url, "POST", b"{}"))
    assert server.api("GET", path).status == 404

    assert {a.status for a in answers} == {404}
    assert len({a.body for a in answers}) == 1


def test_cycling_the_url_retires_the_old_one(server):
    created = create(server)
    path = f"{TRIGGERS}/{created['_id']}"
    cycled = server.api("PATCH", path, {"instructions": [{"kind": "cycleTriggerUrl"}]})
    assert cycled.status == 200
    new_url = cycled.json()["triggerURL"]
    assert new_url != created["triggerURL"] and SECRET.search(new_url)
    assert cycled.json()["_version"] == created["_version"] + 1
    assert request(created["triggerURL"], "POST", b"{}").status == 404
    assert request(new_url, "POST", b"{}").status == 200


def test_replacing_the_action_and_bad_patches(server):
    created = create(server, action="turnFlagOn")
    path = f"{TRIGGERS}/{created['_id']}"
    replaced = server.api(
        "PATCH",
        path,
        {
            "instructions": [
                {"kind": "replaceTriggerActionInstructions", "value": [{"kind": "turnFlagOff"}]}
            ]
        },
    )
    assert replaced.json()["instructions"] == [{"kind": "turnFlagOff"}]
    bad = server.api(
        "PATCH", path, {"instructions": [{"kind": "disableTrigger"}, {"kind": "explode"}]}
    )
    assert bad.status == 400 and "explode" in bad.json()["message"]
    assert server.api("GET", path).json()["enabled"] is True  # all or nothing


def test_create_rejects_unknown_integrations_and_actions(server):
    answer = server.api(
        "POST", TRIGGERS, {"integrationKey": "nope", "instructions": [{"kind": "turnFlagOn"}]}
    )
    assert answer.status == 400 and "nope" in answer.json()["message"]
    answer = server.api(
        "POST", TRIGGERS, {"integrationKey": "dynatrace", "instructions": [{"kind": "x"}]}
    )
    assert answer.status == 400 and answer.json()["code"] == "invalid_request"
    assert server.api("POST", TRIGGERS, b"{not json").status == 400


def test_flag_semantic_patch_turns_the_flag_on_and_writes_history(server):
    create(server, path="/api/v2/flags/default/banner/triggers/production")
    flag = server.api("GET", "/api/v2/flags/default/banner").json()
    assert flag["environments"]["production"]["on"] is False  # flags start off
    patch = {"environmentKey": "production", "instructions": [{"kind": "turnFlagOn"}]}
    semantic = {"Content-Type": "application/json; domain-model=launchdarkly.semanticpatch"}
    answer = server.api("PATCH", "/api/v2/flags/default/banner", patch, semantic)
    assert answer.status == 200
    assert answer.json()["environments"]["production"]["on"] is True
    entry = server.api("GET", "/api/v2/auditlog?limit=1").json()["items"][0]
    assert entry["title"] == "ldkit serve API token turned on the flag banner in production"
    again = server.api("PATCH", "/api/v2/flags/default/banner", patch, semantic)
    assert again.status == 200
    assert server.api("GET", "/api/v2/auditlog?limit=1").json()["items"][0]["_id"] == entry["_id"]
    assert server.api("GET", "/api/v2/flags/default/unknown").status == 404
    json_patch = [{"op": "replace", "path": "/on", "value": True}]
    assert server.api("PATCH", "/api/v2/flags/default/banner", json_patch).status == 400


def test_the_audit_log_is_newest_first_and_pages_without_gaps(server):
    create(server, path="/api/v2/flags/default/paged/triggers/production")
    for i in range(7):
        kind = "turnFlagOn" if i % 2 == 0 else "turnFlagOff"
        patch = {"environmentKey": "production", "instructions": [{"kind": kind}]}
        assert server.api("PATCH", "/api/v2/flags/default/paged", patch).status == 200
    everything = server.api("GET", "/api/v2/auditlog?limit=20&q=paged").json()["items"]
    assert len(everything) == 7
    assert [e["date"] for e in everything] == sorted((e["date"] for e in everything), reverse=True)
    seen, path = [], "/api/v2/auditlog?limit=3&q=paged"
    for _ in range(10):
        page = server.api("GET", path).json()
        seen.extend(e["_id"] for e in page["items"])
        if "next" not in page["_links"]:
            break
        path = page["_links"]["next"]["href"]
    assert seen == [e["_id"] for e in everything]
    assert server.api("GET", "/api/v2/auditlog?limit=0").status == 400


def test_other_methods_get_405_and_there_are_no_cors_headers(server):
    url = server.triggers[0]["triggerURL"]
    for method in ("GET", "PUT", "DELETE", "OPTIONS"):
        answer = request(url, method, headers={"Origin": "https://evil.example"})
        assert answer.status == 405, method
        assert answer.headers["allow"] == "POST"
        assert not any(h.startswith("access-control-") for h in answer.headers)
    answer = request(server.base + "/api/v2/auditlog", "OPTIONS", headers={"Origin": "https://x"})
    assert not any(h.startswith("access-control-") for h in answer.headers)


def _raw_post(server, path: str, head: str, payload: bytes) -> bytes:
    host, port = server.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: localhost\r\n{head}\r\n".encode() + payload)
        return sock.recv(4096)


def test_bodies_over_one_mebibyte_get_413_without_being_read_whole(server):
    path = "/" + server.triggers[0]["triggerURL"].split("/", 3)[3]
    started = time.monotonic()
    # Announces 2 MiB and sends only 1 KiB: the answer cannot wait for the rest.
    answer = _raw_post(server, path, f"Content-Length: {2 << 20}\r\n", b"x" * 1024)
    assert answer.startswith(b"HTTP/1.1 413")
    assert time.monotonic() - started < 5

    chunk = b"y" * 65536
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(17))
    answer = _raw_post(server, path, "Transfer-Encoding: chunked\r\n", chunks)
    assert answer.startswith(b"HTTP/1.1 413")


def test_an_edited_manifest_takes_effect_on_the_next_call(server):
    created = create(server, path="/api/v2/flags/default/edited/triggers/production")
    manifest_path = server.root / "integrations" / "generic-trigger" / "manifest.json"
    original = manifest_path.read_text()
    body = {"eventName": "smoke check"}
    assert request(created["triggerURL"], "POST", body).json()["isTest"] is False
    manifest = json.loads(original)
    manifest["capabilities"]["trigger"]["testEventNameRegexp"] = "^smoke"
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    try:
        assert request(created["triggerURL"], "POST", body).json()["isTest"] is True
    finally:
        manifest_path.write_text(original)


def test_logs_name_trigger_ids_but_never_secrets(server):
    url = server.triggers[0]["triggerURL"]
    request(url, "POST", {"title": "log check"})
    time.sleep(0.2)
    secret = SECRET.search(url).group(2)
    assert f"/webhook/triggers/{server.triggers[0]['_id']}/…" in server.stderr
    assert secret not in server.stderr
    assert server.token not in server.stderr


def test_a_trigger_whose_manifest_disappeared_answers_503_and_counts_nothing(server):
    created = create(server, path="/api/v2/flags/default/orphan/triggers/production")
    manifest = server.root / "integrations" / "generic-trigger" / "manifest.json"
    moved = manifest.with_name("manifest.json.away")
    manifest.rename(moved)
    try:
        answer = request(created["triggerURL"], "POST", {"eventName": "x"})
    finally:
        moved.rename(manifest)
    assert answer.status == 503
    assert answer.json()["code"] == "integration_unavailable"
    assert "generic-trigger" in answer.json()["message"]
    rep = server.api("GET", f"/api/v2/flags/default/orphan/triggers/production/{created['_id']}")
    assert rep.json()["_triggerCount"] == 0
    assert request(created["triggerURL"], "POST", {"eventName": "x"}).status == 200


def test_the_live_fragment_answers_304_until_something_changes(server):
    first = request(server.base + "/ui/state")
    assert first.status == 200 and first.headers["etag"]
    unchanged = request(server.base + "/ui/state", headers={"If-None-Match": first.headers["etag"]})
    assert unchanged.status == 304
    request(server.triggers[0]["triggerURL"], "POST", {"title": "fragment check"})
    changed = request(server.base + "/ui/state", headers={"If-None-Match": first.headers["etag"]})
    assert changed.status == 200
    assert changed.headers["etag"] != first.headers["etag"]
