"""The nodes of a parsed Handlebars template (the shape of Handlebars.js 4.7's
AST), shared by the parser, the whitespace-control pass and the renderer.
Offsets are indices into the template source; line and column are computed
only where an error is reported."""

from __future__ import annotations

# Plain slotted classes rather than dataclasses: the validate path must import
# fast, and a dozen dataclass definitions cost more than everything else here.


class Node:
    __slots__ = ("offset",)

    def __init__(self, offset: int) -> None:
        self.offset = offset


class Literal(Node):
    __slots__ = ("value", "original")

    def __init__(self, offset: int, value: object, original: str) -> None:
        self.offset = offset
        self.value = value  # str, int, float, bool, None or UNDEFINED
        self.original = original


class Path(Node):
    __slots__ = ("parts", "original", "depth", "data", "scoped")

    def __init__(
        self,
        offset: int,
        parts: list[str],
        original: str,
        depth: int = 0,
        data: bool = False,
        scoped: bool = False,
    ) -> None:
        self.offset = offset
        self.parts = parts
        self.original = original
        self.depth = depth
        self.data = data
        self.scoped = scoped  # starts with `this`, `.` or `..`

    @property
    def simple(self) -> bool:
        """One plain name: eligible to be a helper call (`{{name}}`)."""
        return len(self.parts) == 1 and not self.scoped and not self.depth and not self.data


class SubExpression(Node):
    __slots__ = ("path", "params", "hash")

    def __init__(
        self,
        offset: int,
        path: Path | Literal,
        params: list[Node],
        hash_args: dict[str, Node] | None,
    ) -> None:
        self.offset = offset
        self.path = path
        self.params = params
        self.hash = hash_args

    @property
    def is_call(self) -> bool:
        return bool(self.params) or self.hash is not None


class Strip:
    __slots__ = ("open", "close")

    def __init__(self, open: bool = False, close: bool = False) -> None:
        self.open = open
        self.close = close


class Content(Node):
    __slots__ = ("value", "original", "left_stripped", "right_stripped")

    def __init__(self, offset: int, value: str, original: str) -> None:
        self.offset = offset
        self.value = value
        self.original = original
        self.left_stripped = False
        self.right_stripped = False


class Comment(Node):
    __slots__ = ("strip",)

    def __init__(self, offset: int, strip: Strip) -> None:
        self.offset = offset
        self.strip = strip


class Mustache(Node):
    __slots__ = ("sexpr", "escaped", "strip")

    def __init__(self, offset: int, sexpr: SubExpression, escaped: bool, strip: Strip) -> None:
        self.offset = offset
        self.sexpr = sexpr
        self.escaped = escaped
        self.strip = strip


class Partial(Node):
    __slots__ = ("name", "strip")

    def __init__(self, offset: int, name: str, strip: Strip) -> None:
        self.offset = offset
        self.name = name
        self.strip = strip


class Program:
    __slots__ = ("body", "block_params", "chained")

    def __init__(
        self, body: list[Node], block_params: list[str] | None = None, chained: bool = False
    ) -> None:
        self.body = body
        self.block_params = block_params or []
        self.chained = chained


class Block(Node):
    __slots__ = ("sexpr", "program", "inverse", "open_strip", "inverse_strip", "close_strip")

    def __init__(
        self,
        offset: int,
        sexpr: SubExpression,
        program: Program | None,
        inverse: Program | None,
        open_strip: Strip,
        inverse_strip: Strip | None,
        close_strip: Strip,
    ) -> None:
        self.offset = offset
        self.sexpr = sexpr
        self.program = program
        self.inverse = inverse
        self.open_strip = open_strip
        self.inverse_strip = inverse_strip
        self.close_strip = close_strip
