"""Render a parsed template with Handlebars.js 4.7 strict-mode semantics.

Strict mode is what LaunchDarkly's validator compiles with, and its rules are
subtle (Handlebars.js 4.7, https://handlebarsjs.com/api-reference/compilation.html):
a mustache that *names* a missing field
throws, but a missing field passed as a helper *parameter* is just
`undefined`; a path *through* a missing or null value throws either way. The
lookups below reproduce those rules case by case rather than approximating
them, because every difference is either a false error or a missed one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ldkit.handlebars.errors import TemplateRenderError
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
    SubExpression,
)
from ldkit.handlebars.values import UNDEFINED, escape_html, to_js_string, to_output

# Names every JavaScript object inherits: `'toString' in {}` is true, so strict
# mode does not throw for them, and Handlebars' prototype guard yields undefined.
_INHERITED = frozenset(
    {
        "constructor",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toLocaleString",
        "toString",
        "valueOf",
        "__proto__",
        "__defineGetter__",
        "__defineSetter__",
        "__lookupGetter__",
        "__lookupSetter__",
    }
)
_INDEX = re.compile(r"0|[1-9][0-9]*")

#: The work one render may do. Real integration templates take a few hundred
#: steps and a few kilobytes; a template from a pull request that nests
#: `{{#each @root}}` six deep would take billions. Past either bound the
#: render stops with an error at the statement that crossed it.
MAX_RENDER_STEPS = 200_000
MAX_RENDER_CHARS = 4_000_000


class HelperOptions:
    """The `options` argument Handlebars passes to a helper."""

    def __init__(
        self,
        renderer: Renderer,
        frame: Frame,
        name: str,
        node: Node,
        hash_args: dict[str, object],
        program: Program | None,
        inverse: Program | None,
        is_block: bool,
    ) -> None:
        self._renderer = renderer
        self._frame = frame
        self.name = name
        self.node = node
        self.hash = hash_args
        self._program = program
        self._inverse = inverse
        self.is_block = is_block

    @property
    def data(self) -> dict[str, object]:
        return self._frame.data

    def fn(
        self,
        context: object,
        data: dict[str, object] | None = None,
        block_params: list[object] | None = None,
    ) -> str:
        return self._run(self._program, context, data, block_params)

    def inverse(self, context: object) -> str:
        return self._run(self._inverse, context, None, None)

    def _run(
        self,
        program: Program | None,
        context: object,
        data: dict[str, object] | None,
        block_params: list[object] | None,
    ) -> str:
        if not self.is_block:
            # Inline calls get no `fn`/`inverse`; calling them is a TypeError upstream.
            raise self.error(f"helper '{self.name}' must be used as a block ({{{{#{self.name}}}}})")
        if program is None:
            return ""
        return self._renderer.program(
            program, self._frame.child(context, data, program, block_params)
        )

    def error(self, message: str) -> TemplateRenderError:
        return self._renderer.error(message, self.node.offset)

    def registered(self, name: str) -> Helper:
        """The helper registered under `name` in this render."""
        return self._renderer.helpers[name]


Helper = Callable[[object, list[object], HelperOptions], object]


class Frame:
    """Where a statement runs: the context stack (`../`), `@data`, block params."""

    __slots__ = ("context", "depths", "data", "block_params")

    def __init__(
        self,
        context: object,
        depths: list[object],
        data: dict[str, object],
        block_params: list[tuple[list[str], list[object]]] | None = None,
    ) -> None:
        self.context = context
        self.depths = depths
        self.data = data
        self.block_params = block_params or []

    def child(
        self,
        context: object,
        data: dict[str, object] | None,
        program: Program,
        block_params: list[object] | None,
    ) -> Frame:
        depths = self.depths
        # Handlebars only pushes a new depth when the context really changes, so
        # `{{#if}}` does not count as a level for `../`.
        if not _same(context, depths[0] if depths else UNDEFINED):
            depths = [context, *depths]
        scopes = self.block_params
        if program.block_params:
            scopes = [(program.block_params, block_params or []), *scopes]
        return Frame(context, depths, self.data if data is None else data, scopes)


def _same(a: object, b: object) -> bool:
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return a is b
    return type(a) is type(b) and a == b


#: Private-use characters that bracket an output marker in a mapped render.
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"
_MARKER = re.compile(f"{MARK_OPEN}([0-9]+){MARK_CLOSE}")


def source_map(marked: str, marks: list[tuple[int, bool]]) -> tuple[str, list[int]]:
    """The output without markers, and for each of its characters the template
    offset it came from: text of the template maps character by character,
    a mustache's value maps to the mustache's `{{`."""
    output: list[str] = []
    offsets: list[int] = []
    current, fixed, position = 0, True, 0
    for match in _MARKER.finditer(marked):
        piece = marked[position : match.start()]
        output.append(piece)
        offsets.extend(current if fixed else current + k for k in range(len(piece)))
        current, fixed = marks[int(match.group(1))]
        position = match.end()
    piece = marked[position:]
    output.append(piece)
    offsets.extend(current if fixed else current + k for k in range(len(piece)))
    return "".join(output), offsets


class Renderer:
    def __init__(self, source: str, helpers: Mapping[str, Helper], *, mapped: bool = False) -> None:
        self.source = source
        self.helpers = helpers
        #: With `mapped`, every piece of output is preceded by a marker naming
        #: where in the template it comes from (see `source_map`).
        self.marks: list[tuple[int, bool]] | None = [] if mapped else None
        self._steps = 0
        self._chars = 0

    def _mark(self, offset: int, fixed: bool) -> str:
        assert self.marks is not None
        self.marks.append((offset, fixed))
        return f"{MARK_OPEN}{len(self.marks) - 1}{MARK_CLOSE}"

    # errors ----------------------------------------------------------------

    def error(self, message: str, offset: int) -> TemplateRenderError:
        return TemplateRenderError(message, offset, self.source)

    # statements --------------------------------------------------------------

    def render(self, program: Program, context: object) -> str:
        data: dict[str, object] = {"root": context}
        return self.program(program, Frame(context, [context], data))

    def _spend(self, node: Node, chars: int) -> None:
        self._steps += 1
        self._chars += chars
        if self._steps > MAX_RENDER_STEPS or self._chars > MAX_RENDER_CHARS:
            raise self.error(
                f"rendering stopped: the template needs more than {MAX_RENDER_STEPS:,} steps or "
                f"{MAX_RENDER_CHARS:,} characters of output (nested loops over large data?); "
                "no integration template needs that much",
                node.offset,
            )

    def program(self, program: Program, frame: Frame) -> str:
        out: list[str] = []
        marks = self.marks is not None
        for node in program.body:
            self._spend(node, len(out[-1]) if out else 0)
            if isinstance(node, Content):
                if marks:
                    lead = max(node.original.find(node.value), 0) if node.value else 0
                    out.append(self._mark(node.offset + lead, False))
                out.append(node.value)
            elif isinstance(node, Mustache):
                value = self.mustache(node, frame)
                text = to_output(value)
                if marks:
                    out.append(self._mark(node.offset, True))
                out.append(escape_html(text) if node.escaped else text)
            elif isinstance(node, Block):
                out.append(to_output(self.block(node, frame)))
            elif isinstance(node, Partial):
                raise self.error(
                    f"the partial '{node.name}' could not be found (partials are not available "
                    "to integration templates)",
                    node.offset,
                )
            elif isinstance(node, Comment):
                continue
        return "".join(out)

    def mustache(self, node: Mustache, frame: Frame) -> object:
        sexpr = node.sexpr
        if sexpr.is_call:
            return self.call(sexpr, frame, None, None, is_block=False)
        path = _as_path(sexpr.path)
        if path.simple and not self._is_block_param(path, frame) and path.parts[0] in self.helpers:
            return self.call(sexpr, frame, None, None, is_block=False)
        return self.lookup(path, frame, strict=True)

    def block(self, node: Block, frame: Frame) -> object:
        sexpr = node.sexpr
        path = _as_path(sexpr.path)
        is_helper = sexpr.is_call or (
            path.simple and not self._is_block_param(path, frame) and path.parts[0] in self.helpers
        )
        if is_helper:
            return self.call(sexpr, frame, node.program, node.inverse, is_block=True)
        value = self.lookup(path, frame, strict=True)
        options = HelperOptions(
            self, frame, path.original, node, {}, node.program, node.inverse, True
        )
        return _block_helper_missing(frame.context, value, options)

    # helpers ---------------------------------------------------------------

    def call(
        self,
        sexpr: SubExpression,
        frame: Frame,
        program: Program | None,
        inverse: Program | None,
        *,
        is_block: bool,
    ) -> object:
        path = _as_path(sexpr.path)
        name = path.original
        helper = self.helpers.get(path.parts[0]) if path.simple else None
        if helper is None:
            if path.simple and not self._is_block_param(path, frame):
                # Upstream looks the name up on the context (strictly) before failing.
                value = self.lookup(path, frame, strict=True, quiet=True)
                if value is _MISSING:
                    raise self.error(
                        f"unknown helper '{name}': no helper of that name is registered "
                        "(LaunchDarkly provides if, unless, each, with, lookup, log, equal, "
                        "equalWithElse, pathEncode, queryEncode, basicAuthHeaderValue, "
                        "formatWithOffset)",
                        sexpr.offset,
                    )
            else:
                self.lookup(path, frame, strict=True)
            raise self.error(f"'{name}' is not a function, so it cannot be called", sexpr.offset)
        params = [self.param(p, frame) for p in sexpr.params]
        hash_args = {k: self.param(v, frame) for k, v in (sexpr.hash or {}).items()}
        node: Node = sexpr
        options = HelperOptions(self, frame, name, node, hash_args, program, inverse, is_block)
        return helper(frame.context, params, options)

    def param(self, node: Node, frame: Frame) -> object:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, SubExpression):
            return self.call(node, frame, None, None, is_block=False)
        assert isinstance(node, Path)
        return self.lookup(node, frame, strict=False)

    # lookups ---------------------------------------------------------------

    def _is_block_param(self, path: Path, frame: Frame) -> bool:
        return self._block_param(path, frame)[0]

    def _block_param(self, path: Path, frame: Frame) -> tuple[bool, object]:
        if path.data or path.scoped or path.depth or not path.parts:
            return (False, None)
        name = path.parts[0]
        for names, _values in frame.block_params:
            if name in names:
                # Handlebars.js 4.7.7 compiled with `strict: true` never binds block
                # parameters (`as |item|`): they always evaluate to undefined. The
                # validator uses strict mode, so ldkit reproduces that, bug included.
                return (True, UNDEFINED)
        return (False, None)

    def lookup(self, path: Path, frame: Frame, *, strict: bool, quiet: bool = False) -> object:
        """Resolve a path; with `strict`, the last segment must exist (mustache rules)."""
        parts = path.parts
        found, value = self._block_param(path, frame)
        if found:
            # Block params resolve their tail without the strict terminal check.
            for part in parts[1:]:
                value = self._prop(value, part, path)
            return value
        if path.data:
            base: object = frame.data
            for _ in range(path.depth):
                base = base.get("_parent", UNDEFINED) if isinstance(base, dict) else UNDEFINED
        elif path.depth:
            base = frame.depths[path.depth] if path.depth < len(frame.depths) else UNDEFINED
        else:
            base = frame.context
        if not parts:
            return base
        value = base
        last = len(parts) - 1 if strict else len(parts)
        for part in parts[:last]:
            value = self._prop(value, part, path)
        if not strict:
            return value
        name = parts[-1]
        if not _has(value, name):
            if quiet:
                return _MISSING
            if len(parts) > 1 and (value is UNDEFINED or value is None):
                missing = _first_missing(base, parts)
                state = "missing" if value is UNDEFINED else "null"
                raise self.error(
                    f"'{path.original}' is not defined: '{missing}' is {state}; in strict "
                    "mode every field a template prints must exist",
                    path.offset,
                )
            if path.depth and len(parts) == 1 and value is UNDEFINED:
                where = "the parent context (there is no enclosing context at this level)"
            elif len(parts) == 1:
                where = "the current context" if not path.data else "@data"
            else:
                where = f"'{path.original[: -len(name)].rstrip('./')}' ({_describe(value)})"
            raise self.error(
                f"'{path.original}' is not defined: there is no '{name}' in {where}; in strict "
                f"mode every field a template prints must exist{_hint(path)}",
                path.offset,
            )
        return self._prop(value, name, path)

    def _prop(self, obj: object, name: str, path: Path) -> object:
        if obj is None or obj is UNDEFINED:
            raise self.error(
                f"cannot read '{name}' of {to_js_string(obj)} in '{path.original}' "
                f"(a part of the path before '{name}' is missing or null){_hint(path)}",
                path.offset,
            )
        if isinstance(obj, dict):
            return obj.get(name, UNDEFINED)
        if isinstance(obj, list):
            if name == "length":
                return len(obj)
            if _INDEX.fullmatch(name) and int(name) < len(obj):
                return obj[int(name)]
            return UNDEFINED
        if isinstance(obj, str):
            if name == "length":
                return len(obj.encode("utf-16-le")) // 2
            if _INDEX.fullmatch(name) and int(name) < len(obj):
                return obj[int(name)]
        return UNDEFINED


class _Missing:
    pass


_MISSING = _Missing()


def _has(obj: object, name: str) -> bool:
    """`!obj || !(name in obj)` negated, with JavaScript's `in` on JSON values."""
    if isinstance(obj, dict):
        return name in obj or name in _INHERITED
    if isinstance(obj, list):
        return (
            name == "length"
            or name in _INHERITED
            or bool(_INDEX.fullmatch(name) and int(name) < len(obj))
        )
    # Falsy values fail the `!obj` test; other primitives make `in` throw.
    return False


