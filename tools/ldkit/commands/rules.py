"""`ldkit rules [RULE_ID]`: the rule catalogue, so that every finding's id leads
to an explanation and an example of the fix."""

from __future__ import annotations

import json
import textwrap

import click

from ldkit.core.rule import RuleDeclaration


def _describe(cls: type[RuleDeclaration]) -> dict[str, object]:
    return {
        "id": cls.id,
        "severity": str(cls.severity),
        "title": cls.title,
        "upstream": bool(cls.upstream),
        "explanation": cls.explanation,
        "bad_example": cls.bad_example,
        "good_example": cls.good_example,
        "docs": cls.doc_path(),
    }


def _list_text(rules: list[dict[str, object]]) -> str:
    width_id = max([len("ID")] + [len(str(r["id"])) for r in rules])
    width_sev = max([len("SEVERITY")] + [len(str(r["severity"])) for r in rules])
    lines = [f"{'ID':<{width_id}}  {'SEVERITY':<{width_sev}}  TITLE"]
    for rule in rules:
        lines.append(f"{rule['id']:<{width_id}}  {rule['severity']:<{width_sev}}  {rule['title']}")
    lines.append("")
    lines.append(f"{len(rules)} rules. Run `ldkit rules ID` for the explanation and examples.")
    return "\n".join(lines) + "\n"


def _indent(text: str) -> str:
    return textwrap.indent(text, "    ")


def _detail_text(rule: dict[str, object]) -> str:
    enforced = (
        "yes, LaunchDarkly rejects manifests that break it"
        if rule["upstream"]
        else "no, ldkit's own check"
    )
    parts = [
        f"{rule['id']}: {rule['title']}",
        f"severity: {rule['severity']}",
        f"enforced by LaunchDarkly: {enforced}",
        "",
        textwrap.fill(str(rule["explanation"]), width=88) if rule["explanation"] else "",
    ]
    if rule["bad_example"]:
        parts += ["", "Bad:", _indent(str(rule["bad_example"]))]
    if rule["good_example"]:
        parts += ["", "Good:", _indent(str(rule["good_example"]))]
    parts += ["", f"More: {rule['docs']} in the ldkit repository"]
    return "\n".join(parts).rstrip("\n") + "\n"


@click.command("rules")
@click.argument("rule_id", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    help="Output format (default: text).",
)
def command(rule_id: str | None, fmt: str) -> None:
    """List the rules, or explain one.

    Without RULE_ID, every rule with its id, severity and title. With RULE_ID
    (for example LD203), its explanation, whether LaunchDarkly itself enforces
    it, and a bad and a good example.
    """
    from ldkit.catalogue import all_rules
    from ldkit.catalogue.ids import normalise, suggestions

    registry = all_rules()
    if rule_id is None:
        rules = [_describe(cls) for cls in registry.values()]
        if fmt == "json":
            click.echo(json.dumps({"rules": rules}, indent=2, ensure_ascii=False))
        else:
            click.echo(_list_text(rules), nl=False)
        return
    cls = registry.get(normalise(rule_id))
    if cls is None:
        hint = suggestions(rule_id, list(registry))
        message = f"ldkit rules: unknown rule id {rule_id!r}"
        if hint:
            message += f"; did you mean {', '.join(hint)}?"
        click.echo(message + " (run `ldkit rules` for the list)", err=True)
        raise SystemExit(2)
    rule = _describe(cls)
    if fmt == "json":
        click.echo(json.dumps(rule, indent=2, ensure_ascii=False))
    else:
        click.echo(_detail_text(rule), nl=False)
