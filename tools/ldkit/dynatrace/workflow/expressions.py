"""Render a workflow input's expressions the way Dynatrace Workflows do, safely.

Dynatrace documents its expressions as Jinja (`{{ ... }}` and `{% ... %}`,
"any templating functionality Jinja provides") plus its own functions. This
is the only place ldkit runs Jinja2, and it runs it on
`jinja2.sandbox.ImmutableSandboxedEnvironment` with budgets, because the
template comes from a workflow file a pull request controls:

- steps: every attribute or item lookup, call, filter, binary operator and
  loop iteration costs one step (`MAX_STEPS`), and the render stops at a
  wall-clock deadline (`MAX_SECONDS`);
- size: the output, every string a filter, method or operator builds, and
  every integer argument that sizes a result (a width, a repeat count) are
  bounded by `MAX_OUTPUT` characters before the result is built;
- recursion (a macro calling itself) ends as an error, not a crash.

The sandboxed environment and each input's compiled template are built once
per process (compiling is most of a render's cost); the budget and the event
of one render live in a context variable that `render` sets and resets, so no
render shares another's budget.

Dynatrace's functions, as ldkit evaluates them offline (docs/commands/render.md):
`event()` is the Davis problem sample; `secret("name")` renders the marker
`<secret:name>`, never a value; `result("task")`, `execution()`, `task()` are
other tasks' outputs and the run's context, unknown offline: they render as
their own expression text and iterate as empty; `now()` is the sample's
`timestamp`; `platform_url()` is `SAMPLE_PLATFORM_URL`. Where Dynatrace's
behaviour is not documented, the strict reading is chosen: a field the sample
does not have is an error (StrictUndefined), the text keeps its trailing
newline, and a value renders as its Python string form.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass

MAX_STEPS = 100_000
MAX_OUTPUT = 1_000_000
MAX_SECONDS = 2.0
#: The environment's platform URL in every offline render.
SAMPLE_PLATFORM_URL = "https://abc12345.apps.dynatrace.com"
SECRET_MARKER = "<secret:{name}>"
#: Dynatrace's functions that ldkit evaluates, by name.
FUNCTIONS = ("event", "secret", "result", "execution", "task", "now", "platform_url")
#: Filters Dynatrace adds to Jinja's own.
DYNATRACE_FILTERS = ("to_json", "from_json")
#: Event fields Dynatrace itself fills with ids, states and times: no user
#: text, so they may reach a JSON string without escaping.
SYSTEM_FIELDS = frozenset(
    {
        "event.id",
        "display_id",
        "event.kind",
        "event.status",
        "event.status_transition",
        "event.category",
        "event.start",
        "event.end",
        "timestamp",
        "root_cause_entity_id",
    }
)
#: A width or precision in a format string large enough to exhaust memory.
_HUGE_WIDTH = re.compile(r"\d{7,}")


class ExpressionError(Exception):
    """An expression that cannot be rendered. `line` is 1-based within the
    input's text (None when unknown); `offset` the character offset of the
    expression that failed, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _BudgetExceeded(Exception):
    pass


class Opaque:
    """A value ldkit cannot know offline (another task's result, the
    execution): renders as its own expression, is empty and falsy."""

    def __init__(self, text: str) -> None:
        self._text = text

    def __str__(self) -> str:
        return f"<{self._text}>"

    __repr__ = __str__

    def __getattr__(self, name: str) -> Opaque:
        if name.startswith("_"):
            raise AttributeError(name)
        return Opaque(f"{self._text}.{name}")

    def __getitem__(self, key: object) -> Opaque:
        return Opaque(f"{self._text}[{key!r}]")

    def __iter__(self) -> Iterator[object]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        return False


class Secret(str):
    """The marker a `secret()` call renders: never the secret's value."""

    secret_name: str

    def __new__(cls, name: str) -> Secret:
        marker = super().__new__(cls, SECRET_MARKER.format(name=name))
        marker.secret_name = name
        return marker


@dataclass(frozen=True)
class Context:
    """What the functions see: the Davis problem event (None: no event)."""

    event: Mapping[str, object] | None
    task_name: str = "task"


def _size(value: object) -> int:
    if isinstance(value, (str, bytes, list, tuple, dict)):
        return len(value)
    return 0


