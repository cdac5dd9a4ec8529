"""The validate pipeline: discover files, load them with positions, check each
by its kind, collect one `Report`.

Discovery follows the contract: a manifest file, an integration folder, or a
folder holding `integrations/`. Any other file inside an integration (a template,
an icon: what pre-commit passes when one of them changes) stands for that
integration's manifest, because that is what the change can break.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from pathlib import Path

from ldkit.load.jsonpos import Document, load_path
from ldkit.report.findings import FileResult, Finding, Report, in_order

MANIFEST = "manifest.json"

# kind -> "module:function"; the function takes the parsed Document and returns
# findings. Imported on first use.
CHECKERS: dict[str, str] = {
    "manifest": "ldkit.checks.manifest:check",
    "replay-case": "ldkit.checks.replay_case:check",
    "dynatrace-problem": "ldkit.checks.problem_sample:check",
}


class InputError(Exception):
    """A path that cannot be read at all: exit code 2, not a finding."""


def classify(path: Path) -> str:
    name = path.name
    if name.endswith(".case.json"):
        return "replay-case"
    if name.endswith(".problem.json"):
        return "dynatrace-problem"
    return "manifest"


def _integration_of(path: Path) -> Path | None:
    for folder in path.resolve().parents:
        if (folder / MANIFEST).is_file():
            return folder
        if folder.parent.name == "integrations":
            # integrations/<key>/ is an integration folder by its place, even
            # before its manifest exists: say that, not "not an integration".
            raise InputError(f"{folder}: integration folder without {MANIFEST}")
        if folder.name == "integrations" or (folder / ".git").exists():
            return None
    return None


def integration_folders(integrations: Path) -> list[Path]:
    """The integration folders in an `integrations/` folder, in name order.

    Hidden folders (a leading dot) are not integrations: `ldkit new` builds a
    new one in `.ldkit-new-*` before moving it into place, and a killed run
    must not leave something `validate` or `replay` then trip over.
    """
    return sorted(p for p in integrations.iterdir() if p.is_dir() and not p.name.startswith("."))


def integration_files(folder: Path) -> list[Path]:
    """The manifest of an integration plus the stored files ldkit checks too."""
    files = [folder / MANIFEST]
    files.extend(sorted(folder.glob("replays/**/*.case.json")))
    files.extend(sorted(folder.glob("samples/**/*.problem.json")))
    return files


def discover(paths: Iterable[str]) -> list[Path]:
    found: list[Path] = []
    paths = list(paths)
    if not paths:
        if not Path("integrations").is_dir():
            raise InputError(
                "no PATH given and no ./integrations folder here; "
                "pass a manifest.json, an integration folder or a repository folder"
            )
        paths = ["."]
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{raw}: no such file or directory")
        if path.is_file():
            if path.suffix == ".json" and (path.name == MANIFEST or classify(path) != "manifest"):
                found.append(path)
            else:
                owner = _integration_of(path)
                if owner is None:
                    if path.suffix == ".json":
                        found.append(path)
                        continue
                    raise InputError(f"{raw}: not a JSON file and not inside an integration")
                found.append(_relative(owner / MANIFEST, path))
            continue
        if (path / MANIFEST).is_file():
            found.extend(integration_files(path))
        elif (path / "integrations").is_dir():
            folders = integration_folders(path / "integrations")
            if not folders:
                raise InputError(f"{raw}: the integrations folder is empty")
            for folder in folders:
                if not (folder / MANIFEST).is_file():
                    raise InputError(f"{folder}: integration folder without {MANIFEST}")
                found.extend(integration_files(folder))
        else:
            raise InputError(
                f"{raw}: no {MANIFEST} here and no integrations/ folder; "
                "pass a manifest, an integration folder or a repository folder"
            )
    unique: dict[Path, Path] = {}
    for item in found:
        unique.setdefault(item.resolve(), item)
    return list(unique.values())


def _relative(target: Path, like: Path) -> Path:
    """Report the manifest with a path in the same style as the one given."""
    if like.is_absolute():
        return target
    try:
        return target.relative_to(Path.cwd())
    except ValueError:
        return target


_loaded: dict[str, Callable[[Document], list[Finding]]] = {}


def checker(kind: str) -> Callable[[Document], list[Finding]]:
    if kind not in _loaded:
        module, func = CHECKERS[kind].split(":")
        _loaded[kind] = getattr(importlib.import_module(module), func)
    return _loaded[kind]


def validate_file(path: Path) -> FileResult:
    from ldkit.load.files import FileRefused

    display = str(path)
    try:
        loaded = load_path(display)
    except FileRefused as refused:
        raise InputError(f"{display}: {refused.reason}") from None
    findings = list(loaded.findings)
    if loaded.ok:
        findings.extend(checker(classify(path))(loaded.document))
    return FileResult(display, in_order(findings), loaded.document.text)


def validate_paths(paths: Iterable[str]) -> Report:
    return Report([validate_file(p) for p in discover(paths)])
