"""Read Terraform `.tf` files: `dynatrace_webhook_notification` resources and
the webhook block of the deprecated `dynatrace_notification`.

HCL is parsed by python-hcl2 (the `dynatrace` extra), never by regular
expressions. Its parse tree keeps Lark's position metadata for every rule, so a
finding lands on the line and column of the attribute it is about (an absent
attribute: the block it belongs in). Values are evaluated only as far as
Terraform would evaluate them without state: literals, heredocs,
`jsonencode(...)` of literals (with Terraform's key order and escaping) and
`file(...)` of a path relative to the module. Anything else (a variable, a
resource attribute, a function call) is a deploy-time reference that the checks
treat as unknown.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ldkit.core.findings import Finding
from ldkit.dynatrace.config import rules
from ldkit.dynatrace.config.model import (
    ConfigFile,
    Field,
    Form,
    Header,
    OAuth,
    ReadError,
    Webhook,
    Where,
    finding,
    located,
)

EXTRA = "dynatrace"
WEBHOOK_RESOURCE = "dynatrace_webhook_notification"
CLASSIC_RESOURCE = "dynatrace_notification"
TRIGGER_RESOURCE = "launchdarkly_flag_trigger"

_UNKNOWN = object()
_HEREDOC = re.compile(
    r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\r?\n(.*?)^[ \t]*\2[ \t]*\r?\n?\Z", re.S | re.M
)
_TEMPLATE_SEQUENCE = re.compile(r"(?<!\$)\$\{|(?<!%)%\{")
# Terraform's jsonencode escapes these so that the JSON is safe inside HTML.
_JSONENCODE_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def _hcl2() -> Any:
    try:
        import hcl2
    except ImportError:
        raise ReadError(
            "reading Terraform needs the python-hcl2 parser: "
            f"pip install 'ld-integration-kit[{EXTRA}]'"
        ) from None
    return hcl2


@lru_cache(maxsize=1)
def _parser() -> Any:
    """python-hcl2's LALR parser, its tables kept in ldkit's user cache folder.

    python-hcl2 caches the tables next to its own code (`hcl2/.lark_cache.bin`),
    which writes into the installation and costs about two seconds on the first
    run after every install. The same grammar and options are built here with
    Lark's cache in `ldkit.user_cache` instead, named by both libraries'
    versions; Lark itself checks that the entry was built from this grammar and
    these options (and rebuilds it otherwise). With no writable cache folder
    the tables are built in memory on each run.
    """
    from importlib.metadata import version

    import hcl2.parser
    from hcl2.postlexer import PostLexer
    from lark import Lark

    from ldkit.user_cache import writable_cache_dir

    folder = writable_cache_dir()
    cache: str | bool = False
    if folder is not None:
        name = f"hcl2-{version('python-hcl2')}-lark-{version('lark')}.lark-cache"
        cache = str(folder / name)
    return Lark.open(
        "hcl2.lark",
        parser="lalr",
        cache=cache,
        rel_to=hcl2.parser.__file__,
        propagate_positions=True,
        postlex=PostLexer(),
    )


def _parses(text: str) -> Any:
    """`hcl2.parses(text)`, with the parser above."""
    from hcl2.api import transform

    # python-hcl2 appends a line break the same way (its grammar needs one at the end).
    return transform(_parser().parse(text + "\n"))


def _options() -> Any:
    from hcl2.utils import SerializationOptions

    return SerializationOptions(
        strip_string_quotes=True, preserve_heredocs=True, with_comments=False
    )


def jsonencode(value: object) -> str:
    """Terraform's `jsonencode`: object keys sorted, no insignificant
    whitespace, `<`, `>` and `&` written as `\\u003c`, `\\u003e`, `\\u0026`
    (and the line and paragraph separators as escapes)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char, escape in _JSONENCODE_ESCAPES.items():
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class _Evaluator:
    """Evaluates what Terraform can evaluate without state or variables."""

    def __init__(self, base_dir: Path) -> None:
        from hcl2.rules import containers, expressions, functions, literal_rules, strings

        self.base_dir = base_dir
        self.r_expr = expressions.ExprTermRule
        self.r_string = strings.StringRule
        self.r_interpolation = strings.InterpolationRule
        self.r_heredoc = strings.HeredocTemplateRule
        self.r_literal = (
            literal_rules.LiteralValueRule,
            literal_rules.IntLitRule,
            literal_rules.FloatLitRule,
        )
        self.r_object = containers.ObjectRule
        self.r_key_expression = containers.ObjectElemKeyExpressionRule
        self.r_tuple = containers.TupleRule
        self.r_call = functions.FunctionCallRule
        self.options = _options()

    def __call__(self, node: Any) -> object:
        if isinstance(node, self.r_expr):
            if getattr(node, "parentheses", False):
                return _UNKNOWN
            return self(node.expression)
        if isinstance(node, self.r_string):
            if any(
                isinstance(getattr(part, "content", part), self.r_interpolation)
                for part in node.string_parts
            ):
                return _UNKNOWN
            return _unescape_template(node.serialize(self.options))
        if isinstance(node, self.r_heredoc):
            return self.heredoc(node.heredoc.value)
        if isinstance(node, self.r_literal):
            try:
                return node.serialize(self.options)
            except ValueError:  # a number past Python's digit limit
                return _UNKNOWN
        if isinstance(node, self.r_object):
            result: dict[str, object] = {}
            for element in node.elements:
                if isinstance(element.key, self.r_key_expression):
                    return _UNKNOWN
                key = element.key.serialize(self.options)
                value = self(element.expression)
                if value is _UNKNOWN or not isinstance(key, str):
                    return _UNKNOWN
                result[key] = value
            return result
        if isinstance(node, self.r_tuple):
            items = [self(element) for element in node.elements]
            return _UNKNOWN if any(item is _UNKNOWN for item in items) else items
        if isinstance(node, self.r_call):
            return self.call(node)
        return _UNKNOWN

    def heredoc(self, raw: str) -> object:
        match = _HEREDOC.match(raw)
        if match is None:
            return _UNKNOWN
        trim, body = match.group(1), match.group(3)
        if _TEMPLATE_SEQUENCE.search(body):
            return _UNKNOWN
        lines = body.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if trim:
            indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
            cut = min(indents, default=0)
            lines = [line[cut:] for line in lines]
        text = "".join(line.rstrip("\r") + "\n" for line in lines)
        return _unescape_template(text)

    def call(self, node: Any) -> object:
        name = node.identifiers[-1].serialize(self.options)
        arguments = node.arguments.arguments if node.arguments is not None else []
        if len(arguments) != 1:
            return _UNKNOWN
        if name == "jsonencode":
            value = self(arguments[0])
            return _UNKNOWN if value is _UNKNOWN else jsonencode(value)
        if name == "file":
            return self.file(arguments[0])
        return _UNKNOWN

    def file(self, argument: Any) -> object:
        raw = argument.serialize(self.options)
        if not isinstance(raw, str):
            return _UNKNOWN
        raw = raw.replace("${path.module}", str(self.base_dir))
        if "${" in raw:
            return _UNKNOWN
        path = Path(raw)
        if not path.is_absolute():
            path = self.base_dir / path
        from ldkit.fs import FileRefused, read_text

        try:
            # Confined to the module's folder: a configuration from a pull
            # request cannot make ldkit read a file elsewhere on the machine.
            return read_text(path, root=self.base_dir, errors="strict")
        except FileRefused:
            return _UNKNOWN