class _Guard:
    """The budget of one render: steps and a deadline."""

    def __init__(self) -> None:
        self.steps = MAX_STEPS
        self.deadline = time.monotonic() + MAX_SECONDS

    def tick(self, cost: int = 1) -> None:
        self.steps -= cost
        if self.steps < 0:
            raise _BudgetExceeded(f"more than {MAX_STEPS:,} evaluation steps")
        if time.monotonic() > self.deadline:
            raise _BudgetExceeded(f"more than {MAX_SECONDS:g} seconds")

    def sized(self, value: object) -> object:
        if _size(value) > MAX_OUTPUT:
            raise _BudgetExceeded(f"a value over {MAX_OUTPUT:,} characters")
        return value

    def arguments(self, args: Iterable[object]) -> None:
        """Refuse, before a result is built, arguments that would size it past
        the budget: a huge integer (a width, a repeat count), a list whose
        strings add up past the budget (a join)."""
        for arg in args:
            if isinstance(arg, bool):
                continue
            if isinstance(arg, int) and abs(arg) > MAX_OUTPUT:
                raise _BudgetExceeded(f"an argument of {arg} (over {MAX_OUTPUT:,})")
            if isinstance(arg, (list, tuple)):
                total = sum(len(item) for item in arg if isinstance(item, str))
                if total > MAX_OUTPUT:
                    raise _BudgetExceeded(f"strings adding up to over {MAX_OUTPUT:,} characters")

    def format_string(self, text: object) -> None:
        """Refuse a format string whose width or precision would build a
        value past the budget (`%0999999999d`, `{:>999999999}`)."""
        if isinstance(text, str) and _HUGE_WIDTH.search(text):
            raise _BudgetExceeded("a format width over the budget")


#: The budget and the event of the render in progress. The environment and the
#: compiled templates are shared and immutable (compiling is most of a render's
#: cost); what one render may spend and what it sees live here, set and reset
#: by `render`, so renders never share a budget.
_ACTIVE: ContextVar[tuple[_Guard, Context]] = ContextVar("ldkit_workflow_render")


def _guard() -> _Guard:
    return _ACTIVE.get()[0]


def _context() -> Context:
    return _ACTIVE.get()[1]