def _first_missing(base: object, parts: list[str]) -> str:
    value = base
    for index, part in enumerate(parts):
        value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            return ".".join(parts[: index + 1])
    return ".".join(parts)


def _describe(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    return to_js_string(value)


def _hint(path: Path) -> str:
    if path.depth:
        return " ('../' moves up one context level; only blocks that change the context add one)"
    return ""


def _as_path(head: Path | Literal) -> Path:
    if isinstance(head, Path):
        return head
    text = to_js_string(head.value)
    return Path(head.offset, [text], head.original)


def _block_helper_missing(context: object, value: object, options: HelperOptions) -> str:
    """What `{{#name}}` does when `name` is a value rather than a helper."""
    if value is True:
        return options.fn(context)
    if value is False or value is None or value is UNDEFINED:
        return options.inverse(context)
    if isinstance(value, list):
        if not value:
            return options.inverse(context)
        # Handlebars.js calls `instance.helpers.each` here: the registered one.
        return str(options.registered("each")(context, [value], options))
    return options.fn(value)


def program_uses(program: Program) -> list[tuple[str, int]]:
    """Every helper-call name in a template with its offset (for static checks)."""
    found: list[tuple[str, int]] = []

    def visit_sexpr(sexpr: SubExpression, as_call: bool) -> None:
        if (sexpr.is_call or as_call) and isinstance(sexpr.path, Path) and sexpr.path.simple:
            found.append((sexpr.path.parts[0], sexpr.offset))
        for param in [*sexpr.params, *(sexpr.hash or {}).values()]:
            if isinstance(param, SubExpression):
                visit_sexpr(param, True)

    def visit(prog: Program | None) -> None:
        if prog is None:
            return
        for node in prog.body:
            if isinstance(node, Mustache):
                visit_sexpr(node.sexpr, False)
            elif isinstance(node, Block):
                visit_sexpr(node.sexpr, False)
                visit(node.program)
                visit(node.inverse)

    visit(program)
    return found
