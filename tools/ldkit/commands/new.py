"""`ldkit new KEY`: scaffold `integrations/KEY/` from the templates in `ldkit.scaffold`."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from ldkit.scaffold.answers import Answers

# Free-text answers after the name, in the order they are asked.
_PROMPTS = {
    "overview": "Overview (one sentence ending with a period)",
    "description": "Description (50 to 2048 characters, one line)",
    "author": "Author (your company)",
    "support_email": "Support e-mail",
    "site": "Website URL",
    "privacy_policy": "Privacy policy URL",
}


def _checked(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Turn an AnswerError into click's UsageError, which makes `click.prompt`
    print the reason and ask again."""
    from ldkit.scaffold.answers import AnswerError

    def proc(value: Any) -> Any:
        try:
            return check(value)
        except AnswerError as exc:
            raise click.UsageError(str(exc)) from None

    return proc


def _required(why: str, check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`check`, after refusing a blank answer with the reason it is required."""
    from ldkit.scaffold.answers import AnswerError

    def proc(value: Any) -> Any:
        if not str(value).strip():
            raise AnswerError(f"an answer is required ({why}) and there is no default")
        return check(value)

    return proc


class _Asker:
    """One place that decides, per answer: the option's value, else a prompt, else
    (with --no-input) the default, else a clear error."""

    def __init__(self, no_input: bool) -> None:
        self.no_input = no_input

    def get(
        self,
        option: str,
        given: Any,
        check: Callable[[Any], Any],
        prompt: str,
        default: str | None,
        why: str = "",
    ) -> Any:
        """`why` says why the answer is required; it is shown when a prompt
        without a default gets a blank answer."""
        from ldkit.scaffold.answers import AnswerError

        if given not in (None, (), ""):
            try:
                return check(given)
            except AnswerError as exc:
                raise click.BadParameter(str(exc), param_hint=f"'{option}'") from None
        if self.no_input:
            if default is None:
                raise click.UsageError(f"{option} is required with --no-input")
            try:
                return check(default)
            except AnswerError as exc:
                raise click.BadParameter(
                    f"the default does not fit: {exc}", param_hint=f"'{option}'"
                ) from None
        try:
            if default is None:
                # click would repeat the question silently on a blank answer:
                # take the blank and refuse it with the reason instead.
                required = _checked(_required(why, check))
                return click.prompt(prompt, default="", show_default=False, value_proc=required)
            return click.prompt(prompt, default=default, value_proc=_checked(check))
        except click.Abort:
            # End of input (a script that forgot --no-input) or Ctrl-C: a usage
            # problem, not "findings", so exit 2 and say how to script it.
            raise click.UsageError(
                f"no answer for {option}; in scripts pass the values as options with --no-input"
            ) from None


@click.command("new")
@click.argument("key")
@click.option(
    "--root",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="Repository folder: the integration is created in ROOT/integrations/KEY "
    "(or beside the integration folders when ROOT is integrations/ or inside it).",
)
@click.option("--name", help="Display name (default: from the key).")
@click.option("--overview", help="One-line summary, 10 to 100 characters, ending with '.'.")
@click.option("--description", help="Longer description, 50 to 2048 characters, one line.")
@click.option("--author", help="Author shown on the integrations page.")
@click.option("--support-email", help="Support e-mail address.")
@click.option("--site", help="Your website (http or https URL).")
@click.option("--privacy-policy", help="Your privacy policy (http or https URL).")
@click.option(
    "--category",
    "categories",
    multiple=True,
    help="Category (repeat, or separate with commas; 1 to 3; default: monitoring).",
)
@click.option(
    "--capability",
    "capabilities",
    multiple=True,
    help="trigger (default) and/or auditLogEventsHook (repeat, or separate with commas).",
)
@click.option(
    "--docs-url",
    "documentation",
    help="Page that explains how to connect the trigger (default: the website URL).",
)
@click.option(
    "--license/--no-license",
    "license_",
    default=None,
    help="Write LICENSE.md: Apache-2.0, the licence of LaunchDarkly's integrations repository, "
    "where integrations are submitted (default: yes; asked when prompting).",
)
@click.option("--no-input", is_flag=True, help="Never prompt: use options and defaults.")
@click.option(
    "--vscode",
    is_flag=True,
    help=(
        "Also map the manifest schema to integrations/*/manifest.json in ROOT/.vscode/"
        "settings.json (merged with what is there) and write the schema next to it."
    ),
)
def command(
    key: str, root: str, no_input: bool, license_: bool | None, vscode: bool, **given: Any
) -> None:
    """Scaffold a new integration in integrations/KEY.

    Asks for what the manifest needs (or takes it from the options), then writes
    manifest.json, README.md, LICENSE.md (Apache-2.0, as in LaunchDarkly's
    integrations repository; --no-license leaves it out), placeholder icons and,
    for a trigger, replay cases with their expected results. The result passes
    `ldkit validate` and `ldkit replay` straight away.

    Run from a repository, from its integrations/ folder or from inside an
    integration, the new folder lands in that repository's integrations/.
    """
    from ldkit.integration import EXPECTED_SUFFIX, REPLAYS, integrations_folder
    from ldkit.scaffold import answers as a
    from ldkit.scaffold.render import write_integration

    try:
        a.check_key(key)
    except a.AnswerError as exc:
        raise click.BadParameter(str(exc), param_hint="'KEY'") from None
    target = integrations_folder(Path(root)) / key
    if _exists(target):
        raise click.UsageError(f"{target} already exists; choose another key or remove it")
    # VS Code settings belong to the repository: the folder holding integrations/.
    editor = _vscode_plan(target.parent.parent) if vscode else None

    answers = _ask(key, no_input, license_, given)

    notes: list[str] = []

    def finish(staged: Path) -> None:
        # Expected results are recorded before the folder moves into place, so
        # a killed run never leaves an integration without them.
        if answers.trigger:
            note = _record_expected(staged)
            if note:
                notes.append(note.replace(str(staged), str(target)))

    from ldkit.fs import WriteRefused

    try:
        # The repository is the folder holding integrations/ (`..` resolved, links
        # not): an integrations/ that links out of it is refused.
        repository = Path(os.path.abspath(target.parent)).parent
        written = write_integration(answers, target, finish, root=repository)
    except WriteRefused as refused:
        raise click.UsageError(f"cannot create {target}: {refused.detail}") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise click.UsageError(f"cannot create {target}: {reason}") from None
    note = notes[0] if notes else None
    written.extend(sorted((target / REPLAYS).glob(f"*{EXPECTED_SUFFIX}")))
    if editor is not None:
        from ldkit.scaffold.vscode import apply

        try:
            written.extend(apply(editor))
        except WriteRefused as refused:
            raise click.UsageError(f"cannot write {refused.path}: {refused.detail}") from None
    click.echo(f"Created {target}:")
    for path in written:
        click.echo(f"  {path}")
    if note:
        click.echo(note, err=True)
    click.echo("Next: replace the icons, adapt the manifest, then run")
    click.echo(f"  ldkit validate {target}")
    if answers.trigger:
        click.echo(f"  ldkit replay {target}")


def _ask(key: str, no_input: bool, license_: bool | None, given: dict[str, Any]) -> Answers:
    """Every answer the manifest needs, from the options or the prompts."""
    from ldkit.scaffold import answers as a

    ask = _Asker(no_input)
    capabilities = ask.get(
        "--capability",
        given["capabilities"],
        a.check_capabilities,
        f"Capabilities ({', '.join(a.CAPABILITIES)})",
        "trigger",
    )
    name = ask.get(
        "--name", given["name"], a.name_check(capabilities), "Display name", a.title_from_key(key)
    )
    checks = {
        "overview": (a.check_overview, a.default_overview(name, capabilities)),
        "description": (a.check_description, a.default_description(name, capabilities)),
        "author": (a.check_author, None),
        "support_email": (a.check_email, None),
        "site": (a.check_url("the website URL"), None),
        "privacy_policy": (a.check_url("the privacy policy URL"), None),
    }
    values: dict[str, Any] = {}
    for field, prompt in _PROMPTS.items():
        check, default = checks[field]
        option = "--" + field.replace("_", "-")
        why = a.WHY_REQUIRED.get(field, "")
        values[field] = ask.get(option, given[field], check, prompt, default, why)
    values["categories"] = ask.get(
        "--category",
        given["categories"],
        a.check_categories,
        "Categories (1 to 3, separated by commas)",
        "monitoring",
    )
    if "trigger" in capabilities:
        values["documentation"] = ask.get(
            "--docs-url",
            given["documentation"],
            a.check_url("the trigger documentation URL"),
            "Trigger documentation URL",
            values["site"],
        )
    if license_ is None:
        license_ = True if no_input else _confirm(a.LICENSE_QUESTION)
    return a.Answers(key=key, name=name, capabilities=capabilities, license=license_, **values)


def _confirm(question: str) -> bool:
    try:
        return click.confirm(question, default=True)
    except click.Abort:
        raise click.UsageError(
            "no answer for --license/--no-license; in scripts pass the values as options "
            "with --no-input"
        ) from None


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError) as exc:
        raise click.UsageError(f"cannot create {path}: {exc}") from None


def _vscode_plan(root: Path) -> Any:
    """The VS Code files `--vscode` will write, worked out before anything is
    written so that a settings file we must not touch stops the whole command."""
    from ldkit.scaffold.vscode import SettingsError, plan
    from ldkit.schema.export import render, standalone_schema
    from ldkit.schema.judge import bundled_upstream

    upstream = bundled_upstream()
    try:
        return plan(root, render(standalone_schema(upstream.commit, upstream.repository)))
    except SettingsError as exc:
        raise click.UsageError(f"--vscode: {exc}") from None


def _record_expected(target: Path) -> str | None:
    """Write the replay cases' expected files with the runner `ldkit replay
    --update` uses, so they can never disagree with it. Returns a note when that
    could not be done."""
    from ldkit.replay.runner import ReplaySummary, run_integration
    from ldkit.replay.text import render_replay

    summary = ReplaySummary(run_integration(target, update=True))
    if summary.ok:
        return None
    report = render_replay(summary, [target]).rstrip()
    return f"note: recording the expected replay results failed:\n{report}"
