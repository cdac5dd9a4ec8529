"""Which manifest schema judges a manifest: the bundled one, or a checkout's own.

LaunchDarkly's format moves, and partners work in a fork of LaunchDarkly's
integrations repository whose `schemas/` folder is what their pull request
will be judged by. So a manifest inside such a checkout is judged by the
checkout's schema; anywhere else by the schema ldkit bundles
(`schemas/manifest/`, which records the upstream commit it follows in
`schemas/manifest/UPSTREAM`); `--schema DIR` chooses explicitly.

Whichever judges, it judges the same way: one inlined tree, the jsonschema
validator with LaunchDarkly's quirks (`ldkit.schema.validator`), the fast
acceptance check compiled from that same tree (`ldkit.schema.fast`; when it
cannot be compiled, every manifest goes to jsonschema), and the same messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldkit.schema.checkout import find_checkout, load_tree, schema_folder, schema_id
from ldkit.schema.files import schemas_root

if TYPE_CHECKING:
    from ldkit.schema.holes import Holes, Unseen

UPSTREAM_FILE = "UPSTREAM"
UPSTREAM_REPOSITORY = "launchdarkly/integration-framework"
#: Where a schema says which form-variable types exist (one definition serves
#: every list of form variables).
FORM_VARIABLE_TYPE = "formVariables[].type"


@dataclass(frozen=True)
class Upstream:
    """The upstream commits the bundled schema follows (`schemas/manifest/UPSTREAM`)."""

    repository: str
    commit: str
    date: str
    includes: tuple[str, ...] = ()

    @property
    def short(self) -> str:
        return self.commit[:7]

    @property
    def note(self) -> str:
        """Every change after the base snapshot, on one line."""
        return "; ".join(self.includes)


def read_upstream(path: Path) -> Upstream:
    """Parse an UPSTREAM file: `key: value` lines (`includes` may repeat); `#`
    starts a comment line."""
    values: dict[str, str] = {}
    repeated: dict[str, list[str]] = {"includes": []}
    from ldkit.fs import read_text

    for line in read_text(path, root=path.parent, errors="strict").splitlines():
        if line.strip() and not line.lstrip().startswith("#") and ":" in line:
            key, _, value = line.partition(":")
            key, value = key.strip(), value.strip()
            if key in repeated:
                repeated[key].append(value)
            else:
                values[key] = value
    return Upstream(
        repository=values.get("repository", UPSTREAM_REPOSITORY),
        commit=values.get("commit", "unknown"),
        date=values.get("date", "unknown"),
        includes=tuple(repeated["includes"]),
    )


@lru_cache(maxsize=1)
def bundled_upstream() -> Upstream:
    return read_upstream(schemas_root() / "manifest" / UPSTREAM_FILE)


class ManifestSchema:
    """One manifest schema as a judge: its tree, validator and fast check."""

    def __init__(self, tree: dict, label: str, folder: Path, *, is_bundled: bool) -> None:
        self.tree = tree
        self.label = label
        self.folder = folder
        self.is_bundled = is_bundled
        self._patterns_checked = False

    def require_safe_patterns(self) -> None:
        """Compiles every pattern of a schema ldkit does not ship (a fork's
        own may add any); one that cannot run in bounded time stops
        validation (SchemaLoadError) instead of hanging it. Checked once."""
        if self.is_bundled or self._patterns_checked:
            return
        from ldkit.schema.ecma_regex import EcmaRegexError, compile_ecma, schema_patterns
        from ldkit.schema.load import SchemaLoadError

        for pointer, pattern in schema_patterns(self.tree):
            try:
                compile_ecma(pattern)
            except EcmaRegexError as exc:
                raise SchemaLoadError(
                    f"{self.folder}: the pattern at {pointer or '/'}: {exc}"
                ) from None
        self._patterns_checked = True

    @cached_property
    def validator(self) -> Any:
        if self.is_bundled:
            from ldkit.schema.validator import validator

            return validator()
        self.require_safe_patterns()
        from jsonschema import Draft7Validator
        from jsonschema.exceptions import SchemaError

        from ldkit.schema.load import SchemaLoadError
        from ldkit.schema.validator import make_validator

        try:
            # Ajv refuses to compile an invalid schema; so does ldkit, with the reason.
            Draft7Validator.check_schema(self.tree)
        except SchemaError as exc:
            where = "/".join(str(part) for part in exc.absolute_path)
            raise SchemaLoadError(
                f"{self.folder} is not a valid draft-07 schema"
                f"{f' at {where}' if where else ''}: {exc.message}"
            ) from None
        return make_validator(self.tree)

    @cached_property
    def fast_check(self) -> Any:
        if self.is_bundled:
            from ldkit.schema.fast import fast_acceptance_check

            return fast_acceptance_check()
        self.require_safe_patterns()
        from ldkit.schema.fast import compile_acceptance

        return compile_acceptance(self.tree)

    @cached_property
    def capabilities(self) -> frozenset[str]:
        """The capabilities this schema knows."""
        from ldkit.schema.compare import capability_names

        return capability_names(self.tree)

    @cached_property
    def holes(self) -> Holes:
        """What this schema means to forbid but lets through (LD150-LD156)."""
        from ldkit.schema.holes import Holes, find_holes

        try:
            return find_holes(self.tree)
        except RecursionError:
            return Holes()  # a tree this deep loaded, but its holes are not worth a crash

    @cached_property
    def unseen(self) -> tuple[Unseen, ...]:
        """The fields this schema accepts without a definition anyone has seen."""
        from ldkit.schema.holes import find_unseen

        try:
            return find_unseen(self.tree)
        except RecursionError:
            return ()

    @cached_property
    def form_variable_types(self) -> frozenset[str] | None:
        """The form-variable types this schema allows; None when it allows any."""
        from ldkit.schema.compare import enum_at

        allowed = enum_at(self.tree, FORM_VARIABLE_TYPE)
        return None if allowed is None else frozenset(str(value) for value in allowed)

    def differences(self) -> str:
        """One line: how this schema differs from the bundled one."""
        from ldkit.schema.compare import compare
        from ldkit.schema.formats import unchecked_formats

        text = compare(bundled().tree, self.tree).summary()
        skipped = sorted(unchecked_formats(self.tree))
        if skipped:
            text += "; formats ldkit does not check: " + ", ".join(skipped)
        return text


@lru_cache(maxsize=1)
def bundled() -> ManifestSchema:
    """ldkit's own schema, `schemas/manifest/`."""
    from ldkit.schema.load import bundled_schema

    upstream = bundled_upstream()
    label = (
        f"ldkit's bundled schema (follows {upstream.repository} at {upstream.short}, "
        f"{upstream.date})"
    )
    return ManifestSchema(bundled_schema(), label, schemas_root() / "manifest", is_bundled=True)