def _unescape_template(text: str) -> str:
    return text.replace("$${", "${").replace("%%{", "%{")


def _position(node: Any) -> tuple[int, int]:
    meta = node.to_lark().meta
    return getattr(meta, "line", 1), getattr(meta, "column", 1)


class _Block:
    """One HCL block's attributes and nested blocks, with positions."""

    def __init__(self, node: Any, address: str, evaluate: _Evaluator) -> None:
        from hcl2.rules.base import AttributeRule, BlockRule

        self.address = address
        self.evaluate = evaluate
        line, column = _position(node)
        self.where = Where(line, column, address)
        self.attributes: dict[str, Any] = {}
        self.blocks: list[tuple[str, Any]] = []
        for item in node.body.children:
            if isinstance(item, AttributeRule):
                self.attributes[item.identifier.serialize(evaluate.options)] = item
            elif isinstance(item, BlockRule):
                self.blocks.append((item.labels[0].serialize(evaluate.options), item))

    def get(self, key: str) -> Field:
        attribute = self.attributes.get(key)
        if attribute is None:
            return Field(key, self.where)
        line, column = _position(attribute)
        where = Where(line, column, f"{self.address}.{key}")
        value = self.evaluate(attribute.expression)
        if value is _UNKNOWN:
            try:
                source = attribute.expression.serialize()
            except ValueError:  # a number past Python's digit limit inside it
                source = "an expression with a number too long to read"
            if isinstance(source, str) and source.startswith("${") and source.endswith("}"):
                source = source[2:-1]
            return Field(key, where, present=True, reference=str(source))
        if value is None:
            return Field(key, where)
        return Field(key, where, present=True, value=value)

    def children(self, name: str) -> list[_Block]:
        found = [node for label, node in self.blocks if label == name]
        return [
            _Block(
                node, f"{self.address}.{name}" + (f"[{i}]" if len(found) > 1 else ""), self.evaluate
            )
            for i, node in enumerate(found)
        ]

    def child(self, name: str) -> _Block | None:
        found = self.children(name)
        return found[0] if found else None


