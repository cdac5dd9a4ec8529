"""The web stack is the `serve` extra: `validate` (what pre-commit runs) and
`ldkit --help` never import it, and `ldkit serve` without it says how to
install it instead of failing with a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

from _serve_harness import REPO, environment

WEB_STACK = ("starlette", "uvicorn", "anyio", "httptools", "uvloop", "ldkit.serve")


def _modules_after(script: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=environment(),
        cwd=REPO,
        timeout=60,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_validate_never_imports_the_web_stack():
    result = _modules_after(
        "import json, sys\n"
        "from ldkit.cli import main\n"
        "code = main(['validate', 'integrations/dynatrace'])\n"
        f"print(json.dumps({{'code': code, 'loaded': [m for m in {WEB_STACK!r} "
        "if m in sys.modules]}))\n"
    )
    assert result == {"code": 0, "loaded": []}


def test_help_lists_serve_without_importing_it():
    result = _modules_after(
        "import json, sys, io, contextlib\n"
        "from ldkit.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    main(['--help'])\n"
        f"print(json.dumps({{'listed': 'serve' in out.getvalue(), 'loaded': [m for m in "
        f"{WEB_STACK!r} if m in sys.modules]}}))\n"
    )
    assert result == {"listed": True, "loaded": []}


def test_serve_without_the_extra_says_how_to_install_it(tmp_path):
    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('starlette', 'uvicorn'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from ldkit.cli import main\n"
        f"sys.exit(main(['serve', '--root', {str(tmp_path)!r}]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=60,
    )
    assert done.returncode == 2
    assert "pip install 'ld-integration-kit[serve]'" in done.stderr
    assert "Traceback" not in done.stderr
