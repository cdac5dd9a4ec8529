"""Parse Handlebars source into a small AST, the way Handlebars.js 4.7 does.

The grammar covered is the subset integration templates use: content,
mustaches (`{{x}}`, `{{{x}}}`, `{{&x}}`), comments, blocks with `{{else}}`,
`{{^}}` and `{{else if ...}}` chains, inverse sections, paths, literals,
helper parameters, hash arguments, subexpressions and block parameters.
Partials are parsed (upstream only fails when one is rendered); raw blocks
(`{{{{raw}}}}...{{{{/raw}}}}`) become blocks whose body is text, as in
Handlebars; decorators are rejected as unsupported. Whitespace between tokens
is JavaScript's whitespace, as in Handlebars' lexer. The nodes are in
`nodes.py`; after parsing, the whitespace-control pass (`whitespace.py`: `~`
and standalone lines) runs exactly like Handlebars' own, so rendered output
matches byte for byte.
"""

from __future__ import annotations

import re

from ldkit.handlebars.errors import TemplateSyntaxError
from ldkit.handlebars.nodes import (
    Block,
    Comment,
    Content,
    Literal,
    Mustache,
    Node,
    Partial,
    Path,
    Program,
    Strip,
    SubExpression,
)
from ldkit.handlebars.whitespace import WhitespaceControl
from ldkit.javascript import JS_WHITESPACE

# --- Lexing helpers ---------------------------------------------------------

# Handlebars' lexer is JavaScript: `\s` there is JavaScript's whitespace, which
# differs from Python's (U+FEFF is whitespace, U+001C-U+001F and U+0085 are not).
_S = f"[{JS_WHITESPACE}]"
_NOT_S = f"[^{JS_WHITESPACE}"
_ID = re.compile(_NOT_S + r"!\"#%-,\.\/;->@\[-\^`\{-~]+(?=[=~}" + JS_WHITESPACE + r"\/.)|])")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?=[~}" + JS_WHITESPACE + r")])")
_KEYWORD = re.compile(r"(true|false|undefined|null)(?=[~}" + JS_WHITESPACE + r")])")
_DOTS = re.compile(r"\.\.|\.(?=[=~}" + JS_WHITESPACE + r"\/.)|])")
_SEGMENT = re.compile(r"\[(?:\\\]|[^\]])*\]")
_WS = re.compile(_S + "*")
_CLOSE = re.compile(r"(~?)\}\}")
_TRIPLE_CLOSE = re.compile(r"\}(~?)\}\}")
_ELSE = re.compile(_S + "*else" + _S + r"*(~?)\}\}")
_ELSE_CHAIN = re.compile(_S + "*else(?=" + _S + ")")
_INVERSE_ALONE = re.compile(r"\^" + _S + r"*(~?)\}\}")
_BLOCK_PARAMS = re.compile("as" + _S + r"+\|")
#: The end of a raw block: `{{{{/name}}}}`, nothing else inside.
_RAW_CLOSE = re.compile(r"\{\{\{\{/(" + _NOT_S + r"!\"#%-,\.\/;->@\[-\^`\{-~]+)\}\}\}\}")
_LITERALS = {"true": True, "false": False, "null": None}


class _Tag:
    """One `{{...}}` tag as the body parser sees it."""

    __slots__ = ("kind", "offset", "strip", "path", "sexpr", "block_params", "inverted", "node")

    def __init__(
        self,
        kind: str,  # "block", "node", "else", "chain", "close" or "eof"
        offset: int,
        strip: Strip | None = None,
        *,
        path: Path | None = None,
        sexpr: SubExpression | None = None,
        block_params: list[str] | None = None,
        inverted: bool = False,
        node: Node | None = None,
    ) -> None:
        self.kind = kind
        self.offset = offset
        self.strip = strip or Strip()
        self.path = path
        self.sexpr = sexpr
        self.block_params = block_params or []
        self.inverted = inverted
        self.node = node


#: Deeper nesting than any real template, shallow enough for Python's recursion limit.
MAX_NESTING = 64


