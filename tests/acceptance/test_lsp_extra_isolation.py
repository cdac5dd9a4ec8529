"""The language server is the `lsp` extra: `validate` (what pre-commit runs),
`format` and `ldkit --help` never import it, and `ldkit lsp` without it says how
to install it instead of failing with a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from _lsp_harness import REPO

LSP_STACK = ("pygls", "lsprotocol", "cattrs", "ldkit.lsp")


def _modules_after(script: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "tools")},
        cwd=REPO,
        timeout=60,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_validate_and_format_never_import_the_language_server():
    result = _modules_after(
        "import json, sys, io, contextlib\n"
        "from ldkit.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    codes = [main(['validate', 'integrations/dynatrace']),\n"
        "             main(['format', '--check', 'integrations/dynatrace'])]\n"
        f"print(json.dumps({{'codes': codes, 'loaded': [m for m in {LSP_STACK!r} "
        "if m in sys.modules]}))\n"
    )
    assert result == {"codes": [0, 0], "loaded": []}


def test_help_lists_lsp_without_importing_it():
    result = _modules_after(
        "import json, sys, io, contextlib\n"
        "from ldkit.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    main(['--help'])\n"
        "    main(['lsp', '--help'])\n"
        f"print(json.dumps({{'listed': 'lsp' in out.getvalue(), 'loaded': [m for m in "
        f"{LSP_STACK!r} if m in sys.modules]}}))\n"
    )
    assert result == {"listed": True, "loaded": []}


def test_lsp_without_the_extra_says_how_to_install_it():
    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('pygls', 'lsprotocol'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from ldkit.cli import main\n"
        "sys.exit(main(['lsp']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "tools")},
        timeout=60,
    )
    assert done.returncode == 2
    assert "pip install 'ld-integration-kit[lsp]'" in done.stderr
    assert "Traceback" not in done.stderr
