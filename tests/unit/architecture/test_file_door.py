"""Every file operation goes through one door, `ldkit.fs`: a direct `open()`,
`Path.read_text`, `os.open`, `tempfile`, `shutil` copy or move (and their
kin) anywhere else in the package fails this test. The door is where the
rules for hostile files live (regular files only, bounded, confined to the
tree, atomic writes never through a link); a second way in would skip them.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "tools" / "ldkit"
DOOR = PACKAGE / "fs.py"

#: Methods that read, write, create, move or remove files, whatever object
#: they are called on (`Path(...).read_text()`, `os.replace(...)`).
FILE_METHODS = frozenset(
    {
        "read_text",
        "read_bytes",
        "write_text",
        "write_bytes",
        "mkstemp",
        "mkdtemp",
        "NamedTemporaryFile",
        "TemporaryFile",
        "SpooledTemporaryFile",
        "TemporaryDirectory",
        "fdopen",
        "unlink",
        "rmtree",
        "copyfile",
        "copytree",
        "copy2",
        "makedirs",
        "mkdir",
        "rmdir",
        "touch",
        "symlink_to",
        "hardlink_to",
        "chmod",
        "truncate",
    }
)
#: Functions of these modules that touch files, called as `module.name(...)`.
MODULE_FUNCTIONS = {
    "os": {"open", "replace", "rename", "remove", "link", "symlink", "mkfifo"},
    "shutil": {"copy", "move", "copyfileobj"},
    "io": {"open", "FileIO"},
    "codecs": {"open"},
    "tempfile": {"gettempdir"},
}
#: Modules that are file I/O by themselves.
FILE_MODULES = frozenset({"tempfile", "shutil", "fileinput"})

#: The few places that may touch a file another way, and why.
ALLOWED = {
    # The lock file held for the server's lifetime (fcntl needs the open
    # handle); the database itself is SQLite's to open.
    ("serve/store.py", "open"),
    ("serve/store.py", "truncate"),
}


def _violations(path: Path, relative: str) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        what = None
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                what = "open"
            elif isinstance(func, ast.Attribute):
                base = func.value.id if isinstance(func.value, ast.Name) else None
                if func.attr in FILE_METHODS:
                    what = func.attr
                elif base in MODULE_FUNCTIONS and func.attr in MODULE_FUNCTIONS[base]:
                    what = f"{base}.{func.attr}"
        elif isinstance(node, ast.Import):
            names = {alias.name.split(".")[0] for alias in node.names}
            if names & FILE_MODULES:
                what = "import " + ", ".join(sorted(names & FILE_MODULES))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in FILE_MODULES:
            what = f"from {node.module} import"
        if what is not None and (relative, what) not in ALLOWED:
            found.append(f"{relative}:{node.lineno}: {what}")
    return found


def test_no_file_io_outside_the_door():
    violations = [
        line
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != DOOR
        for line in _violations(path, path.relative_to(PACKAGE).as_posix())
    ]
    assert not violations, "direct file I/O outside ldkit.fs:\n" + "\n".join(violations)


def test_the_scanner_sees_every_way_in(tmp_path):
    source = (
        "import os, shutil, tempfile\n"
        "from pathlib import Path\n"
        "open('x')\n"
        "Path('x').read_text()\n"
        "Path('x').write_bytes(b'')\n"
        "os.open('x', 0)\n"
        "os.replace('a', 'b')\n"
        "shutil.copy('a', 'b')\n"
        "tempfile.mkstemp()\n"
    )
    probe = tmp_path / "probe.py"
    probe.write_text(source, encoding="utf-8")
    found = _violations(probe, "probe.py")
    kinds = {line.split(": ", 1)[1] for line in found}
    assert kinds >= {
        "import shutil, tempfile",
        "open",
        "read_text",
        "write_bytes",
        "os.open",
        "os.replace",
        "shutil.copy",
        "mkstemp",
    }


def test_the_door_imports_nothing_of_ldkit():
    tree = ast.parse(DOOR.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert not (node.module or "").startswith("ldkit"), node.module
        elif isinstance(node, ast.Import):
            assert not any(alias.name.startswith("ldkit") for alias in node.names)
