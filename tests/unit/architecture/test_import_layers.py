"""The packages form a pipeline, not a tangle: no import cycle between them,
and none between the files inside them.

A unit is a top-level package or module of `ldkit` (`load`, `schema`, `rules`,
`integration`, ...). Every `import` of the source counts, at module level or
inside a function (a lazy import is still a dependency). Between packages,
imports under `if TYPE_CHECKING:` (which never run) do not count; between
files they do, so a type-only import cannot hide a circle either.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "tools" / "ldkit"


def _unit(module: str) -> str | None:
    """`ldkit.schema.check` -> `schema`; None outside ldkit or for a name that is
    not a unit (`from ldkit import __version__`)."""
    parts = module.split(".")
    if parts[0] != "ldkit" or len(parts) < 2:
        return None
    name = parts[1]
    is_unit = (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file()
    return name if is_unit else None


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(
    tree: ast.AST, module: str, *, is_package: bool = False, type_checking: bool = False
) -> set[str]:
    found: set[str] = set()
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _is_type_checking(node) and not type_checking:
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".")
                package = parts if is_package else parts[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, base] if base else package)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        pending.extend(ast.iter_child_nodes(node))
    return found


def unit_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        module = _module_name(path)
        source = _unit(module)
        if source is None:
            continue
        targets = graph.setdefault(source, set())
        for imported in _imports(ast.parse(path.read_text(encoding="utf-8")), module):
            target = _unit(imported)
            if target is not None and target != source:
                targets.add(target)
    return graph


def file_graph() -> dict[str, set[str]]:
    """Module -> the ldkit modules it imports (type-only imports included)."""
    paths = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _imports(tree, module, is_package=path.name == "__init__.py", type_checking=True)
        graph[module] = {name for name in imported if name in paths and name != module}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle_between_packages():
    cycle = find_cycle(unit_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_no_import_cycle_between_files():
    cycle = find_cycle(file_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_file_graph_sees_lazy_and_type_only_imports():
    graph = file_graph()
    # a lazy import inside a function
    assert "ldkit.audit_log.templates" in graph["ldkit.rules.base"]


def test_the_reporters_name_no_stage_above_them_even_for_types():
    graph = file_graph()
    for module, imported in graph.items():
        if module.startswith(("ldkit.report", "ldkit.core")):
            low = ("ldkit.report", "ldkit.core", "ldkit.fs")
            above = {n for n in imported if n != "ldkit" and not n.startswith(low)}
            assert not above, f"{module} imports {sorted(above)}"


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_core_model_depends_on_nothing_and_the_reporters_only_on_it():
    graph = unit_graph()
    assert graph["core"] == set()
    assert graph["fs"] == set()  # the one door to the file system, beside the core
    assert graph["report"] <= {"core", "fs"}
    assert graph["load"] <= {"core", "fs"}