def _type_checked(block: _Block, key: str, kind: type, path: str, findings: list[Finding]) -> Field:
    field = block.get(key)
    if field.literal and not (
        isinstance(field.value, kind) and (kind is bool or not isinstance(field.value, bool))
    ):
        wanted = "a boolean" if kind is bool else "a string"
        findings.append(
            located(
                path,
                field.where.line,
                field.where.column,
                rules.WrongType,
                f"{key} must be {wanted}",
                field.where.pointer,
            )
        )
        return Field(key, field.where, present=True)
    return field


def _webhook_notification(block: _Block, label: str, path: str) -> Webhook:
    findings: list[Finding] = []

    def text(target: _Block, key: str) -> Field:
        return _type_checked(target, key, str, path, findings)

    def flag(target: _Block, key: str) -> Field:
        return _type_checked(target, key, bool, path, findings)

    headers: list[Header] = []
    for group in block.children("headers"):
        for header in group.children("header"):
            secret_value = text(header, "secret_value")
            headers.append(
                Header(
                    header.where,
                    text(header, "name"),
                    text(header, "value"),
                    Field(
                        "secret_value",
                        secret_value.where,
                        present=secret_value.present,
                        value=True if secret_value.present else None,
                    ),
                    secret_value,
                )
            )
    credentials = block.child("oauth_2_credentials")
    oauth = (
        OAuth(
            credentials.where,
            text(credentials, "access_token_url"),
            text(credentials, "client_id"),
            text(credentials, "client_secret"),
        )
        if credentials is not None
        else None
    )
    return Webhook(
        form=Form.TERRAFORM,
        label=label,
        where=block.where,
        name=text(block, "name"),
        enabled=flag(block, "active"),
        alerting_profile=text(block, "profile"),
        url=text(block, "url"),
        payload=text(block, "payload"),
        accept_any_certificate=flag(block, "insecure"),
        notify_closed_problems=flag(block, "notify_closed_problems"),
        notify_event_merges=flag(block, "notify_event_merges"),
        url_contains_secret=flag(block, "url_contains_secret"),
        secret_url=text(block, "secret_url"),
        headers=headers,
        use_oauth2=flag(block, "use_oauth_2"),
        oauth=oauth,
        findings=findings,
        path=path,
    )


def _classic_notification(block: _Block, label: str, path: str) -> Webhook | None:
    hook = block.child("web_hook")
    if hook is None:
        return None
    findings: list[Finding] = []

    def text(target: _Block, key: str) -> Field:
        return _type_checked(target, key, str, path, findings)

    def flag(target: _Block, key: str) -> Field:
        return _type_checked(target, key, bool, path, findings)

    headers = [
        Header(
            header.where,
            text(header, "name"),
            text(header, "value"),
            Field("secret", header.where),
            Field("secret_value", header.where),
        )
        for header in hook.children("header")
    ]
    return Webhook(
        form=Form.TERRAFORM,
        label=label,
        where=hook.where,
        name=text(hook, "name"),
        enabled=flag(hook, "active"),
        alerting_profile=text(hook, "alerting_profile"),
        url=text(hook, "url"),
        payload=text(hook, "payload"),
        accept_any_certificate=flag(hook, "accept_any_certificate"),
        notify_closed_problems=None,
        notify_event_merges=flag(hook, "notify_event_merges"),
        headers=headers,
        findings=findings,
        path=path,
        classic_model=True,
    )


