"""Edits the server offers: formatting as `ldkit format` does it, and code actions
whose fix is unambiguous."""

from __future__ import annotations

import json
import re
from pathlib import Path

from lsprotocol import types

from ldkit.lsp import positions


def formatted_edits(path: Path, text: str, encoding: str) -> list[types.TextEdit] | None:
    """The edit that turns `text` into the bytes `ldkit format` writes for
    `path`: none when it is already formatted, None when `ldkit format` would
    leave it alone (a file `.prettierignore` names, or text that is not JSON)."""
    import os

    from ldkit.format import JsonSyntaxError, format_json
    from ldkit.format.files import IgnoreRules

    cwd = Path.cwd()
    relative = os.path.relpath(os.path.abspath(path), cwd)
    if not relative.startswith("..") and IgnoreRules.for_directory(cwd).ignores(
        Path(relative).as_posix()
    ):
        return None
    try:
        formatted = format_json(text, path.name)
    except JsonSyntaxError:
        return None
    if formatted == text:
        return []
    return [types.TextEdit(range=positions.whole(text, encoding), new_text=formatted)]


# -- code actions ---------------------------------------------------------------

_DID_YOU_MEAN = re.compile(r'did you mean ("(?:[^"\\]|\\.)*")\?')
_PLACEHOLDER_GUESS = re.compile(r"did you mean (\{[A-Za-z_][A-Za-z0-9_]*\})")


def code_actions(
    path: Path,
    text: str,
    diagnostics: list[types.Diagnostic],
    uri: str,
    encoding: str,
) -> list[types.CodeAction]:
    """Quick fixes for the diagnostics at the cursor, each one unambiguous."""
    actions: list[types.CodeAction] = []
    for diagnostic in diagnostics:
        if diagnostic.source != "ldkit" or not diagnostic.code:
            continue
        fix = _fix(text, diagnostic, encoding)
        if fix is not None:
            title, edit = fix
            actions.append(_action(title, uri, [edit], diagnostic, preferred=True))
        ignore = per_path_ignore(path, str(diagnostic.code))
        if ignore is not None:
            title, change = ignore
            actions.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=change,
                )
            )
    return actions


def _action(
    title: str,
    uri: str,
    edits: list[types.TextEdit],
    diagnostic: types.Diagnostic,
    *,
    preferred: bool,
) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=preferred,
        edit=types.WorkspaceEdit(changes={uri: edits}),
    )


def _string_at(text: str, diagnostic: types.Diagnostic, encoding: str) -> tuple[int, int] | None:
    """The offsets of the JSON string the diagnostic starts on (quotes included)."""
    start = positions.offset_at(text, diagnostic.range.start, encoding)
    if not text.startswith('"', start):
        return None
    index = start + 1
    while index < len(text) and text[index] not in '"\n':
        index += 2 if text[index] == "\\" else 1
    if not text.startswith('"', index):
        return None
    return start, index + 1


def _replace(text: str, start: int, end: int, new: str, encoding: str) -> types.TextEdit:
    return types.TextEdit(
        range=types.Range(
            start=positions.position_at(text, start, encoding),
            end=positions.position_at(text, end, encoding),
        ),
        new_text=new,
    )


def _fix(
    text: str, diagnostic: types.Diagnostic, encoding: str
) -> tuple[str, types.TextEdit] | None:
    from ldkit.dynatrace.rules import TextPlaceholderUnquoted, UnknownPlaceholder
    from ldkit.rules.pointers import TriggerParserPointer, suggest

    code = str(diagnostic.code)
    if code == TextPlaceholderUnquoted.id:
        return _quote_placeholder(text, diagnostic, encoding)
    if code == UnknownPlaceholder.id:
        guess = _PLACEHOLDER_GUESS.search(diagnostic.message)
        token = _placeholder_at(text, diagnostic, encoding)
        if guess and token:
            start, end = token
            return f"Replace with {guess.group(1)}", _replace(
                text, start, end, guess.group(1), encoding
            )
        return None
    span = _string_at(text, diagnostic, encoding)
    if span is None:
        return None
    start, end = span
    if code == TriggerParserPointer.id:
        try:
            current = json.loads(text[start:end])
        except ValueError:
            return None
        if not isinstance(current, str):
            return None
        better = suggest(current)
        if better == current:
            return None
        return f"Write the JSON pointer {better!r}", _replace(
            text, start, end, json.dumps(better, ensure_ascii=False), encoding
        )
    match = _DID_YOU_MEAN.search(diagnostic.message)
    if match is None:
        return None
    try:
        suggestion = json.loads(match.group(1))
    except ValueError:
        return None
    return f"Change to {match.group(1)}", _replace(
        text, start, end, json.dumps(suggestion, ensure_ascii=False), encoding
    )