class Parser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.depth = 0

    # errors ----------------------------------------------------------------

    def error(self, message: str, offset: int | None = None) -> TemplateSyntaxError:
        return TemplateSyntaxError(message, self.pos if offset is None else offset, self.src)

    # top level -------------------------------------------------------------

    def parse(self) -> Program:
        body, tag = self._body()
        if tag.kind != "eof":
            what = {"else": "{{else}}", "chain": "{{else ...}}", "close": "closing tag"}[tag.kind]
            name = f" {{{{/{tag.path.original}}}}}" if tag.kind == "close" and tag.path else ""
            raise self.error(f"unexpected {what}{name} with no open block", tag.offset)
        program = Program(body)
        WhitespaceControl().program(program, is_root=True)
        return program

    def _body(self) -> tuple[list[Node], _Tag]:
        """Statements up to the next `{{else}}`, `{{^}}`, `{{/...}}` or the end."""
        body: list[Node] = []
        while True:
            start = self.pos
            content, tag_start = self._content()
            if content:
                body.append(Content(start, content, content))
            if tag_start is None:
                return body, _Tag("eof", len(self.src))
            tag = self._tag(tag_start)
            if tag.kind in ("else", "chain", "close"):
                return body, tag
            if tag.kind == "block":
                block, close = self._block(tag)
                self._check_close(tag, close)
                body.append(block)
            elif tag.node is not None:
                body.append(tag.node)

    def _content(self) -> tuple[str, int | None]:
        """Text up to the next mustache, honouring `\\{{` (literal) and `\\\\{{`."""
        parts: list[str] = []
        while True:
            index = self.src.find("{{", self.pos)
            if index < 0:
                parts.append(self.src[self.pos :])
                self.pos = len(self.src)
                return "".join(parts), None
            if index > self.pos and self.src[index - 1] == "\\":
                if index - 1 > self.pos and self.src[index - 2] == "\\":
                    # `\\{{x}}`: one literal backslash, then a real mustache.
                    parts.append(self.src[self.pos : index - 1])
                    self.pos = index
                    return "".join(parts), index
                # `\{{x}}`: the mustache is literal text, up to the next `{{`.
                parts.append(self.src[self.pos : index - 1])
                following = self.src.find("{{", index + 2)
                stop = len(self.src) if following < 0 else following
                if following > 0 and self.src[following - 1] == "\\":
                    stop = following - 1
                parts.append(self.src[index:stop])
                self.pos = stop
                continue
            parts.append(self.src[self.pos : index])
            self.pos = index
            return "".join(parts), index

    # tags --------------------------------------------------------------------

    def _tag(self, start: int) -> _Tag:
        src = self.src
        if src.startswith("{{{{", start):
            return self._raw_block(start)
        if src.find("}}", start + 2) < 0:
            raise self.error("'{{' is never closed: add the matching '}}'", start)
        pos = start + 2
        open_strip = src.startswith("~", pos)
        if open_strip:
            pos += 1
        self.pos = pos
        char = src[pos : pos + 1]
        if char == "!":
            return self._comment(start, open_strip)
        if char == ">":
            return self._partial(start, open_strip)
        if char == "*" or src.startswith("#*", pos) or src.startswith("#>", pos):
            raise self.error("partial blocks and decorators are not supported", start)
        if char == "#":
            self.pos = pos + 1
            return self._open_block(start, open_strip, inverted=False)
        if char == "/":
            self.pos = pos + 1
            path = self._path_or_literal_name()
            self._skip_ws()
            close = self._expect_close()
            return _Tag("close", start, Strip(open_strip, close), path=path)
        if char == "^":
            alone = _INVERSE_ALONE.match(src, pos)
            if alone:
                self.pos = alone.end()
                return _Tag("else", start, Strip(open_strip, bool(alone.group(1))))
            self.pos = pos + 1
            return self._open_block(start, open_strip, inverted=True)
        match = _ELSE.match(src, pos)
        if match:
            self.pos = match.end()
            return _Tag("else", start, Strip(open_strip, bool(match.group(1))))
        match = _ELSE_CHAIN.match(src, pos)
        if match:
            self.pos = match.end()
            tag = self._open_block(start, open_strip, inverted=False)
            tag.kind = "chain"
            return tag
        if char == "{":
            self.pos = pos + 1
            sexpr = self._sexpr(start)
            self._skip_ws()
            match = _TRIPLE_CLOSE.match(src, self.pos)
            if not match:
                raise self.error("expected '}}}' to close '{{{'")
            self.pos = match.end()
            node = Mustache(start, sexpr, False, Strip(open_strip, bool(match.group(1))))
            return _Tag("node", start, node=node)
        escaped = True
        if char == "&":
            self.pos = pos + 1
            escaped = False
        sexpr = self._sexpr(start)
        close = self._expect_close()
        node = Mustache(start, sexpr, escaped, Strip(open_strip, close))
        return _Tag("node", start, node=node)

    def _raw_block(self, start: int) -> _Tag:
        """`{{{{name args}}}}text{{{{/name}}}}`: the text is not parsed at all.

        Handlebars turns a raw block into an ordinary block whose body is that
        text, so `{{{{raw}}}}` calls the helper (or context field) `raw` when
        the branch renders; nested `{{{{x}}}}...{{{{/x}}}}` pairs are text, and
        a close tag with anything but a bare name in it is text too.
        """
        src = self.src
        self.pos = start + 4
        sexpr = self._sexpr(start)
        self._skip_ws()
        if not src.startswith("}}}}", self.pos):
            raise self.error("expected '}}}}' to close '{{{{' (a raw block takes no '~')")
        self.pos += 4
        body_start = self.pos
        nested = 0
        while True:
            index = src.find("{{{{", self.pos)
            if index < 0:
                name = _name(sexpr)
                opening, closing = "{{{{" + name + "}}}}", "{{{{/" + name + "}}}}"
                raise self.error(f"raw block {opening} is never closed: add {closing}", start)
            close = _RAW_CLOSE.match(src, index) if src.startswith("/", index + 4) else None
            if close is None and src.startswith("/", index + 4):
                self.pos = index + 1  # not a close tag: text
                continue
            if close is None:
                nested += 1
                self.pos = index + 4
                continue
            self.pos = close.end()
            if nested:
                nested -= 1
                continue
            break
        text = src[body_start:index]
        if "\x00" in src[body_start : self.pos]:
            raise self.error("a raw block cannot contain a NUL character", start)
        opened, closed = _name(sexpr), close.group(1)
        if opened != closed:
            raise self.error(
                f"{{{{{{{{{opened}}}}}}}}} is closed by {{{{{{{{/{closed}}}}}}}}}; "
                f"expected {{{{{{{{/{opened}}}}}}}}}",
                index,
            )
        program = Program([Content(body_start, text, text)] if text else [])
        block = Block(start, sexpr, program, None, Strip(), None, Strip())
        return _Tag("node", start, node=block)

    def _comment(self, start: int, open_strip: bool) -> _Tag:
        src = self.src
        if src.startswith("!--", self.pos):
            match = re.compile(r"--(~?)\}\}").search(src, self.pos + 3)
            if not match:
                raise self.error("unterminated comment: '{{!--' needs a closing '--}}'", start)
        else:
            match = _CLOSE.search(src, self.pos)
            if not match:
                raise self.error("unterminated comment: '{{!' needs a closing '}}'", start)
        self.pos = match.end()
        node = Comment(start, Strip(open_strip, bool(match.group(1))))
        return _Tag("node", start, node=node)

    def _partial(self, start: int, open_strip: bool) -> _Tag:
        match = _CLOSE.search(self.src, self.pos)
        if not match:
            raise self.error("expected '}}' to close the partial", start)
        name = self.src[self.pos + 1 : match.start()].strip().split(" ")[0]
        self.pos = match.end()
        node = Partial(start, name, Strip(open_strip, bool(match.group(1))))
        return _Tag("node", start, node=node)

    def _open_block(self, start: int, open_strip: bool, *, inverted: bool) -> _Tag:
        sexpr = self._sexpr(start)
        self._skip_ws()
        params: list[str] = []
        match = _BLOCK_PARAMS.match(self.src, self.pos)
        if match:
            self.pos = match.end()
            while True:
                self._skip_ws()
                ident = _ID.match(self.src, self.pos)
                if not ident:
                    break
                params.append(ident.group(0))
                self.pos = ident.end()
            self._skip_ws()
            if not self.src.startswith("|", self.pos):
                raise self.error("expected '|' to end the block parameters")
            self.pos += 1
        close = self._expect_close()
        return _Tag(
            "block",
            start,
            Strip(open_strip, close),
            sexpr=sexpr,
            block_params=params,
            inverted=inverted,
        )

    def _block(self, open_tag: _Tag) -> tuple[Block, _Tag]:
        """Parse a block's body up to its close tag; returns the block and that tag.

        An `{{else if ...}}` chain becomes a nested block inside the inverse
        program (as in Handlebars); the nested block consumes the shared close
        tag and hands it back to the outermost block for name checking.
        """
        sexpr = open_tag.sexpr
        assert sexpr is not None
        self._enter(open_tag.offset)
        body, tag = self._body()
        program: Program | None = Program(body, open_tag.block_params)
        inverse: Program | None = None
        inverse_strip: Strip | None = None
        if tag.kind == "else":
            inverse_strip = tag.strip
            inv_body, tag = self._body()
            inverse = Program(inv_body)
        elif tag.kind == "chain":
            inverse_strip = tag.strip
            nested, tag = self._block(tag)
            inverse = Program([nested], chained=True)
        if tag.kind == "eof":
            name = _name(sexpr)
            raise self.error(
                f"block {{{{#{name}}}}} is never closed: add {{{{/{name}}}}}", open_tag.offset
            )
        if tag.kind != "close":
            raise self.error("unexpected {{else}} after {{else}} in the same block", tag.offset)
        if open_tag.inverted:
            program, inverse = inverse, program
        block = Block(
            open_tag.offset, sexpr, program, inverse, open_tag.strip, inverse_strip, tag.strip
        )
        self.depth -= 1
        return block, tag

    def _enter(self, offset: int) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(
                f"blocks or subexpressions are nested more than {MAX_NESTING} levels deep", offset
            )

    def _check_close(self, open_tag: _Tag, close: _Tag) -> None:
        opened = _name(open_tag.sexpr) if open_tag.sexpr else ""
        closed = close.path.original if close.path else ""
        if opened != closed:
            raise self.error(
                f"{{{{#{opened}}}}} is closed by {{{{/{closed}}}}}; expected {{{{/{opened}}}}}",
                close.offset,
            )

    # expressions -------------------------------------------------------------

    def _skip_ws(self) -> None:
        self.pos = _WS.match(self.src, self.pos).end()  # type: ignore[union-attr]

    def _expect_close(self) -> bool:
        self._skip_ws()
        match = _CLOSE.match(self.src, self.pos)
        if not match:
            found = self.src[self.pos : self.pos + 10] or "end of template"
            raise self.error(f"expected '}}}}' but found {found!r}")
        self.pos = match.end()
        return bool(match.group(1))

    def _sexpr(self, start: int) -> SubExpression:
        self._skip_ws()
        offset = self.pos
        head = self._param()
        if head is None:
            found = self.src[self.pos : self.pos + 10] or "end of template"
            raise self.error(f"expected a name or value but found {found!r}")
        if isinstance(head, SubExpression):
            raise self.error("a subexpression cannot be used as a helper name", offset)
        params: list[Node] = []
        hash_args: dict[str, Node] | None = None
        while True:
            self._skip_ws()
            key = self._hash_key()
            if key is not None:
                hash_args = hash_args or {}
                self._skip_ws()
                value = self._param()
                if value is None:
                    raise self.error(f"expected a value after '{key}='")
                hash_args[key] = value
                continue
            if hash_args is not None or _BLOCK_PARAMS.match(self.src, self.pos):
                break
            value = self._param()
            if value is None:
                break
            params.append(value)
        return SubExpression(offset, head, params, hash_args)

    def _hash_key(self) -> str | None:
        match = _ID.match(self.src, self.pos)
        if match:
            after = _WS.match(self.src, match.end()).end()  # type: ignore[union-attr]
            if self.src.startswith("=", after):
                self.pos = after + 1
                return match.group(0)
        return None

    def _param(self) -> Node | None:
        src = self.src
        pos = self.pos
        char = src[pos : pos + 1]
        if char == "(":
            self.pos = pos + 1
            self._enter(pos)
            sexpr = self._sexpr(pos)
            self.depth -= 1
            self._skip_ws()
            if not src.startswith(")", self.pos):
                raise self.error("expected ')' to close the subexpression")
            self.pos += 1
            if not sexpr.is_call and not isinstance(sexpr.path, Path):
                raise self.error("a subexpression must call a helper", pos)
            return sexpr
        if char in ('"', "'"):
            end = pos + 1
            while True:
                end = src.find(char, end)
                if end < 0:
                    raise self.error("unterminated string literal", pos)
                if src[end - 1] == "\\":
                    end += 1
                    continue
                break
            self.pos = end + 1
            raw = src[pos + 1 : end]
            return Literal(pos, raw.replace("\\" + char, char), src[pos : end + 1])
        match = _NUMBER.match(src, pos)
        if match:
            self.pos = match.end()
            text = match.group(0)
            # JavaScript reads every number literal as a double: past 15 digits an
            # integer is no longer exact, and past 308 it is Infinity.
            exact = "." not in text and len(text.lstrip("-")) <= 15
            value: object = int(text) if exact else float(text)
            return Literal(pos, value, text)
        match = _KEYWORD.match(src, pos)
        if match:
            self.pos = match.end()
            word = match.group(1)
            from ldkit.handlebars.values import UNDEFINED

            value = UNDEFINED if word == "undefined" else _LITERALS[word]
            return Literal(pos, value, word)
        if char == "@" or char == "[" or char == "." or _ID.match(src, pos):
            return self._path()
        return None

    def _path_or_literal_name(self) -> Path:
        self._skip_ws()
        node = self._param()
        if isinstance(node, Path):
            return node
        if isinstance(node, Literal):
            return Path(node.offset, [str(node.value)], str(node.value))
        raise self.error("expected a block name after '{{/'")

    def _path(self) -> Path:
        src = self.src
        start = self.pos
        data = src.startswith("@", start)
        if data:
            self.pos += 1
        segments: list[tuple[str, bool]] = []  # (text, is_literal)
        # The path as written, without the whitespace the lexer drops.
        written: list[str] = [src[start : self.pos]]
        while True:
            pos = self.pos
            match = _DOTS.match(src, pos)
            if match:
                segments.append((match.group(0), False))
                self.pos = match.end()
            else:
                match = _SEGMENT.match(src, pos)
                if match:
                    text = match.group(0)[1:-1]
                    text = re.sub(r"\\([\\\]])", r"\1", text)
                    segments.append((text, True))
                    self.pos = match.end()
                else:
                    match = _ID.match(src, pos)
                    if not match:
                        if segments:
                            raise self.error("expected a name after the path separator")
                        raise self.error("expected a name")
                    segments.append((match.group(0), False))
                    self.pos = match.end()
            written.append(src[pos : self.pos])
            separator = self._separator()
            if separator is not None:
                self.pos = separator
                char = src[separator]
                after = separator + 1
                if char == "/":
                    after = _WS.match(src, after).end()  # type: ignore[union-attr]
                if _NUMBER.match(src, after) or _KEYWORD.match(src, after):
                    # The lexer reads `1` in `{{arr.1}}` as a number, not a name.
                    so_far = "".join(written) + char
                    word = src[after:].split("}")[0].split()[0]
                    raise self.error(
                        f"invalid path '{so_far}{word}': after '{char}' a "
                        "number or true/false/null/undefined is read as a literal, not a name; "
                        f"write '{so_far}[{word}]'",
                        after,
                    )
                if not self._segment_follows(after):
                    raise self.error(f"invalid path: expected a name after '{char}'")
                written.append(char)
                self.pos = after
                continue
            break
        original = "".join(written)
        parts: list[str] = []
        depth = 0
        scoped = False
        for text, literal in segments:
            if not literal and text in ("..", ".", "this"):
                if parts:
                    raise self.error(f"invalid path: {original}", start)
                scoped = True
                if text == "..":
                    depth += 1
            else:
                parts.append(text)
        return Path(start, parts, original, depth, data, scoped)

    def _separator(self) -> int | None:
        """Where the path separator after a segment is, if one follows.

        Handlebars' lexer drops whitespace between tokens, so `{{title .plainText}}`
        is the path `title.plainText`: a `/` is always a separator, and so is a
        `.` that is not itself a name (`.` before whitespace, `}`, `/`, ...) or `..`.
        """
        src = self.src
        pos = _WS.match(src, self.pos).end()  # type: ignore[union-attr]
        char = src[pos : pos + 1]
        if char == "/" or (char == "." and not _DOTS.match(src, pos)):
            return pos
        return None

    def _segment_follows(self, pos: int) -> bool:
        src = self.src
        return bool(_ID.match(src, pos) or _SEGMENT.match(src, pos) or src.startswith("..", pos))


def _name(sexpr: SubExpression) -> str:
    head = sexpr.path
    return head.original if isinstance(head, (Path, Literal)) else ""


def parse(source: str) -> Program:
    return Parser(source).parse()
