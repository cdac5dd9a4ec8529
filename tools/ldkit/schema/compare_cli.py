"""The procedure for updating the bundled schema:

    python -m ldkit.schema.compare_cli PATH/TO/CHECKOUT [--json] [--plan]

prints every difference between the bundled schema and the checkout's (exit
0 when they accept the same manifests, 1 when they differ, 2 when a schema
cannot be read); with `--plan`, what the bundled schema would need to match
the checkout, step by step in the order to apply it (`--json` always carries
the plan too). It sits above both the comparison (`compare.py`) and the
schema loading (`judge.py`), so neither imports the other's caller.
"""

from __future__ import annotations

import json
import sys

from ldkit.schema.compare import compare, plan, plan_lines


def main(argv: list[str] | None = None) -> int:
    """`python -m ldkit.schema.compare_cli CHECKOUT [--json] [--plan]`."""
    import argparse
    from pathlib import Path

    from ldkit.schema.checkout import load_tree
    from ldkit.schema.judge import bundled, load_folder
    from ldkit.schema.load import SchemaLoadError, bundled_marked

    parser = argparse.ArgumentParser(
        prog="python -m ldkit.schema.compare_cli",
        description=(
            "List how a checkout's manifest schema differs from ldkit's bundled one "
            "(capabilities, keys and constraints added, removed or changed)."
        ),
    )
    parser.add_argument("checkout", help="a checkout of LaunchDarkly's integrations repository")
    parser.add_argument("--json", action="store_true", help="print the differences as JSON")
    parser.add_argument(
        "--plan",
        action="store_true",
        help="print what the bundled schema would need to match the checkout, in order",
    )
    args = parser.parse_args(argv)
    try:
        theirs = load_folder(Path(args.checkout))
        ours = bundled()
        marked = load_tree(theirs.folder, mark=True)
    except SchemaLoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    differences = compare(ours.tree, theirs.tree)
    steps = plan(bundled_marked(), marked, differences)
    if args.json:
        document = {"bundled": ours.label, "checkout": theirs.label, **differences.as_json()}
        document["plan"] = [step.as_json() for step in steps]
        print(json.dumps(document, indent=2))
    else:
        print(f"bundled:  {ours.label}")
        print(f"checkout: {theirs.label}")
        if args.plan:
            lines = plan_lines(steps)
        else:
            lines = differences.lines() or ["no differences: both accept the same manifests"]
        for line in lines:
            print(line)
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