@functools.lru_cache(maxsize=1)
def _environment():  # noqa: ANN202 - jinja2 types stay local
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Environment(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%", "+", "//"})

        def call_binop(self, ctx, operator, left, right):  # noqa: ANN001, ANN201
            guard = _guard()
            guard.tick()
            if operator == "**" and isinstance(right, int) and right > 64:
                raise _BudgetExceeded(f"an exponent of {right}")
            if operator == "*":
                for a, b in ((left, right), (right, left)):
                    if _size(a) and isinstance(b, int) and _size(a) * b > MAX_OUTPUT:
                        raise _BudgetExceeded(f"a repeated value over {MAX_OUTPUT:,} characters")
            if operator == "%":
                guard.format_string(left)
            if operator == "+" and _size(left) + _size(right) > MAX_OUTPUT:
                raise _BudgetExceeded(f"a value over {MAX_OUTPUT:,} characters")
            return super().call_binop(ctx, operator, left, right)

        def getattr(self, obj, attribute):  # noqa: ANN001, ANN201
            guard = _guard()
            guard.tick()
            if isinstance(obj, str) and attribute in ("format", "format_map"):
                guard.format_string(obj)
            return super().getattr(obj, attribute)

        def getitem(self, obj, argument):  # noqa: ANN001, ANN201
            _guard().tick()
            return super().getitem(obj, argument)

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: ANN001, ANN201, N805
            guard = _guard()
            guard.tick()
            guard.arguments(args)
            guard.arguments(kwargs.values())
            name = getattr(__obj, "__name__", "")
            owner = getattr(__obj, "__self__", None)
            if isinstance(owner, str) and name in ("format", "format_map"):
                guard.format_string(owner)
            if isinstance(owner, str) and name == "replace":
                new = args[1] if len(args) > 1 and isinstance(args[1], str) else ""
                if len(owner) + (len(owner) + 1) * len(new) > MAX_OUTPUT:
                    raise _BudgetExceeded(f"a replacement over {MAX_OUTPUT:,} characters")
            return guard.sized(super().call(__context, __obj, *args, **kwargs))

    env = Environment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=False,
    )

    def guarded_filter(name: str, function: Callable) -> Callable:
        @functools.wraps(function)
        def run(*args: object, **kwargs: object) -> object:
            guard = _guard()
            guard.tick()
            guard.arguments(args)
            guard.arguments(kwargs.values())
            _precheck(name, [a for a in args if not _is_jinja_context(a)], kwargs, guard)
            return guard.sized(function(*args, **kwargs))

        return run

    env.filters["to_json"] = _to_json
    env.filters["from_json"] = _from_json
    env.filters = {name: guarded_filter(name, f) for name, f in env.filters.items()}
    env.globals.pop("lipsum", None)  # builds paragraphs by the thousand

    def loop(items: object) -> Iterator[object]:
        for item in items:  # type: ignore[attr-defined]
            _guard().tick()
            yield item

    def counted_range(*args: int) -> Iterator[int]:
        _guard().arguments(args)
        return loop(range(*args))

    def concat(*parts: object) -> str:
        strings = [str(part) for part in parts]
        if sum(len(s) for s in strings) > MAX_OUTPUT:
            raise _BudgetExceeded(f"a value over {MAX_OUTPUT:,} characters")
        return "".join(strings)

    def event_function() -> object:
        event = _context().event
        if event is None:
            raise ExpressionError("event() has no event: this workflow is not run by an event")
        return event

    def now() -> object:
        return (_context().event or {}).get("timestamp", "1970-01-01T00:00:00Z")

    env.globals.update(
        range=counted_range,
        event=event_function,
        secret=lambda name="": Secret(str(name)),
        result=lambda name="": Opaque(f'result("{name}")'),
        execution=lambda: Opaque("execution()"),
        task=lambda name=None: Opaque(f'task("{name or _context().task_name}")'),
        now=now,
        platform_url=lambda: SAMPLE_PLATFORM_URL,
        __ldkit_loop=loop,
        __ldkit_concat=concat,
    )

    return env


@functools.lru_cache(maxsize=256)
def _compiled(source: str):  # noqa: ANN202 - a jinja2 Template
    """The template of an input's text, with every loop and concatenation
    routed through the budget (compiled once per text)."""
    from jinja2 import nodes

    env = _environment()
    tree = env.parse(source)
    for node in tree.find_all(nodes.For):
        node.iter = nodes.Call(nodes.Name("__ldkit_loop", "load"), [node.iter], [], None, None)
    for node in list(tree.find_all(nodes.Concat)):
        node.nodes = [
            nodes.Call(nodes.Name("__ldkit_concat", "load"), list(node.nodes), [], None, None)
        ]
    return env.from_string(tree)


def _is_jinja_context(value: object) -> bool:
    from jinja2 import Environment
    from jinja2.nodes import EvalContext
    from jinja2.runtime import Context as JinjaContext

    return isinstance(value, (EvalContext, JinjaContext, Environment))


def _precheck(name: str, args: list, kwargs: dict, guard: _Guard) -> None:
    """The filters whose result grows by a product of their inputs, checked
    before it is built."""
    value = args[0] if args else None
    if name == "format":
        guard.format_string(value)
    elif name == "join":
        items = list(value) if isinstance(value, (list, tuple)) else []
        separator = args[1] if len(args) > 1 else kwargs.get("d", "")
        total = len(str(separator)) * len(items) + sum(len(str(i)) for i in items[:MAX_OUTPUT])
        if total > MAX_OUTPUT:
            raise _BudgetExceeded(f"a joined value over {MAX_OUTPUT:,} characters")
    elif name == "indent" and isinstance(value, str):
        width = args[1] if len(args) > 1 else kwargs.get("width", 4)
        width = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        if len(value) + width * (value.count("\n") + 1) > MAX_OUTPUT:
            raise _BudgetExceeded(f"an indented value over {MAX_OUTPUT:,} characters")
    elif name == "replace" and isinstance(value, str) and len(args) > 2:
        old, new = str(args[1]), str(args[2])
        count = value.count(old) if old else len(value) + 1
        if len(value) + count * len(new) > MAX_OUTPUT:
            raise _BudgetExceeded(f"a replacement over {MAX_OUTPUT:,} characters")


