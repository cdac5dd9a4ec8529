"""Lays a doc out in a given width, the way prettier 2.2.1's doc printer does.

The algorithm is prettier's `printDocToString`: a stack of (indentation, mode,
doc) commands, where a group met in break mode is tried flat first and kept
flat when its flat text, plus whatever follows it up to the next possible line
break, fits in the columns left on the line (`_fits`). Lines in a broken
context become a newline plus indentation, with trailing spaces trimmed.

Two shortcuts keep it cheap without changing a byte: a group that is not
broken contains no hard line, so its flat form is one cached string (measured
once, printed at once), and `_fits` counts such a group by that string.
"""

from __future__ import annotations

from ldkit.format.doc import Doc, Group, Indent
from ldkit.format.width import string_width

PRINT_WIDTH = 80
TAB_WIDTH = 2

_BREAK = True
_FLAT = False

_Command = tuple[int, bool, Doc]


def _fits(next_command: _Command, rest: list[_Command], width: int) -> bool:
    """Whether `next_command` (flat) and what follows it fit in `width` columns."""
    rest_index = len(rest)
    commands: list[_Command] = [next_command]
    pop = commands.pop
    push = commands.append
    while width >= 0:
        if not commands:
            if rest_index == 0:
                return True
            rest_index -= 1
            push(rest[rest_index])
            continue
        indent, mode, doc = pop()
        kind = type(doc)
        if kind is str:
            width -= string_width(doc)  # type: ignore[arg-type]
        elif kind is list:
            for part in reversed(doc):  # type: ignore[arg-type]
                push((indent, mode, part))
        elif kind is Group:
            if doc.broken:  # type: ignore[union-attr]
                push((indent, _BREAK, doc.contents))  # type: ignore[union-attr]
            elif mode is _FLAT:
                width -= doc.flat_width()  # type: ignore[union-attr]
            else:
                push((indent, mode, doc.contents))  # type: ignore[union-attr]
        elif kind is Indent:
            push((indent + TAB_WIDTH, mode, doc.contents))  # type: ignore[union-attr]
        else:
            if mode is _BREAK or doc.hard:  # type: ignore[union-attr]
                return True
            if not doc.soft:  # type: ignore[union-attr]
                width -= 1
    return False


def _trim(out: list[str]) -> int:
    """Drop trailing spaces and tabs from the output; return how many."""
    trimmed = 0
    while out:
        last = out[-1]
        stripped = last.rstrip(" \t")
        trimmed += len(last) - len(stripped)
        if stripped:
            out[-1] = stripped
            break
        out.pop()
    return trimmed


def print_doc(doc: Doc, width: int = PRINT_WIDTH) -> str:
    """The text of `doc` laid out in `width` columns, with LF line breaks."""
    position = 0
    out: list[str] = []
    commands: list[_Command] = [(0, _BREAK, doc)]
    pop = commands.pop
    push = commands.append
    emit = out.append
    while commands:
        indent, mode, doc = pop()
        kind = type(doc)
        if kind is str:
            emit(doc)  # type: ignore[arg-type]
            if doc.isascii() and doc.isprintable():  # type: ignore[union-attr]
                position += len(doc)  # type: ignore[arg-type]
            else:
                position += string_width(doc)  # type: ignore[arg-type]
        elif kind is list:
            for part in reversed(doc):  # type: ignore[arg-type]
                push((indent, mode, part))
        elif kind is Group:
            if doc.broken:  # type: ignore[union-attr]
                push((indent, _BREAK, doc.contents))  # type: ignore[union-attr]
            elif mode is _FLAT or _fits((indent, _FLAT, doc), commands, width - position):
                emit(doc.flat())  # type: ignore[union-attr]
                position += doc.flat_width()  # type: ignore[union-attr]
            else:
                push((indent, _BREAK, doc.contents))  # type: ignore[union-attr]
        elif kind is Indent:
            push((indent + TAB_WIDTH, mode, doc.contents))  # type: ignore[union-attr]
        elif mode is _FLAT and not doc.hard:  # type: ignore[union-attr]
            if not doc.soft:  # type: ignore[union-attr]
                emit(" ")
                position += 1
        else:
            if out and out[-1][-1:] in (" ", "\t"):
                _trim(out)
            emit("\n" + " " * indent)
            position = indent
    return "".join(out)