def read(path: str, text: str) -> ConfigFile:
    """The webhook notifications of one `.tf` file. A syntax error is an
    LD700 finding at the parser's position; a missing extra is a ReadError."""
    _hcl2()  # a clear error without the extra
    result = ConfigFile(path, text, Form.TERRAFORM)
    try:
        tree = _parses(text)
    except Exception as exc:  # noqa: BLE001 - lark raises several error types
        line = getattr(exc, "line", 1) or 1
        column = getattr(exc, "column", 1) or 1
        token = str(getattr(exc, "token", "") or "").strip()
        first = f"unexpected {token!r}" if token else str(exc).split("\n", 1)[0]
        result.findings.append(
            located(
                path,
                max(line, 1),
                max(column, 1),
                rules.NotAWebhook,
                f"not valid HCL: {first}",
            )
        )
        return result
    from hcl2.rules.base import BlockRule

    module = Path(path).resolve().parent
    evaluate = _Evaluator(module)
    options = evaluate.options
    for node in tree.body.children:
        if not isinstance(node, BlockRule):
            continue
        labels = [label.serialize(options) for label in node.labels]
        if len(labels) != 3 or labels[0] != "resource":
            continue
        kind, name = labels[1], labels[2]
        address = f"{kind}.{name}"
        if kind == WEBHOOK_RESOURCE:
            result.webhooks.append(
                _webhook_notification(_Block(node, address, evaluate), address, path)
            )
        elif kind == CLASSIC_RESOURCE:
            block = _Block(node, address, evaluate)
            hook = _classic_notification(block, address, path)
            if hook is not None:
                result.webhooks.append(hook)
    if result.webhooks:
        variables = _module_variables(module, path, tree)
        for hook in result.webhooks:
            hook.findings.extend(_insensitive_secrets(hook, variables))
    return result


def _variables(tree: Any) -> dict[str, bool]:
    """name -> declared `sensitive = true`, for the `variable` blocks of a file."""
    from hcl2.rules.base import AttributeRule, BlockRule

    options = _options()
    found: dict[str, bool] = {}
    for node in tree.body.children:
        if not isinstance(node, BlockRule):
            continue
        labels = [label.serialize(options) for label in node.labels]
        if len(labels) != 2 or labels[0] != "variable":
            continue
        sensitive = False
        for item in node.body.children:
            if (
                isinstance(item, AttributeRule)
                and item.identifier.serialize(options) == "sensitive"
            ):
                sensitive = item.expression.serialize(options) is True
        found[labels[1]] = sensitive
    return found


def _module_variables(module: Path, path: str, tree: Any) -> dict[str, bool]:
    """The variables declared in the module (every `.tf` file of its folder);
    files that do not parse declare nothing."""
    from ldkit.fs import read_text

    variables: dict[str, bool] = {}
    this = Path(path).resolve()
    for other in sorted(module.glob("*.tf")):
        if other.resolve() == this:
            variables.update(_variables(tree))
            continue
        try:
            text = read_text(other, root=module, errors="strict")
            variables.update(_variables(_parses(text)))
        except Exception:  # noqa: BLE001 - another file's problems are not this check's
            continue
    return variables


_VARIABLE = re.compile(r"\Avar\.([A-Za-z_][A-Za-z0-9_-]*)\Z")


def _insensitive_secrets(hook: Webhook, variables: dict[str, bool]) -> list[Finding]:
    """A secret taken from a variable the module does not declare sensitive:
    Terraform prints its value in plans and logs."""
    from ldkit.dynatrace.config.checks import CREDENTIAL_HEADER

    secrets: list[Field] = [hook.effective_url()]
    for header in hook.headers:
        secrets.append(header.secret_value)
        if CREDENTIAL_HEADER.search(header.name.text() or ""):
            secrets.append(header.value)
    if hook.oauth is not None:
        secrets.append(hook.oauth.client_secret)
    findings: list[Finding] = []
    for field in secrets:
        match = _VARIABLE.match(field.reference or "")
        if match is None or variables.get(match.group(1), True):
            continue
        findings.append(
            finding(
                hook.path,
                field.where,
                rules.PlainTextSecret,
                f"{field.key} comes from var.{match.group(1)}, which is not declared "
                "sensitive: Terraform prints its value in plans and logs; add "
                f'sensitive = true to variable "{match.group(1)}"',
            )
        )
    return findings


#: The pieces the workflow reader (`ldkit.dynatrace.workflow.readers`) shares:
#: one HCL parser, one evaluator of what Terraform knows without state.
hcl2_module = _hcl2
Evaluator = _Evaluator
Block = _Block
UNKNOWN = _UNKNOWN
