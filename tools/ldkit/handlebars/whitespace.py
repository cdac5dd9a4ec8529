"""Whitespace control after parsing, mirroring Handlebars.js 4.7's
`WhitespaceControl` visitor: `~` strips whitespace beside a tag, and a block
tag alone on its line takes the line with it ("standalone"), so rendered
output matches Handlebars byte for byte."""

from __future__ import annotations

import re

from ldkit.handlebars.nodes import Block, Comment, Content, Mustache, Node, Partial, Program, Strip

# `\Z`, not `$`: JavaScript's `$` never matches before a final newline.

_PREV_WS = re.compile(r"\r?\n\s*?\Z")
_PREV_WS_ROOT = re.compile(r"(^|\r?\n)\s*?\Z")
_NEXT_WS = re.compile(r"^\s*?\r?\n")
_NEXT_WS_ROOT = re.compile(r"^\s*?(\r?\n|\Z)")
_LEAD_ALL = re.compile(r"^\s+")
_LEAD_LINE = re.compile(r"^[ \t]*\r?\n?")
_TRAIL_ALL = re.compile(r"\s+\Z")
_TRAIL_LINE = re.compile(r"[ \t]+\Z")


def _prev_ws(body: list[Node], i: int | None = None, is_root: bool = False) -> bool | None:
    if i is None:
        i = len(body)
    prev = body[i - 1] if i - 1 >= 0 else None
    sibling = body[i - 2] if i - 2 >= 0 else None
    if prev is None:
        return is_root
    if isinstance(prev, Content):
        pattern = _PREV_WS if (sibling is not None or not is_root) else _PREV_WS_ROOT
        return bool(pattern.search(prev.original))
    return None


def _next_ws(body: list[Node], i: int | None = None, is_root: bool = False) -> bool | None:
    if i is None:
        i = -1
    nxt = body[i + 1] if i + 1 < len(body) else None
    sibling = body[i + 2] if i + 2 < len(body) else None
    if nxt is None:
        return is_root
    if isinstance(nxt, Content):
        pattern = _NEXT_WS if (sibling is not None or not is_root) else _NEXT_WS_ROOT
        return bool(pattern.search(nxt.original))
    return None


def _omit_right(body: list[Node], i: int | None = None, multiple: bool = False) -> None:
    index = 0 if i is None else i + 1
    current = body[index] if 0 <= index < len(body) else None
    if not isinstance(current, Content) or (not multiple and current.right_stripped):
        return
    original = current.value
    current.value = (_LEAD_ALL if multiple else _LEAD_LINE).sub("", current.value, count=1)
    current.right_stripped = current.value != original


def _omit_left(body: list[Node], i: int | None = None, multiple: bool = False) -> bool:
    index = len(body) - 1 if i is None else i - 1
    current = body[index] if 0 <= index < len(body) else None
    if not isinstance(current, Content) or (not multiple and current.left_stripped):
        return False
    original = current.value
    current.value = (_TRAIL_ALL if multiple else _TRAIL_LINE).sub("", current.value, count=1)
    current.left_stripped = current.value != original
    return current.left_stripped


class WhitespaceControl:
    def program(self, program: Program, is_root: bool = False) -> None:
        body = program.body
        for i, current in enumerate(body):
            strip = self.accept(current)
            if not strip:
                continue
            prev_ws = _prev_ws(body, i, is_root)
            next_ws = _next_ws(body, i, is_root)
            open_standalone = strip.get("openStandalone") and prev_ws
            close_standalone = strip.get("closeStandalone") and next_ws
            inline_standalone = strip.get("inlineStandalone") and prev_ws and next_ws
            if strip.get("close"):
                _omit_right(body, i, True)
            if strip.get("open"):
                _omit_left(body, i, True)
            if inline_standalone:
                _omit_right(body, i)
                _omit_left(body, i)
            if open_standalone and isinstance(current, Block):
                target = current.program or current.inverse
                if target is not None:
                    _omit_right(target.body)
                _omit_left(body, i)
            if close_standalone and isinstance(current, Block):
                _omit_right(body, i)
                target = current.inverse or current.program
                if target is not None:
                    _omit_left(target.body)

    def accept(self, node: Node) -> dict[str, object] | None:
        if isinstance(node, Mustache):
            return {"open": node.strip.open, "close": node.strip.close}
        if isinstance(node, (Comment, Partial)):
            return {"inlineStandalone": True, "open": node.strip.open, "close": node.strip.close}
        if isinstance(node, Block):
            return self.block(node)
        return None

    def block(self, block: Block) -> dict[str, object]:
        if block.program is not None:
            self.program(block.program)
        if block.inverse is not None:
            self.program(block.inverse)
        program = block.program or block.inverse
        assert program is not None
        inverse = block.inverse if block.program is not None else None
        first_inverse = last_inverse = inverse
        if inverse is not None and inverse.chained:
            first_block = inverse.body[0]
            assert isinstance(first_block, Block)
            first_inverse = first_block.program
            while last_inverse is not None and last_inverse.chained:
                tail = last_inverse.body[-1]
                assert isinstance(tail, Block)
                last_inverse = tail.program
        strip = {
            "open": block.open_strip.open,
            "close": block.close_strip.close,
            "openStandalone": _next_ws(program.body),
            "closeStandalone": _prev_ws((first_inverse or program).body),
        }
        if block.open_strip.close:
            _omit_right(program.body, None, True)
        if inverse is not None:
            inverse_strip = block.inverse_strip or Strip()
            if inverse_strip.open:
                _omit_left(program.body, None, True)
            if inverse_strip.close and first_inverse is not None:
                _omit_right(first_inverse.body, None, True)
            if block.close_strip.open and last_inverse is not None:
                _omit_left(last_inverse.body, None, True)
            if (
                first_inverse is not None
                and _prev_ws(program.body)
                and _next_ws(first_inverse.body)
            ):
                _omit_left(program.body)
                _omit_right(first_inverse.body)
        elif block.close_strip.open:
            _omit_left(program.body, None, True)
        return strip
