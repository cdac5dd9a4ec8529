"""`ldkit serve` option checks that stop before anything listens (exit 2)."""

from __future__ import annotations


def test_a_non_loopback_host_needs_a_token(run, tmp_path):
    result = run("serve", "--root", tmp_path, "--host", "0.0.0.0")
    assert result.exit_code == 2
    assert "--host 0.0.0.0 is reachable from other machines: choose a --token" in result.stderr


def test_a_bad_trigger_spec_is_a_usage_error(run, tmp_path):
    result = run("serve", "--root", tmp_path, "--trigger", "integration=x,action=toggle")
    assert result.exit_code == 2
    assert "Invalid value for '--trigger': action must be one of turnFlagOn, turnFlagOff" in (
        result.stderr
    )


def test_a_root_without_integrations_is_a_clear_error(run, tmp_path):
    result = run("serve", "--root", tmp_path, "--port", "0")
    assert result.exit_code == 2
    assert result.stderr == f"ldkit serve: {tmp_path}: no integrations/ folder here; pass --root\n"


def test_a_trigger_for_an_integration_without_a_trigger_capability(run, tmp_path):
    (tmp_path / "integrations" / "plain").mkdir(parents=True)
    (tmp_path / "integrations" / "plain" / "manifest.json").write_text('{"name": "Plain"}\n')
    result = run("serve", "--root", tmp_path, "--port", "0", "--trigger", "integration=plain")
    assert result.exit_code == 2
    assert result.stderr.startswith("ldkit serve: --trigger integration=plain: ")
    assert "LD504" in result.stderr
