"""What an integration folder is, answered once.

An integration is a folder `integrations/<key>/` holding `manifest.json`; its
key is the folder's name. Beside the manifest live the files ldkit checks too:
replay cases `replays/**/<name>.case.json`, each with `<name>.expected.json`
beside it, Dynatrace problem samples `samples/**/*.problem.json`, Davis problem
samples `samples/**/*.davis.json` and Dynatrace workflows `workflows/`. A replay
case names its body in exactly one of `BODY_SOURCES`.

Discovery turns the paths a user passes into the files to check: a manifest, an
integration folder, a folder of integration folders (`integrations/` itself, or
any folder with a child holding a manifest), or a folder holding
`integrations/`. Any other file inside
an integration (a template, an icon: what pre-commit passes when one of them
changes) stands for that integration's manifest, because that is what the
change can break. See docs/commands/validate.md.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

MANIFEST = "manifest.json"
INTEGRATIONS = "integrations"
REPLAYS = "replays"
SAMPLES = "samples"
#: Dynatrace custom-payload templates, rendered by `ldkit validate`.
PAYLOADS = "payloads"
CASE_SUFFIX = ".case.json"
EXPECTED_SUFFIX = ".expected.json"
PROBLEM_SUFFIX = ".problem.json"
#: Davis problem events, the `event()` of a Dynatrace workflow.
DAVIS_SUFFIX = ".davis.json"
#: Dynatrace workflows the integration keeps, checked by `ldkit validate`.
WORKFLOWS = "workflows"
#: The ways a replay case names its request body; exactly one per case.
BODY_SOURCES = ("body", "bodyText", "bodyFile", "dynatrace", "workflow")


class InputError(Exception):
    """A path that cannot be read at all: exit code 2, not a finding."""


def is_integration(folder: Path) -> bool:
    return (folder / MANIFEST).is_file()


def integration_folders(integrations: Path) -> list[Path]:
    """The folders in an `integrations/` folder that may be integrations, in name order.

    Hidden folders (a leading dot) never are: an integration key starts with a
    letter or digit, `.git` is no integration, and `ldkit new` builds a new one
    in `.ldkit-new-*` before moving it into place, so a killed run must not
    leave something `validate` or `replay` then trip over.
    """
    return sorted(p for p in integrations.iterdir() if p.is_dir() and not p.name.startswith("."))


def integrations_in(root: Path) -> list[Path]:
    """The integration folders under `root/integrations/`, in name order."""
    return [p for p in integration_folders(root / INTEGRATIONS) if is_integration(p)]


def owner_of(path: Path) -> Path | None:
    """The integration folder a file belongs to: the nearest ancestor holding a
    manifest, looking no further up than an `integrations/` folder or the root
    of a git repository. Raises `InputError` for `integrations/<key>/` without a
    manifest: it is an integration folder by its place, so say that."""
    for folder in path.resolve().parents:
        if is_integration(folder):
            return folder
        if folder.parent.name == INTEGRATIONS:
            raise InputError(f"{folder}: integration folder without {MANIFEST}")
        if folder.name == INTEGRATIONS or (folder / ".git").exists():
            return None
    return None


def integrations_folder(root: Path) -> Path:
    """Where a new integration goes, for a command run at `root`.

    From a repository it is `root/integrations`; from `integrations/` itself, or
    from anywhere inside one of its integrations, it is that `integrations/`
    (never `integrations/integrations/`). The search up from `root` stops at the
    top of a git repository or at a folder that holds `integrations/`. A
    relative `root` gives a relative answer (`..` steps), as the user wrote it.
    """
    if (root / INTEGRATIONS).is_dir():
        return root / INTEGRATIONS
    absolute = root.resolve()
    for level, folder in enumerate([absolute, *absolute.parents]):
        if folder.name == INTEGRATIONS:
            if root.is_absolute():
                return folder
            return root.joinpath(*([".."] * level)) if level else root
        if (folder / ".git").exists() or (folder / INTEGRATIONS).is_dir():
            break
    return root / INTEGRATIONS


def case_paths(folder: Path) -> list[Path]:
    """Every replay case of an integration, in name order."""
    return sorted((folder / REPLAYS).glob(f"**/*{CASE_SUFFIX}"))


def case_name(path: Path, folder: Path) -> str:
    """A case's name: its path under `replays/` without the suffix."""
    try:
        relative = path.relative_to(folder / REPLAYS).as_posix()
    except ValueError:
        relative = path.name
    return relative[: -len(CASE_SUFFIX)]


def expected_path_for(case: Path) -> Path:
    """`<name>.expected.json` beside `<name>.case.json`."""
    return case.with_name(case.name[: -len(CASE_SUFFIX)] + EXPECTED_SUFFIX)


