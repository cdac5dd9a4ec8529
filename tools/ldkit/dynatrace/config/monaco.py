"""Read a Monaco project configuration: a `config.yaml` whose `configs` of
type `settings` with schema `builtin:problem.notifications` point at a JSON
template holding the Settings 2.0 `value`.

The template is read as Settings JSON. A field written as a Go template action
on a parameter (`"{{ .triggerUrl }}"`) is a deploy-time reference when the
parameter comes from the environment, a reference or a file, and takes the
parameter's literal value (positioned at the parameter in config.yaml) when it
is a plain `value` parameter, because that literal is what is committed.
YAML positions come from PyYAML's node marks (the `dynatrace` extra).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ldkit.dynatrace.config import rules, settings
from ldkit.dynatrace.config.jsonfields import JsonObject
from ldkit.dynatrace.config.model import (
    ConfigFile,
    Field,
    Form,
    ReadError,
    Webhook,
    Where,
    located,
)
from ldkit.fs import FileRefused, read_bytes
from ldkit.load.jsonpos import load_bytes

EXTRA = "dynatrace"
_ACTION = re.compile(r"\A\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}\Z")


def _yaml() -> Any:
    try:
        import yaml
    except ImportError:
        raise ReadError(
            f"reading a Monaco project needs PyYAML: pip install 'ld-integration-kit[{EXTRA}]'"
        ) from None
    return yaml


def is_monaco(path: str) -> bool:
    return path.endswith((".yaml", ".yml"))


class _Node:
    """A YAML node with its position; mappings give their children by key."""

    def __init__(self, node: Any, pointer: str) -> None:
        self.node = node
        self.pointer = pointer
        self.where = Where(node.start_mark.line + 1, node.start_mark.column + 1, pointer)

    def get(self, key: str) -> _Node | None:
        from yaml import MappingNode

        if not isinstance(self.node, MappingNode):
            return None
        for k, v in self.node.value:
            if getattr(k, "value", None) == key:
                return _Node(v, f"{self.pointer}/{key}")
        return None

    def items(self) -> list[_Node]:
        from yaml import SequenceNode

        if not isinstance(self.node, SequenceNode):
            return []
        return [_Node(v, f"{self.pointer}/{i}") for i, v in enumerate(self.node.value)]

    def keys(self) -> list[str]:
        from yaml import MappingNode

        if not isinstance(self.node, MappingNode):
            return []
        return [str(k.value) for k, _ in self.node.value]

    def scalar(self) -> str | None:
        from yaml import ScalarNode

        return str(self.node.value) if isinstance(self.node, ScalarNode) else None


def _schema(entry: _Node) -> str | None:
    kind = entry.get("type")
    if kind is None:
        return None
    target = kind.get("settings")
    schema = target.get("schema") if target is not None else None
    return schema.scalar() if schema is not None else None


def _parameters(config: _Node | None) -> dict[str, tuple[str | None, Where, bool]]:
    """name -> (literal value or None, where, literal?) of each parameter."""
    found: dict[str, tuple[str | None, Where, bool]] = {}
    name = config.get("name") if config is not None else None
    if name is not None and name.scalar() is not None:
        # Monaco templates refer to the config's name as {{ .name }}.
        found["name"] = (name.scalar(), name.where, True)
    params = config.get("parameters") if config is not None else None
    if params is None:
        return found
    for name in params.keys():
        node = params.get(name)
        if node is None:
            continue
        scalar = node.scalar()
        if scalar is not None:
            found[name] = (scalar, node.where, True)
            continue
        kind = node.get("type")
        kind_name = kind.scalar() if kind is not None else None
        value = node.get("value")
        if kind_name == "value" and value is not None and value.scalar() is not None:
            found[name] = (value.scalar(), value.where, True)
        else:
            found[name] = (None, node.where, False)
    return found


def _resolve(field: Field | None, params: dict, config_path: str) -> Field | None:
    if field is None or field.reference is None:
        return field
    match = _ACTION.match(field.reference)
    if match is None or match.group(1) not in params:
        return field
    value, where, literal = params[match.group(1)]
    if not literal:
        return field
    return Field(field.key, replace(where, path=config_path), present=True, value=value)


def _apply(hook: Webhook, params: dict, config_path: str) -> Webhook:
    for name in ("url", "secret_url", "alerting_profile", "payload", "name"):
        setattr(hook, name, _resolve(getattr(hook, name), params, config_path))
    hook.headers = [
        replace(
            header,
            value=_resolve(header.value, params, config_path),
            secret_value=_resolve(header.secret_value, params, config_path),
        )
        for header in hook.headers
    ]
    if hook.oauth is not None:
        hook.oauth = replace(
            hook.oauth, client_secret=_resolve(hook.oauth.client_secret, params, config_path)
        )
    return hook


def read(path: str, text: str) -> ConfigFile:
    yaml = _yaml()
    result = ConfigFile(path, text, Form.MONACO)
    try:
        root = yaml.compose(text)
    except RecursionError:
        result.findings.append(
            located(path, 1, 1, rules.NotAWebhook, "not usable YAML: nested too deeply")
        )
        return result
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc).split("\n", 1)[0]
        result.findings.append(
            located(
                path,
                line,
                column,
                rules.NotAWebhook,
                f"not valid YAML: {problem}",
            )
        )
        return result
    configs = _Node(root, "").get("configs") if root is not None else None
    entries = configs.items() if configs is not None else []
    for entry in entries:
        if _schema(entry) != settings.SCHEMA_ID:
            continue
        ident = entry.get("id")
        label = f"config {ident.scalar() if ident is not None else '?'}"
        config = entry.get("config")
        template = config.get("template") if config is not None else None
        name = template.scalar() if template is not None else None
        if name is None:
            where = (config or entry).where
            result.findings.append(
                located(
                    path,
                    where.line,
                    where.column,
                    rules.RequiredField,
                    f"{label} has no config.template; Monaco needs the JSON template of the "
                    "settings value",
                    where.pointer,
                )
            )
            continue
        template_path = str(Path(path).parent / name)
        try:
            # Confined to the config's folder, as Monaco resolves it.
            data = read_bytes(template_path, root=Path(path).parent)
        except FileRefused as exc:
            where = template.where
            result.findings.append(
                located(
                    path,
                    where.line,
                    where.column,
                    rules.RequiredField,
                    f"{label}: cannot read its template {name}: {exc.detail}",
                    where.pointer,
                )
            )
            continue
        loaded = load_bytes(data, template_path)
        result.sources[template_path] = loaded.document.text
        result.findings.extend(loaded.findings)
        if not loaded.ok:
            continue
        obj = JsonObject(loaded.document, "", result.findings)
        hook = settings.read_value(obj, label, Form.MONACO)
        if hook is not None:
            result.webhooks.append(_apply(hook, _parameters(config), path))
    if not result.webhooks and not result.findings:
        result.findings.append(
            located(
                path,
                1,
                1,
                rules.NotAWebhook,
                f"no config of type settings with schema {settings.SCHEMA_ID} and a "
                "webhook value in this file",
                "",
            )
        )
    return result