def load_folder(path: Path) -> ManifestSchema:
    """The schema in a checkout or schema folder (`--schema DIR`). Raises
    `SchemaLoadError` with a one-line reason when it cannot be used."""
    folder = schema_folder(path).resolve()
    found = schema_id(folder)
    named = f" ($id {found})" if found else ""
    label = f"the schema in {folder}{named}"
    return ManifestSchema(load_tree(folder), label, folder, is_bundled=False)


@dataclass
class SchemaChoice:
    """Picks the schema for each manifest of one run, loading each at most once.

    `explicit` (from `--schema`) judges everything; otherwise a manifest inside
    a checkout of LaunchDarkly's repository is judged by that checkout's schema
    and any other by the bundled one. `used` lists every non-bundled schema that
    judged, in order, for the note on stderr.
    """

    explicit: ManifestSchema | None = None
    used: list[ManifestSchema] = field(default_factory=list)
    #: The unseen fields (see `Unseen`) manifests judged by the bundled schema
    #: used, each with the first manifest that did, for one note per run.
    unseen_used: dict[Unseen, str] = field(default_factory=dict)
    _checkouts: dict[Path, ManifestSchema] = field(default_factory=dict)
    _is_checkout: dict[Path, bool] = field(default_factory=dict)

    def for_manifest(self, path: Path) -> ManifestSchema:
        if self.explicit is not None:
            return self._record(self.explicit)
        root = find_checkout(path.parent, self._is_checkout)
        if root is None:
            return bundled()
        if root not in self._checkouts:
            self._checkouts[root] = load_folder(root)
        return self._record(self._checkouts[root])

    def _record(self, schema: ManifestSchema) -> ManifestSchema:
        if not schema.is_bundled and schema not in self.used:
            self.used.append(schema)
        return schema

    def record_unseen(self, schema: ManifestSchema, manifest: object, path: str) -> None:
        """Remember which unseen fields a manifest the bundled schema judged uses."""
        from ldkit.schema.holes import present

        if not schema.is_bundled:
            return  # a checkout's own schema defines what it accepts
        for unseen in schema.unseen:
            if unseen not in self.unseen_used and present(manifest, unseen):
                self.unseen_used[unseen] = path

    def notes(self) -> list[str]:
        """What to say on stderr: once per schema that judged instead of the
        bundled one, and once for every unseen field a manifest used."""
        lines = [
            f"ldkit: {schema.label} judged; compared with {bundled().label}: {schema.differences()}"
            for schema in self.used
        ]
        if self.unseen_used:
            by_path: dict[str, list[str]] = {}
            for unseen, path in self.unseen_used.items():
                by_path.setdefault(path, []).append(unseen.describe())
            uses = "; ".join(f"{path}: {', '.join(found)}" for path, found in by_path.items())
            lines.append(
                "ldkit: accepted as LaunchDarkly's suite could, though no public version of "
                f"LaunchDarkly's schema defining them has been seen: {uses}"
            )
        return lines
