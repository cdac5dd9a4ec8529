"""`ldkit dynatrace check`: read each configuration in its form, run the checks,
and build the one report model every reporter formats."""

from __future__ import annotations

from ldkit.core.findings import FileResult, Report
from ldkit.dynatrace.config import checks, jsonfile, monaco, payload, terraform
from ldkit.dynatrace.config.model import ConfigFile, ReadError
from ldkit.dynatrace.config.payload import Integration


def read_config(path: str) -> ConfigFile:
    """The webhooks of one file, by its kind: `.tf` is Terraform, `.yaml` or
    `.yml` a Monaco config, anything else JSON. ReadError when unreadable."""
    from ldkit.fs import USER_NAMED, FileRefused, read_bytes
    from ldkit.load.jsonpos import decode

    try:
        data = read_bytes(path, root=USER_NAMED)
    except FileRefused as refused:
        raise ReadError(f"{path}: cannot read: {refused.detail}") from None
    if path.endswith(".tf"):
        text, problems = decode(data, path)
        result = terraform.read(path, text)
        result.findings[:0] = problems
        return result
    if monaco.is_monaco(path):
        text, problems = decode(data, path)
        result = monaco.read(path, text)
        result.findings[:0] = problems
        return result
    return jsonfile.read(path, data)


def check_config(config: ConfigFile, integration: Integration | None) -> list[FileResult]:
    findings = list(config.findings)
    for hook in config.webhooks:
        findings.extend(hook.findings)
        findings.extend(checks.check(hook))
        findings.extend(payload.check(hook, integration))
    sources = {config.path: config.text, **config.sources}
    results = []
    for path, text in sources.items():
        own = sorted(set(f for f in findings if f.path == path))
        if own or path == config.path:
            results.append(FileResult(path, own, text))
    return results


def check_paths(paths: list[str], integration: Integration | None) -> Report:
    report = Report()
    for path in paths:
        report.files.extend(check_config(read_config(path), integration))
    return report
