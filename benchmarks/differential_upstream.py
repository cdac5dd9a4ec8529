"""Side by side with LaunchDarkly's own jest suites: does ldkit reject exactly what they reject?

Takes a copy of LaunchDarkly's integration-framework (with `npm ci` done), applies
single mutations to its public manifests (and their templates), runs upstream's
jest suites and `ldkit validate` on each mutant, and tabulates the agreement:

* missed rejection: upstream's suites fail, ldkit reports no error;
* false error: upstream's suites pass, ldkit reports an error. ldkit also errors
  on purpose where upstream checks nothing but the manifest cannot work (a parser
  pointer that is not a JSON pointer, a regex that does not compile or that RE2
  refuses: LD410-LD434); those are counted apart, as "ldkit-only by design".

Mutants are run in batches (at most one mutant per integration in a batch) and a
failing jest assertion is attributed to the mutant whose key or name it names;
anything that cannot be attributed is re-run alone. The copy's `integrations/`
is restored after every batch. Nothing from upstream is part of ldkit: point
`--upstream` at your own copy, e.g.

    cp -r integration-framework /tmp/ifw && (cd /tmp/ifw && npm ci)
    python benchmarks/differential_upstream.py --upstream /tmp/ifw --sample 150 --seed 7
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: ldkit rules that reject on purpose what upstream never checks (the severity
#: policy: the manifest cannot work at run time).
BY_DESIGN = re.compile(r"LD4(1\d|3[01])")
#: The approval lists whose defaultValue type upstream checks like the top-level list.
APPROVAL_LISTS = ("approvalFormVariables", "environmentFormVariables")
_MUSTACHE_DOT = re.compile(r"\{\{\{?\s*([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_])")


@dataclass
class Mutant:
    key: str
    operator: str
    detail: str
    files: dict[str, bytes]  # path relative to integrations/<key>/ -> new content
    upstream_rejects: bool | None = None
    ldkit_errors: list[str] = field(default_factory=list)


# --- mutation operators -----------------------------------------------------------


def _walk(value: object, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


def _set(root: object, path: tuple, value: object) -> None:
    for part in path[:-1]:
        root = root[part]  # type: ignore[index]
    root[path[-1]] = value  # type: ignore[index]


def _delete(root: object, path: tuple) -> None:
    for part in path[:-1]:
        root = root[part]  # type: ignore[index]
    del root[path[-1]]  # type: ignore[arg-type]


def _dump(manifest: dict) -> bytes:
    """The mutated manifest as a partner commits it: formatted as prettier
    formats it (LaunchDarkly's CI runs `prettier:check` beside its jest
    suites), so a difference is about the mutation, not about layout."""
    from ldkit.format import format_json

    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    return format_json(text, "manifest.json").encode("utf-8")


def _pointer(path: tuple) -> str:
    return "/" + "/".join(str(p) for p in path)


Operator = Callable[[str, dict, Path, random.Random], tuple[str, dict[str, bytes]] | None]


def drop_key(key: str, manifest: dict, folder: Path, rng: random.Random):
    members = [p for p, _ in _walk(manifest) if p and isinstance(p[-1], str)]
    path = rng.choice(members)
    mutated = copy.deepcopy(manifest)
    _delete(mutated, path)
    return f"delete {_pointer(path)}", {"manifest.json": _dump(mutated)}


_OTHER_TYPE = {
    str: [123, True, None, ["x"]],
    bool: ["true", 1, None],
    int: ["1", True, None],
    float: ["1.5", None],
    type(None): ["", 0, False],
}


def retype(key: str, manifest: dict, folder: Path, rng: random.Random):
    scalars = [(p, v) for p, v in _walk(manifest) if p and not isinstance(v, (dict, list))]
    path, value = rng.choice(scalars)
    replacement = rng.choice(_OTHER_TYPE[type(value)])
    mutated = copy.deepcopy(manifest)
    _set(mutated, path, replacement)
    return f"{_pointer(path)} = {json.dumps(replacement)}", {"manifest.json": _dump(mutated)}


def empty_string(key: str, manifest: dict, folder: Path, rng: random.Random):
    strings = [p for p, v in _walk(manifest) if p and isinstance(v, str) and v]
    path = rng.choice(strings)
    mutated = copy.deepcopy(manifest)
    _set(mutated, path, "")
    return f'{_pointer(path)} = ""', {"manifest.json": _dump(mutated)}


def add_key(key: str, manifest: dict, folder: Path, rng: random.Random):
    objects = [p for p, v in _walk(manifest) if isinstance(v, dict)]
    path = rng.choice(objects)
    mutated = copy.deepcopy(manifest)
    target = mutated
    for part in path:
        target = target[part]
    target["unexpectedKey"] = "x"
    return f"add {_pointer((*path, 'unexpectedKey'))}", {"manifest.json": _dump(mutated)}


def approval_default_type(key: str, manifest: dict, folder: Path, rng: random.Random):
    """defaultValue of the wrong type in an approval list (upstream checks it there)."""
    approval = manifest.get("capabilities", {}).get("approval")
    if not isinstance(approval, dict):
        return None
    choices = [
        (name, index, item)
        for name in APPROVAL_LISTS
        for index, item in enumerate(approval.get(name) or [])
        if isinstance(item, dict) and item.get("type") in ("boolean", "string", "enum", "uri")
    ]
    if not choices:
        return None
    name, index, item = rng.choice(choices)
    mutated = copy.deepcopy(manifest)
    variable = mutated["capabilities"]["approval"][name][index]
    variable["isOptional"] = True
    variable["defaultValue"] = "false" if item["type"] == "boolean" else False
    where = f"/capabilities/approval/{name}/{index}/defaultValue"
    return f"{where} = {json.dumps(variable['defaultValue'])}", {"manifest.json": _dump(mutated)}


def _templates(manifest: dict) -> list[tuple[tuple, str]]:
    capabilities = manifest.get("capabilities", {})
    found = []
    for capability in ("auditLogEventsHook", "eventsHook"):
        templates = (capabilities.get(capability) or {}).get("templates") or {}
        for kind, value in templates.items():
            if isinstance(value, str) and value and not value.startswith("/"):
                found.append((("capabilities", capability, "templates", kind), value))
    return found


def leading_slash(key: str, manifest: dict, folder: Path, rng: random.Random):
    """A template path with a leading `/` (upstream joins it under the integration)."""
    templates = _templates(manifest)
    if not templates:
        return None
    path, value = rng.choice(templates)
    mutated = copy.deepcopy(manifest)
    _set(mutated, path, "/" + value)
    return f'{_pointer(path)} = "/{value}"', {"manifest.json": _dump(mutated)}


def template_space_before_dot(key: str, manifest: dict, folder: Path, rng: random.Random):
    """`{{a .b}}` for `{{a.b}}` in an audit-log template (Handlebars reads the same path)."""
    candidates = []
    for _, relative in _templates(manifest):
        try:
            text = (folder / relative).read_text("utf-8")
        except OSError:
            continue
        if _MUSTACHE_DOT.search(text):
            candidates.append((relative, text))
    if not candidates:
        return None
    relative, text = rng.choice(candidates)
    matches = list(_MUSTACHE_DOT.finditer(text))
    match = rng.choice(matches)
    dot = match.start(2) - 1
    changed = text[:dot] + rng.choice([" ", "\u2028", "\t"]) + text[dot:]
    return f"{relative}: whitespace before '.' at offset {dot}", {relative: changed.encode("utf-8")}


OPERATORS: dict[str, Operator] = {
    "drop-key": drop_key,
    "retype": retype,
    "empty-string": empty_string,
    "add-key": add_key,
    "approval-default-type": approval_default_type,
    "leading-slash-template": leading_slash,
    "template-space-before-dot": template_space_before_dot,
}
#: How often each operator is drawn (targeted ones need a manifest that has the feature).
WEIGHTS = {
    "drop-key": 4,
    "retype": 4,
    "empty-string": 2,
    "add-key": 2,
    "approval-default-type": 1,
    "leading-slash-template": 1,
    "template-space-before-dot": 1,
}


def make_mutants(
    integrations: Path, count: int, rng: random.Random, only: list[str] | None = None
) -> list[Mutant]:
    manifests = {
        folder.name: json.loads((folder / "manifest.json").read_text("utf-8"))
        for folder in sorted(integrations.iterdir())
        if (folder / "manifest.json").is_file()
    }
    chosen = {name: weight for name, weight in WEIGHTS.items() if not only or name in only}
    names, weights = zip(*chosen.items(), strict=True)
    mutants: list[Mutant] = []
    attempts = 0
    while len(mutants) < count and attempts < count * 50:
        attempts += 1
        operator = rng.choices(names, weights)[0]
        key = rng.choice(sorted(manifests))
        made = OPERATORS[operator](key, manifests[key], integrations / key, rng)
        if made is not None:
            mutants.append(Mutant(key, operator, made[0], made[1]))
    return mutants


# --- running both sides -------------------------------------------------------------


def batches(mutants: list[Mutant], size: int) -> list[list[Mutant]]:
    """Groups with at most one mutant per integration."""
    pending = list(mutants)
    groups: list[list[Mutant]] = []
    while pending:
        group: list[Mutant] = []
        keys: set[str] = set()
        rest: list[Mutant] = []
        for mutant in pending:
            if mutant.key in keys or len(group) >= size:
                rest.append(mutant)
            else:
                group.append(mutant)
                keys.add(mutant.key)
        groups.append(group)
        pending = rest
    return groups


def _apply(upstream: Path, group: list[Mutant]) -> None:
    for mutant in group:
        for relative, data in mutant.files.items():
            (upstream / "integrations" / mutant.key / relative.lstrip("/")).write_bytes(data)


def _restore(upstream: Path, pristine: Path) -> None:
    shutil.rmtree(upstream / "integrations")
    shutil.copytree(pristine, upstream / "integrations")


def run_jest(upstream: Path) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    subprocess.run(
        ["npx", "jest", "--ci", "--json", f"--outputFile={out}"],
        cwd=upstream,
        capture_output=True,
        timeout=900,
    )
    try:
        return json.loads(out.read_text("utf-8"))
    finally:
        out.unlink(missing_ok=True)


def failures(report: dict) -> list[str]:
    """The text of every failing assertion (and every suite that failed to run)."""
    found = []
    for suite in report.get("testResults", []):
        if suite.get("status") == "failed" and not suite.get("assertionResults"):
            found.append(suite.get("message", "") or suite.get("name", ""))
        for assertion in suite.get("assertionResults", []):
            if assertion.get("status") == "failed":
                found.append(
                    assertion.get("fullName", "") + "\n" + "\n".join(assertion["failureMessages"])
                )
    return found


def _names(upstream: Path, mutant: Mutant) -> list[str]:
    names = [mutant.key]
    try:
        path = upstream / "integrations" / mutant.key / "manifest.json"
        manifest = json.loads(path.read_text("utf-8"))
        if isinstance(manifest.get("name"), str):
            names.append(manifest["name"])
    except (OSError, ValueError):
        pass
    return names


def attribute(failed: list[str], group: list[Mutant], upstream: Path) -> tuple[set[str], bool]:
    """(keys of mutants the failures name, whether some failure named none or several)."""
    names = {m.key: _names(upstream, m) for m in group}
    blamed: set[str] = set()
    unclear = False
    for text in failed:
        head = text.split("\n", 1)[0]
        hits = {
            key
            for key, spellings in names.items()
            if any(re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", head) for s in spellings)
        }
        if "Akamai EdgeWorker" in head and "akamai-edgeworkers" in names:
            hits = {"akamai-edgeworkers"}
        if len(hits) == 1:
            blamed |= hits
        else:
            unclear = True
    return blamed, unclear


def run_ldkit(upstream: Path, group: list[Mutant]) -> dict[str, list[str]]:
    paths = [str(upstream / "integrations" / m.key / "manifest.json") for m in group]
    result = subprocess.run(
        [sys.executable, "-m", "ldkit", "validate", *paths, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode not in (0, 1):
        raise SystemExit(f"ldkit validate failed: {result.stderr}")
    errors: dict[str, list[str]] = {m.key: [] for m in group}
    for file in json.loads(result.stdout)["files"]:
        key = Path(file["path"]).parent.name
        if key in errors:
            errors[key] = sorted({f["rule"] for f in file["findings"] if f["severity"] == "error"})
    return errors


def evaluate(upstream: Path, pristine: Path, group: list[Mutant]) -> list[Mutant]:
    """Run one batch; returns the mutants whose upstream verdict stays unclear."""
    _apply(upstream, group)
    try:
        report = run_jest(upstream)
        failed = failures(report)
        blamed, unclear = attribute(failed, group, upstream)
        ldkit = run_ldkit(upstream, group)
    finally:
        _restore(upstream, pristine)
    for mutant in group:
        mutant.ldkit_errors = ldkit[mutant.key]
        mutant.upstream_rejects = mutant.key in blamed
    if unclear and len(group) > 1:
        return [m for m in group if not m.upstream_rejects]
    if unclear:
        group[0].upstream_rejects = True
    return []


# --- the table ------------------------------------------------------------------------


def verdict(mutant: Mutant) -> str:
    ldkit_rejects = bool(mutant.ldkit_errors)
    if mutant.upstream_rejects and ldkit_rejects:
        return "both reject"
    if not mutant.upstream_rejects and not ldkit_rejects:
        return "both accept"
    if mutant.upstream_rejects:
        return "missed rejection"
    if all(BY_DESIGN.fullmatch(rule) for rule in mutant.ldkit_errors):
        return "ldkit-only by design"
    return "false error"


def table(mutants: list[Mutant], control: dict) -> str:
    verdicts = Counter(verdict(m) for m in mutants)
    total = len(mutants)
    agree = verdicts["both reject"] + verdicts["both accept"] + verdicts["ldkit-only by design"]
    lines = [
        f"controls: upstream failures on the unmutated corpus: {control['upstream_failures']}; "
        f"ldkit errors on it: {control['ldkit_errors']}",
        "",
        "| verdict | mutants |",
        "|---|---:|",
        *(
            f"| {name} | {verdicts[name]} |"
            for name in (
                "both reject",
                "both accept",
                "ldkit-only by design",
                "missed rejection",
                "false error",
            )
        ),
        f"| **agreement** | **{agree}/{total} ({100 * agree / max(total, 1):.1f} %)** |",
        "",
        "| operator | mutants | both reject | both accept | by design | missed | false |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for operator in OPERATORS:
        mine = [m for m in mutants if m.operator == operator]
        if not mine:
            continue
        counts = Counter(verdict(m) for m in mine)
        lines.append(
            f"| {operator} | {len(mine)} | {counts['both reject']} | {counts['both accept']} | "
            f"{counts['ldkit-only by design']} | {counts['missed rejection']} | "
            f"{counts['false error']} |"
        )
    disagreements = [m for m in mutants if verdict(m) in ("missed rejection", "false error")]
    if disagreements:
        lines += ["", "Disagreements:", ""]
        lines += [
            f"- {verdict(m)}: {m.key}: {m.operator}: {m.detail} (ldkit errors: "
            f"{', '.join(m.ldkit_errors) or 'none'})"
            for m in disagreements
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upstream", type=Path, required=True, help="copy with `npm ci` done")
    parser.add_argument("--sample", type=int, default=120, help="number of mutants")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=40, help="mutants per jest run")
    parser.add_argument("--out", type=Path, help="also write the table (Markdown) here")
    parser.add_argument(
        "--operator",
        action="append",
        choices=sorted(OPERATORS),
        help="draw only these mutation operators (repeatable; default: all, weighted)",
    )
    args = parser.parse_args(argv)
    upstream: Path = args.upstream.resolve()
    if not (upstream / "node_modules").is_dir():
        parser.error(f"{upstream}: run `npm ci` there first")
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as scratch:
        pristine = Path(scratch) / "integrations"
        shutil.copytree(upstream / "integrations", pristine)
        control_report = run_jest(upstream)
        control_ldkit = subprocess.run(
            [sys.executable, "-m", "ldkit", "validate", str(upstream), "--format", "json"],
            capture_output=True,
            text=True,
            timeout=900,
        )
        control = {
            "upstream_failures": len(failures(control_report)),
            "ldkit_errors": json.loads(control_ldkit.stdout)["summary"]["errors"],
        }
        mutants = make_mutants(pristine, args.sample, rng, args.operator)
        retry: list[Mutant] = []
        for number, group in enumerate(batches(mutants, args.batch), 1):
            print(f"batch {number}: {len(group)} mutants", file=sys.stderr)
            retry += evaluate(upstream, pristine, group)
        for mutant in retry:
            print(f"alone: {mutant.key} {mutant.operator}", file=sys.stderr)
            evaluate(upstream, pristine, [mutant])
    text = table(mutants, control)
    print(text)
    if args.out:
        args.out.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