def _to_json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, default=str)


def _from_json(value: object) -> object:
    import json

    return json.loads(str(value))


def render(text: str, context: Context) -> str:
    """The text with every expression evaluated. ExpressionError says why not
    (syntax, a missing field, the sandbox refusing an operation, a budget)."""
    if "{{" not in text and "{%" not in text and "{#" not in text:
        return text
    from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import SecurityError

    token = _ACTIVE.set((_Guard(), context))
    try:
        template = _compiled(text)
        parts: list[str] = []
        size = 0
        for chunk in template.generate():
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise _BudgetExceeded(f"output over {MAX_OUTPUT:,} characters")
            parts.append(chunk)
            _guard().tick()
        return "".join(parts)
    except TemplateSyntaxError as exc:
        raise ExpressionError(f"not a valid expression: {exc.message}", exc.lineno) from None
    except UndefinedError as exc:
        raise ExpressionError(_undefined(str(exc.message or exc))) from None
    except SecurityError as exc:
        raise ExpressionError(f"refused by the sandbox: {exc}") from None
    except _BudgetExceeded as exc:
        raise ExpressionError(f"stopped: the expression needs {exc}") from None
    except ExpressionError:
        raise
    except RecursionError:
        raise ExpressionError("stopped: the expression recurses too deeply") from None
    except TemplateError as exc:
        raise ExpressionError(f"cannot be rendered: {exc.message}") from None
    except (ArithmeticError, TypeError, ValueError, LookupError, AttributeError) as exc:
        text = str(exc)[:200]
        raise ExpressionError(f"fails when rendered: {type(exc).__name__}: {text}") from None
    finally:
        _ACTIVE.reset(token)


def _undefined(message: str) -> str:
    if "has no attribute" in message or "is undefined" in message:
        return f"reads something the event does not have: {message[:200]}"
    return message[:200]


@dataclass(frozen=True)
class Output:
    """One `{{ ... }}` of an input: its source text, where it starts in the
    input, and whether its value reaches the output JSON-escaped."""

    source: str
    offset: int
    reads_event: bool
    escaped: bool


def _reads_user_text(node: object, nodes: object) -> bool:
    """Whether an expression reads the event other than through fields
    Dynatrace fills itself (`SYSTEM_FIELDS`)."""
    calls = [node] if isinstance(node, nodes.Call) else []  # type: ignore[attr-defined]
    calls += list(node.find_all(nodes.Call))  # type: ignore[attr-defined]
    events = [c for c in calls if isinstance(c.node, nodes.Name) and c.node.name == "event"]
    if not events:
        return False
    reads = [
        item.arg.value
        for item in node.find_all(nodes.Getitem)  # type: ignore[attr-defined]
        if isinstance(item.node, nodes.Call) and isinstance(item.arg, nodes.Const)
    ]
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):  # type: ignore[attr-defined]
        reads.append(node.arg.value)
    return not reads or any(field not in SYSTEM_FIELDS for field in reads)


def outputs(text: str) -> list[Output]:
    """Every `{{ ... }}` of the text, statically (nothing is evaluated). An
    expression is escaped when its last filter is `to_json` (or Jinja's
    `tojson`), so that event text with quotes stays one JSON string."""
    if "{{" not in text:
        return []
    from jinja2 import TemplateSyntaxError, nodes
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment()
    try:
        tree = env.parse(text)
    except TemplateSyntaxError:
        return []  # render() reports it
    found: list[Output] = []
    starts = [m.start() for m in re.finditer(r"\{\{", text)]
    index = 0
    for output in tree.find_all(nodes.Output):
        for node in output.nodes:
            if isinstance(node, nodes.TemplateData):
                continue
            reads_event = _reads_user_text(node, nodes)
            escaped = isinstance(node, nodes.Filter) and node.name in ("to_json", "tojson")
            offset = starts[index] if index < len(starts) else 0
            index += 1
            end = text.find("}}", offset)
            source = text[offset : end + 2] if end >= 0 else text[offset:]
            found.append(Output(source, offset, reads_event, escaped))
    return found
