"""Which findings a project wants to see: `[tool.ldkit]` / `.ldkit.toml` and the
matching command-line options.

A partner working in a fork of LaunchDarkly's integration-framework inherits
warnings on other people's integrations; without a way to tune the output,
`--strict` is unusable there. This module reads the configuration the way ruff
and cfn-lint do (the nearest `.ldkit.toml`, else the nearest `pyproject.toml`
with a `[tool.ldkit]` table, walking up to the repository root), merges the
command-line options over it, and decides for each finding whether it is shown.

Rule codes are ids (`LD311`) or id prefixes (`LD3`, `LD31`, `LD` for all). A
code that names no rule is a usage error with suggestions, never silently
ignored: a typo in an ignore list must not hide nothing while looking like it
hides something.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ldkit.core.findings import FileResult, Finding, Report, Severity
from ldkit.globs import GlobError, compile_glob

CONFIG_NAME = ".ldkit.toml"
PYPROJECT = "pyproject.toml"
KEYS = ("select", "ignore", "extend-ignore", "per-path-ignores", "warn", "strict", "baseline")

_CODE = re.compile(r"LD\d{0,3}\Z")


#: Far above any real configuration; each glob is compiled and tried on every
#: finding's path, so a pull request's 50,000 globs would cost minutes.
MAX_PER_PATH_IGNORES = 1000


class ConfigError(Exception):
    """A configuration that cannot be used: exit code 2 with this one-line message."""


def _load_toml(path: Path) -> dict[str, object]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    from ldkit.fs import FileRefused, read_text

    try:
        return tomllib.loads(read_text(path, root=path.parent, errors="strict"))
    except FileRefused as refused:
        raise ConfigError(f"{path}: cannot read: {refused.detail}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not usable TOML: nested too deeply") from None


def _table(path: Path) -> dict[str, object] | None:
    """The ldkit settings in `path`, or None when a pyproject.toml has none."""
    data = _load_toml(path)
    if path.name != PYPROJECT:
        return data
    tool = data.get("tool")
    table = tool.get("ldkit") if isinstance(tool, dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.ldkit] must be a table")
    return table


def find_config(start: Path) -> Path | None:
    """The nearest `.ldkit.toml`, or `pyproject.toml` with `[tool.ldkit]`, from
    `start` upwards; the search stops at the repository root (a folder with
    `.git`) so a checkout never picks up settings from the folder around it.
    A settings file an editor holds unsaved (`ldkit lsp`) counts, as it is read."""
    from ldkit.fs import is_regular_file

    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_NAME
        if is_regular_file(own):
            return own
        pyproject = candidate / PYPROJECT
        if is_regular_file(pyproject) and _table(pyproject) is not None:
            return pyproject
        if (candidate / ".git").exists():
            return None
    return None


def _rule_ids() -> list[str]:
    """Every rule id, from the generated index: no rule module is imported."""
    from ldkit.catalogue.index import RULE_IDS

    return list(RULE_IDS)


def normalise_code(raw: str) -> str:
    """`ld311`, `LD311` and `311` all mean LD311; prefixes stay prefixes."""
    text = raw.strip().upper()
    if text.isdigit():
        text = "LD" + text
    return text


def check_codes(codes: Iterable[str], where: str, known: list[str]) -> tuple[str, ...]:
    """Normalised codes, or a ConfigError naming the unknown one and what was meant."""
    from ldkit.catalogue.ids import suggestions

    result: list[str] = []
    for raw in codes:
        if not isinstance(raw, str):
            raise ConfigError(f"{where}: rule codes are strings such as 'LD311', got {raw!r}")
        code = normalise_code(raw)
        if not _CODE.match(code) or not any(rule.startswith(code) for rule in known):
            hint = suggestions(raw, known)
            message = f"{where}: unknown rule code {raw!r}"
            if hint:
                message += f"; did you mean {', '.join(hint)}?"
            raise ConfigError(message + " (run `ldkit rules` for the list)")
        result.append(code)
    return tuple(result)


@dataclass(frozen=True)
class PathIgnore:
    """Codes ignored in files a glob matches (or, with a leading `!`, does not).

    A glob without `/` matches a file name in any folder; otherwise it matches
    the path relative to the configuration file's folder, or any folder above
    the file (so `integrations/datadog` covers everything in it)."""

    glob: str
    codes: tuple[str, ...]

    def applies(self, relative: str) -> bool:
        negated = self.glob.startswith("!")
        glob = self.glob[1:] if negated else self.glob
        matches = compile_glob(glob.rstrip("/"))
        if "/" not in glob.rstrip("/"):
            hit = any(matches(part) for part in relative.split("/"))
        else:
            parts = relative.split("/")
            hit = any(matches("/".join(parts[:n])) for n in range(1, len(parts) + 1))
        return hit != negated


def _matches(rule: str, codes: Iterable[str]) -> bool:
    return any(rule.startswith(code) for code in codes)


@dataclass(frozen=True)
class Settings:
    """The merged selection for one run. `root` is the folder per-path globs and
    the baseline path are relative to (the configuration file's, else the cwd)."""

    root: Path
    source: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()
    per_path_ignores: tuple[PathIgnore, ...] = ()
    warn: tuple[str, ...] = ()
    strict: bool = False
    baseline: Path | None = None
    #: True when `--baseline` named the file (it may be anywhere); a baseline
    #: the configuration names is a file of the repository and read only inside
    #: `root` (a pull request's `.ldkit.toml` cannot point it at /etc/passwd).
    baseline_named_by_user: bool = False

    def baseline_root(self) -> Path | None:
        """Where the baseline may be read: None for anywhere (named by the user)."""
        return None if self.baseline_named_by_user else self.root

    def relative(self, path: str) -> str:
        from ldkit.fs import relative_posix

        shown = relative_posix(path, self.root)
        return Path(path).resolve().as_posix() if shown is None else shown

    def keeps(self, finding: Finding) -> bool:
        if self.select and not _matches(finding.rule, self.select):
            return False
        if _matches(finding.rule, self.ignore + self.extend_ignore):
            return False
        if self.per_path_ignores:
            relative = self.relative(finding.path)
            for entry in self.per_path_ignores:
                if _matches(finding.rule, entry.codes) and entry.applies(relative):
                    return False
        return True

    def shown(self, finding: Finding) -> Finding:
        """`finding` at the severity this project gives its rule: an error of a
        rule listed in `warn` is reported as a warning."""
        if finding.severity is Severity.ERROR and _matches(finding.rule, self.warn):
            return replace(finding, severity=Severity.WARNING)
        return finding

    def apply(self, report: Report) -> Report:
        """The report with only the findings this selection shows, at the
        severity it gives them."""
        return Report(
            [
                FileResult(
                    r.path,
                    [self.shown(f) for f in r.findings if self.keeps(f)],
                    r.source,
                    r.sources,
                )
                for r in report.files
            ]
        )


def _string_list(table: Mapping[str, object], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{where}: {key} must be a list of rule codes, e.g. ["LD311"]')
    return value


def from_table(
    table: Mapping[str, object], source: Path | None, root: Path, known: list[str]
) -> Settings:
    where = str(source) if source else "configuration"
    for key in table:
        if key not in KEYS:
            import difflib

            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"{where}: unknown setting {key!r}{hint} (known: {', '.join(KEYS)})")
    per_path = table.get("per-path-ignores", {})
    if not isinstance(per_path, dict):
        raise ConfigError(f"{where}: per-path-ignores must be a table of glob = [rule codes]")
    if len(per_path) > MAX_PER_PATH_IGNORES:
        raise ConfigError(
            f"{where}: per-path-ignores has {len(per_path):,} globs; ldkit reads at most "
            f"{MAX_PER_PATH_IGNORES:,} (group files under a folder glob)"
        )
    entries = []
    for glob, codes in per_path.items():
        if not isinstance(codes, list):
            raise ConfigError(f"{where}: per-path-ignores {glob!r} must be a list of rule codes")
        try:
            compile_glob(glob.removeprefix("!").rstrip("/"))
        except GlobError as exc:
            raise ConfigError(
                f"{where}: per-path-ignores {glob!r} is not a usable glob: {exc}"
            ) from None
        entries.append(PathIgnore(glob, check_codes(codes, f"{where}: {glob!r}", known)))
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(f"{where}: strict must be true or false")
    baseline = table.get("baseline")
    if baseline is not None and not isinstance(baseline, str):
        raise ConfigError(f"{where}: baseline must be a file name")
    return Settings(
        root=root,
        source=source,
        select=check_codes(_string_list(table, "select", where), f"{where}: select", known),
        ignore=check_codes(_string_list(table, "ignore", where), f"{where}: ignore", known),
        extend_ignore=check_codes(
            _string_list(table, "extend-ignore", where), f"{where}: extend-ignore", known
        ),
        per_path_ignores=tuple(entries),
        warn=check_codes(_string_list(table, "warn", where), f"{where}: warn", known),
        strict=strict,
        baseline=root / baseline if baseline else None,
    )


def _split(values: Iterable[str]) -> list[str]:
    """`--ignore LD311,LD402 --ignore LD153` → three codes."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def resolve(
    *,
    paths: Iterable[str],
    config: str | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    extend_ignore: Iterable[str] = (),
    warn: Iterable[str] = (),
    strict: bool = False,
    baseline: str | None = None,
) -> Settings:
    """The settings for one run: the configuration file (given, else the nearest
    one above the first PATH, or above the working directory without PATH), with command-line
    `--select` and `--ignore` replacing its lists, `--extend-ignore` and `--warn`
    adding to them, and `--strict` / `--baseline` overriding."""
    known = _rule_ids()
    if config is not None:
        source: Path | None = Path(config)
        if not source.is_file():
            raise ConfigError(f"{config}: no such configuration file")
        table = _table(source) or {}
    else:
        start = next((Path(p) for p in paths), Path.cwd())
        source = find_config(start) if start.exists() else None
        table = _table(source) if source is not None else {}
    root = source.resolve().parent if source is not None else Path.cwd()
    settings = from_table(table or {}, source, root, known)
    select_codes = _split(select)
    ignore_codes = _split(ignore)
    changes: dict[str, object] = {}
    if select_codes:
        changes["select"] = check_codes(select_codes, "--select", known)
    if ignore_codes:
        changes["ignore"] = check_codes(ignore_codes, "--ignore", known)
    extra = check_codes(_split(extend_ignore), "--extend-ignore", known)
    if extra:
        changes["extend_ignore"] = settings.extend_ignore + extra
    demoted = check_codes(_split(warn), "--warn", known)
    if demoted:
        changes["warn"] = settings.warn + demoted
    if strict:
        changes["strict"] = True
    if baseline is not None:
        changes["baseline"] = Path(baseline)
        changes["baseline_named_by_user"] = True
    return replace(settings, **changes)  # type: ignore[arg-type]