def _placeholder_at(
    text: str, diagnostic: types.Diagnostic, encoding: str
) -> tuple[int, int] | None:
    from ldkit.dynatrace.placeholders import TOKEN

    start = positions.offset_at(text, diagnostic.range.start, encoding)
    match = TOKEN.match(text, start)
    return (match.start(), match.end()) if match else None


def _quote_placeholder(
    text: str, diagnostic: types.Diagnostic, encoding: str
) -> tuple[str, types.TextEdit] | None:
    token = _placeholder_at(text, diagnostic, encoding)
    if token is None:
        return None
    start, end = token
    return f"Put {text[start:end]} in double quotes", _replace(
        text, start, end, f'"{text[start:end]}"', encoding
    )


def per_path_ignore(path: Path, rule: str) -> tuple[str, types.WorkspaceEdit] | None:
    """An edit that adds `rule` to the per-path ignores of `path` in the
    configuration `ldkit validate` reads for it (a new `.ldkit.toml` in the
    working directory when there is none). None when the file already has an
    entry for the path (merging lists is for a person to decide)."""
    import os

    from pygls.uris import from_fs_path

    from ldkit.config import CONFIG_NAME, PYPROJECT, find_config
    from ldkit.fs import FileRefused, read_text

    source = find_config(path)
    folder = source.resolve().parent if source is not None else Path.cwd()
    relative = Path(os.path.relpath(os.path.abspath(path), folder)).as_posix()
    if relative.startswith(".."):
        return None
    key = json.dumps(relative)
    entry = f"{key} = [{json.dumps(rule)}]\n"
    title = f"Ignore {rule} in {relative} ({source.name if source else CONFIG_NAME})"
    if source is None:
        target = folder / CONFIG_NAME
        uri = from_fs_path(str(target))
        return title, types.WorkspaceEdit(
            document_changes=[
                types.CreateFile(uri=uri, options=types.CreateFileOptions(ignore_if_exists=True)),
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=uri, version=None
                    ),
                    edits=[
                        types.TextEdit(
                            range=types.Range(
                                start=types.Position(line=0, character=0),
                                end=types.Position(line=0, character=0),
                            ),
                            new_text="[per-path-ignores]\n" + entry,
                        )
                    ],
                ),
            ]
        )
    try:
        content = read_text(source, root=source.parent)
    except FileRefused:
        return None
    header = "[tool.ldkit.per-path-ignores]" if source.name == PYPROJECT else "[per-path-ignores]"
    lines = content.split("\n")
    uri = from_fs_path(str(source.resolve()))
    if any(line.strip().startswith(key) for line in lines):
        return None
    for number, line in enumerate(lines):
        if line.strip() == header:
            at = types.Position(line=number + 1, character=0)
            return title, types.WorkspaceEdit(
                changes={uri: [types.TextEdit(range=types.Range(start=at, end=at), new_text=entry)]}
            )
    end = positions.position_at(content, len(content))
    prefix = "" if content.endswith("\n") or not content else "\n"
    return title, types.WorkspaceEdit(
        changes={
            uri: [
                types.TextEdit(
                    range=types.Range(start=end, end=end),
                    new_text=f"{prefix}\n{header}\n{entry}",
                )
            ]
        }
    )
