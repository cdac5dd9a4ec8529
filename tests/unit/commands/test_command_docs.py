"""Every command has its page under docs/commands/, linked from the docs index,
and the page names the command's options as `ldkit COMMAND --help` lists them."""

from __future__ import annotations

import re

import pytest

from conftest import REPO
from ldkit.cli import COMMANDS

DOCS = REPO / "docs"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_command_has_a_page_that_names_every_option(run, name):
    page = DOCS / "commands" / f"{name}.md"
    assert page.is_file(), f"docs/commands/{name}.md is missing"
    text = page.read_text(encoding="utf-8")
    help_text = run(name, "--help").stdout
    options = set(re.findall(r"^\s+(--[a-z][a-z-]*)", help_text, flags=re.MULTILINE))
    options.discard("--help")
    missing = sorted(option for option in options if option not in text)
    assert not missing, f"docs/commands/{name}.md does not mention {missing}"


def test_the_docs_index_links_every_command_page():
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for page in sorted((DOCS / "commands").glob("*.md")):
        assert f"(commands/{page.name})" in index, f"docs/README.md does not link {page.name}"
