"""JUnit XML, for CI test dashboards (Jenkins, GitLab, GitHub test-report actions).

Shape, and why:
- one `<testsuite>` per checked file, so a dashboard groups results by manifest;
- one `<testcase>` per (file, rule) that has findings, named after the rule, with
  every finding of that rule in the text, so ten findings of one rule are one red
  row rather than ten;
- one passing `<testcase>` for a file without findings, so dashboards show that it
  was checked (a suite without testcases is hidden or counted as empty by most);
- warnings make a *passing* testcase whose findings go to `<system-out>`. JUnit
  has no warning status: a `<failure>` would turn the build red although ldkit
  exits 0, and `<skipped>` would claim the check did not run. Jenkins and GitLab
  show system-out on the test's page; with `--strict` warnings become errors and
  so failures, matching the exit code again.
- `file` and `line` attributes on each testcase (not in the Ant schema, but read by
  GitLab and by the GitHub JUnit report actions to link and annotate the file).
Counts (`tests`, `failures`, `errors`, `skipped`) are on every suite and on the
`<testsuites>` root. Everything is built with ElementTree, which escapes markup;
what came from a file is shown the way the text format shows it (`printable`:
a newline in a key cannot start a line that forges a GitHub `::error` command
when the report is printed in a CI log, a bidirectional override cannot
reorder it), and characters XML 1.0 cannot carry at all are replaced with a
visible escape.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from ldkit.core.findings import FileResult, Finding, Report, Severity
from ldkit.core.rule import RuleLookup
from ldkit.report.encode import printable

# XML 1.0 Char production: tab, LF, CR, U+0020-D7FF, U+E000-FFFD, U+10000-10FFFF.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

CLEAN_TESTCASE = "no findings"


def xml_text(text: str) -> str:
    """One line of text, printable and carried by XML 1.0."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", printable(text))


def _line(f: Finding) -> str:
    where = f" (at {f.pointer})" if f.pointer else ""
    return f"{f.path}:{f.line}:{f.column}: {f.rule} {f.severity}: {f.message}{where}"


def _rule_title(rule_id: str, rules: RuleLookup) -> str:
    rule = rules(rule_id)
    return f"{rule_id} {rule.title}" if rule is not None else rule_id


def _testcase(suite: ET.Element, path: str, name: str, line: int | None = None) -> ET.Element:
    attrs = {"classname": xml_text(path), "name": xml_text(name), "file": xml_text(path)}
    if line is not None:
        attrs["line"] = str(line)
    attrs["time"] = "0"
    return ET.SubElement(suite, "testcase", attrs)


def _suite(root: ET.Element, result: FileResult, rules: RuleLookup) -> dict[str, int]:
    suite = ET.SubElement(root, "testsuite", {"name": xml_text(result.path)})
    tests = failures = 0
    # A finding may live in another file the checked one uses (a template): its
    # testcase names that file, so dashboards link to the line to edit.
    findings = sorted(
        result.findings, key=lambda f: (f.path != result.path, f.path, f.rule, f.line, f.column)
    )
    for (path, rule_id), group in groupby(findings, key=lambda f: (f.path, f.rule)):
        items = list(group)
        tests += 1
        case = _testcase(suite, path, _rule_title(rule_id, rules), items[0].line)
        text = "".join(xml_text(_line(f)) + "\n" for f in items)
        errors = [f for f in items if f.severity is Severity.ERROR]
        if errors:
            failures += 1
            more = f" (and {len(items) - 1} more)" if len(items) > 1 else ""
            failure = ET.SubElement(
                case,
                "failure",
                {"message": xml_text(errors[0].message + more), "type": xml_text(rule_id)},
            )
            failure.text = text
        else:
            ET.SubElement(case, "system-out").text = text
    if not result.findings:
        tests += 1
        _testcase(suite, result.path, CLEAN_TESTCASE)
    counts = {"tests": tests, "failures": failures, "errors": 0, "skipped": 0}
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("time", "0")
    return counts


def render(report: Report, rules: RuleLookup) -> str:
    root = ET.Element("testsuites", {"name": "ldkit validate"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for result in report.files:
        for key, value in _suite(root, result, rules).items():
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
