"""ldkit's Handlebars engine against what the real Handlebars.js 4.7.7 did.

`tests/fixtures/handlebars/golden.json` holds the output (or the error) of
Handlebars.js in strict mode for each template of `cases.json`;
`generate_golden.js` next to them regenerates it. A template Handlebars.js
compiles and renders must render byte for byte the same here; one it refuses
must be refused here too, at parse time when Handlebars.js refused it while
parsing, at render time otherwise.
"""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES
from ldkit.handlebars import TemplateRenderError, TemplateSyntaxError, compile_template

GOLDEN_DIR = FIXTURES / "handlebars"
CONTEXT = json.loads((GOLDEN_DIR / "cases.json").read_text("utf-8"))["context"]
GOLDEN = json.loads((GOLDEN_DIR / "golden.json").read_text("utf-8"))["cases"]
PARSE_ERRORS = ("Parse error", "Lexical error", "doesn't match")


def test_the_golden_data_comes_from_handlebars_4_7_7_in_strict_mode():
    generator = json.loads((GOLDEN_DIR / "golden.json").read_text("utf-8"))["generator"]
    assert generator.startswith("handlebars@4.7.7 ") and "strict: true" in generator


@pytest.mark.parametrize("case", GOLDEN, ids=[case["name"] for case in GOLDEN])
def test_same_outcome_as_handlebars_js(case):
    template = case["template"]
    if "output" in case:
        assert compile_template(template).render(CONTEXT) == case["output"]
    elif any(marker in case["throws"] for marker in PARSE_ERRORS):
        with pytest.raises(TemplateSyntaxError):
            compile_template(template)
    else:
        compiled = compile_template(template)
        with pytest.raises(TemplateRenderError):
            compiled.render(CONTEXT)
