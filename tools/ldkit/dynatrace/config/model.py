"""One shape for a webhook problem notification, whatever form it was kept in.

Each reader (Settings 2.0 JSON, classic Configuration API JSON, Terraform,
Monaco) turns its file into `Webhook`s, and the checks only ever look at this
model. Every field remembers where it was written (or, when absent, where it
belongs) and how that form spells it, so a finding lands on the right line and
says `insecure` to a Terraform user and `acceptAnyCertificate` to a Settings
user. A field is either a literal value or a reference (a Terraform expression,
a Monaco parameter, a `${VAR}` placeholder) whose value is only known at deploy
time; checks never guess a reference's value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from ldkit.core.findings import Finding
from ldkit.core.rule import RuleDeclaration


class Form(str, Enum):
    """The forms a webhook configuration is kept in; the values are the
    `--format` names of `ldkit dynatrace export`."""

    SETTINGS = "settings"
    CLASSIC = "config-v1"
    TERRAFORM = "terraform"
    MONACO = "monaco"

    @property
    def label(self) -> str:
        return {
            Form.SETTINGS: "Settings 2.0 object",
            Form.CLASSIC: "classic Configuration API notification",
            Form.TERRAFORM: "Terraform resource",
            Form.MONACO: "Monaco configuration",
        }[self]

    @property
    def secret_alternative(self) -> str:
        """How this form keeps a secret out of the committed file."""
        return {
            Form.SETTINGS: (
                "keep the secret out of the committed file and inject it at deploy time "
                "(a placeholder such as ${LD_TRIGGER_URL} filled by your pipeline), and "
                "store it in Dynatrace as a secret (secretUrl with urlContainsSecret: true, "
                "or a header with secret: true and secretValue)"
            ),
            Form.CLASSIC: (
                "keep the secret out of the committed file and inject it at deploy time; "
                "better, move to the Settings 2.0 schema builtin:problem.notifications, "
                "which stores the URL (secretUrl) and header values (secretValue) as secrets"
            ),
            Form.TERRAFORM: (
                "use a variable marked sensitive = true (or, for the URL, "
                "launchdarkly_flag_trigger.<name>.trigger_url) with url_contains_secret = true "
                "and secret_url, or a header's secret_value"
            ),
            Form.MONACO: (
                "use a parameter of type environment (the value comes from an environment "
                "variable at deploy time), with urlContainsSecret: true and secretUrl, or a "
                "header with secret: true and secretValue"
            ),
        }[self]


@dataclass(frozen=True)
class Where:
    """A position in the configuration file, 1-based, plus the pointer-like
    path of the field (a JSON pointer for JSON, `resource.type.name.attr`
    for Terraform)."""

    line: int
    column: int
    pointer: str
    #: The file, when it is not the configuration file being checked (a
    #: Monaco parameter in config.yaml for a field of the JSON template).
    path: str | None = None


@dataclass(frozen=True)
class Field:
    """One setting. `present` is False when the file does not write it; then
    `where` is the place it belongs (its object) and `value` is None.
    `reference` holds the source text of a value known only at deploy time."""

    key: str
    where: Where
    present: bool = False
    value: object = None
    reference: str | None = None

    @property
    def literal(self) -> bool:
        return self.present and self.reference is None

    def text(self) -> str | None:
        """The literal string value, or None."""
        return self.value if self.literal and isinstance(self.value, str) else None

    def flag(self) -> bool | None:
        """The literal boolean value, or None."""
        return self.value if self.literal and isinstance(self.value, bool) else None


@dataclass(frozen=True)
class Header:
    where: Where
    name: Field
    value: Field
    secret: Field
    secret_value: Field


@dataclass(frozen=True)
class OAuth:
    where: Where
    access_token_url: Field
    client_id: Field
    client_secret: Field


@dataclass
class Webhook:
    """One webhook notification. `label` names it in messages (a resource
    address, a Monaco config id, a position in a list)."""

    form: Form
    label: str
    where: Where
    name: Field
    enabled: Field
    alerting_profile: Field
    url: Field
    payload: Field
    accept_any_certificate: Field
    notify_closed_problems: Field | None
    notify_event_merges: Field
    url_contains_secret: Field | None = None
    secret_url: Field | None = None
    headers: list[Header] = field(default_factory=list)
    use_oauth2: Field | None = None
    oauth: OAuth | None = None
    #: Findings the reader made about the object's shape (wrong types, etc.).
    findings: list[Finding] = field(default_factory=list)
    #: The file its fields are written in (a Monaco config's JSON template).
    path: str = ""
    #: True for the classic notification model (Configuration API v1, or
    #: Terraform's deprecated `dynatrace_notification`).
    classic_model: bool = False

    def effective_url(self) -> Field:
        """The field Dynatrace calls: `secretUrl` when `urlContainsSecret` is
        true, else `url` (settings schema)."""
        if (
            self.url_contains_secret is not None
            and self.url_contains_secret.flag() is True
            and self.secret_url is not None
        ):
            return self.secret_url
        return self.url


@dataclass
class ConfigFile:
    """What a reader makes of one file: its webhooks, the text findings quote,
    and findings about the file itself (syntax, shape)."""

    path: str
    text: str
    form: Form | None
    webhooks: list[Webhook] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: Other files the findings may point into (Monaco templates), by path.
    sources: dict[str, str] = field(default_factory=dict)


def located(
    path: str, line: int, column: int, rule: type[RuleDeclaration], message: str, pointer: str = ""
) -> Finding:
    """A finding of `rule` (its id and severity) at a position."""
    return Finding(path, line, column, rule.id, rule.severity, message, pointer)


def finding(path: str, where: Where, rule: type[RuleDeclaration], message: str) -> Finding:
    """A finding of `rule` at a field of a configuration in `path` (or in the
    file `where` names)."""
    return located(where.path or path, where.line, where.column, rule, message, where.pointer)


def relocated(found: Finding, path: str, where: Where, message: str) -> Finding:
    """Another stage's finding (the renderer's), moved onto a field."""
    return Finding(
        where.path or path,
        where.line,
        where.column,
        found.rule,
        found.severity,
        message,
        where.pointer,
    )


class ReadError(Exception):
    """A configuration that cannot be read at all (missing file, an extra not
    installed): a usage error, exit code 2."""