def case_owner(case: Path) -> Path:
    """The integration folder of a replay case: the nearest ancestor with a
    manifest, else the folder above `replays/`."""
    resolved = case.resolve()
    for folder in resolved.parents:
        if is_integration(folder):
            return folder
    return resolved.parent.parent


def problem_paths(folder: Path) -> list[Path]:
    """Every Dynatrace problem sample of an integration, in name order."""
    return sorted((folder / SAMPLES).glob(f"**/*{PROBLEM_SUFFIX}"))


def davis_paths(folder: Path) -> list[Path]:
    """Every Davis problem sample of an integration, in name order."""
    return sorted((folder / SAMPLES).glob(f"**/*{DAVIS_SUFFIX}"))


def workflow_paths(folder: Path) -> list[Path]:
    """Every workflow file an integration keeps under `workflows/` (template
    YAML, API JSON, Terraform, Monaco config.yaml), in name order."""
    found = (folder / WORKFLOWS).glob("**/*")
    suffixes = (".json", ".yaml", ".yml", ".tf")
    return sorted(p for p in found if p.name.endswith(suffixes) and not p.name.startswith("."))


def integration_files(folder: Path) -> list[Path]:
    """The manifest of an integration plus the stored files ldkit checks too."""
    return [folder / MANIFEST, *case_paths(folder), *problem_paths(folder), *davis_paths(folder)]


def is_checked_file(path: Path) -> bool:
    """A JSON file that is checked as itself: a manifest, a case or a sample."""
    return path.name == MANIFEST or path.name.endswith((CASE_SUFFIX, PROBLEM_SUFFIX, DAVIS_SUFFIX))


def discover(paths: Iterable[str]) -> list[Path]:
    """The files to check for the PATH arguments of `ldkit validate`; no paths
    means the current folder, which must be one of the folders a PATH may be."""
    paths = list(paths)
    if not paths:
        here = Path(".")
        if not ((here / INTEGRATIONS).is_dir() or is_integration(here) or holds_integrations(here)):
            raise InputError(
                f"no PATH given and no ./{INTEGRATIONS} folder here; "
                "pass a manifest.json, an integration folder or a repository folder"
            )
        paths = ["."]
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{raw}: no such file or directory")
        found.extend(_file_targets(raw, path) if path.is_file() else _folder_targets(raw, path))
    unique: dict[Path, Path] = {}
    for item in found:
        # realpath, not Path.resolve: a loop of links is the reader's finding,
        # not a RuntimeError here.
        unique.setdefault(Path(os.path.realpath(item)), item)
    return list(unique.values())


def _file_targets(raw: str, path: Path) -> list[Path]:
    if path.suffix == ".json" and is_checked_file(path):
        return [path]
    owner = owner_of(path)
    if owner is not None:
        return [_relative(owner / MANIFEST, path)]
    if path.suffix == ".json":
        return [path]
    raise InputError(f"{raw}: not a JSON file and not inside an integration")


def _folder_targets(raw: str, path: Path) -> list[Path]:
    if is_integration(path):
        return integration_files(path)
    if (path / INTEGRATIONS).is_dir():
        return _folder_of_integrations(raw, path / INTEGRATIONS)
    if holds_integrations(path):
        return _folder_of_integrations(raw, path)
    raise InputError(
        f"{raw}: no {MANIFEST} here, no integration folders in it and no {INTEGRATIONS}/ "
        "folder; pass a manifest, an integration folder, a folder of them or a "
        "repository folder"
    )


def holds_integrations(folder: Path) -> bool:
    """A folder of integration folders: `integrations/` by its name, or any
    folder with at least one child holding a manifest."""
    return folder.resolve().name == INTEGRATIONS or any(
        is_integration(child) for child in integration_folders(folder)
    )


def _folder_of_integrations(raw: str, path: Path) -> list[Path]:
    """Every integration in a folder whose children are integration folders;
    a child without a manifest is an error, not skipped."""
    folders = integration_folders(path)
    if not folders:
        raise InputError(f"{raw}: the {INTEGRATIONS} folder is empty")
    found: list[Path] = []
    for folder in folders:
        if not is_integration(folder):
            raise InputError(f"{folder}: integration folder without {MANIFEST}")
        found.extend(integration_files(folder))
    return found


def _relative(target: Path, like: Path) -> Path:
    """Report the manifest with a path in the same style as the one given."""
    if like.is_absolute():
        return target
    try:
        return target.relative_to(Path.cwd())
    except ValueError:
        return target


def manifest_file(folder: Path, value: str) -> Path:
    """Where LaunchDarkly looks for a file the manifest names (an icon, a template).

    Upstream concatenates `integrations/<key>/` and the value as strings, so a
    leading `/` still lands inside the integration folder (`//` is one `/`).
    """
    return Path(f"{folder}/{value}")
