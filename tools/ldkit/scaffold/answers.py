"""What `ldkit new` asks, and how each answer is checked before anything is written.

The checks mirror the manifest schema's constraints (lengths, no line breaks, URL
and e-mail shapes, enums) so that a scaffold never starts life failing `ldkit
validate`: a bad answer is refused at the prompt, where it is cheap to fix, instead
of surfacing later as a finding in a generated file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

KEY_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")

CATEGORIES = (
    "ai",
    "analytics",
    "approval",
    "authentication",
    "automation",
    "big-segment-store",
    "code-references",
    "customer-support",
    "data",
    "developer-tools",
    "import",
    "infrastructure",
    "issue-tracking",
    "log-management",
    "messaging",
    "migration",
    "monitoring",
    "synced-segments",
    "notifications",
)

#: Capabilities the scaffold can generate, with what each adds.
CAPABILITIES = {
    "trigger": "an inbound webhook that turns a flag on or off, with replay cases",
    "auditLogEventsHook": "an outbound webhook on flag changes, with a body template",
}

# The schema's `^(.*)$` is an ECMAScript pattern: `.` stops at these four.
_LINE_BREAKS = re.compile("[\n\r\u2028\u2029]")
# The e-mail check LaunchDarkly's validator applies (Ajv 6 "fast" format).
_EMAIL = re.compile(
    r"[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*",
    re.ASCII | re.IGNORECASE,
)
_URL = re.compile(r"https?://\S+", re.ASCII | re.IGNORECASE)


#: Why each answer without a default is required: said when a prompt gets a blank answer.
WHY_REQUIRED = {
    "author": "the manifest names the author on the integrations page",
    "support_email": "the manifest gives users an address to ask for support",
    "site": "the manifest links to your website",
    "privacy_policy": "the manifest links to your privacy policy",
}

LICENSE_QUESTION = (
    "Add LICENSE.md with the Apache-2.0 licence (the licence of LaunchDarkly's integrations "
    "repository, where you submit the integration)?"
)


class AnswerError(ValueError):
    """An answer the manifest schema would reject; the message says what to give."""


def check_key(value: str) -> str:
    if not KEY_PATTERN.fullmatch(value):
        raise AnswerError(
            f"{value!r} is not a valid integration key: use lowercase letters, digits and "
            "hyphens, starting and ending with a letter or digit (for example 'acme-alerts')"
        )
    return value


def _text(label: str, low: int, high: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        value = value.strip()
        if _LINE_BREAKS.search(value):
            raise AnswerError(f"{label} must be one line: the manifest schema forbids line breaks")
        if not low <= len(value) <= high:
            raise AnswerError(
                f"{label} must be {low} to {high} characters long (this one has {len(value)})"
            )
        return value

    return check


check_name = _text("the name", 3, 100)
check_description = _text("the description", 50, 2048)
check_author = _text("the author", 3, 100)
_overview_text = _text("the overview", 10, 100)


def check_overview(value: str) -> str:
    value = _overview_text(value)
    if not value.endswith("."):
        raise AnswerError("the overview must end with a period (LaunchDarkly's tests require it)")
    return value


def check_email(value: str) -> str:
    value = value.strip()
    if not _EMAIL.fullmatch(value):
        raise AnswerError(
            f"{value!r} is not an e-mail address LaunchDarkly accepts: ASCII only, like "
            "support@example.com"
        )
    return value


def check_url(label: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        value = value.strip()
        if not _URL.fullmatch(value) or len(value) > 2048:
            raise AnswerError(
                f"{label} must be an http:// or https:// URL without spaces "
                f"(at most 2048 characters), not {value!r}"
            )
        return value

    return check


def _split(value: str | list[str] | tuple[str, ...]) -> list[str]:
    items = value.split(",") if isinstance(value, str) else [i for v in value for i in v.split(",")]
    return [item.strip() for item in items if item.strip()]


def check_categories(value: str | list[str] | tuple[str, ...]) -> list[str]:
    items = _split(value)
    unknown = [item for item in items if item not in CATEGORIES]
    if unknown:
        raise AnswerError(
            f"unknown categor{'y' if len(unknown) == 1 else 'ies'} {', '.join(unknown)}; "
            f"choose from: {', '.join(CATEGORIES)}"
        )
    if len(set(items)) != len(items):
        raise AnswerError("list each category once")
    if not 1 <= len(items) <= 3:
        raise AnswerError("give 1 to 3 categories, separated by commas")
    return items


def check_capabilities(value: str | list[str] | tuple[str, ...]) -> list[str]:
    items = list(dict.fromkeys(_split(value)))
    unknown = [item for item in items if item not in CAPABILITIES]
    if unknown:
        raise AnswerError(
            f"cannot scaffold {', '.join(unknown)}; choose from: {', '.join(CAPABILITIES)}"
        )
    if not items:
        raise AnswerError(f"give at least one capability: {', '.join(CAPABILITIES)}")
    return items


def title_from_key(key: str) -> str:
    return " ".join(part.capitalize() for part in key.split("-") if part)


@dataclass
class Answers:
    key: str
    name: str
    overview: str
    description: str
    author: str
    support_email: str
    site: str
    privacy_policy: str
    categories: list[str] = field(default_factory=lambda: ["monitoring"])
    capabilities: list[str] = field(default_factory=lambda: ["trigger"])
    documentation: str = ""
    #: Write LICENSE.md (Apache-2.0, the licence of LaunchDarkly's integrations repository).
    license: bool = True

    @property
    def trigger(self) -> bool:
        return "trigger" in self.capabilities

    @property
    def audit_log(self) -> bool:
        return "auditLogEventsHook" in self.capabilities


def name_check(capabilities: list[str]) -> Callable[[str], str]:
    """The name's own limits, plus LaunchDarkly's documented naming rule for
    trigger-only integrations (which its validator does not enforce)."""

    def check(value: str) -> str:
        value = check_name(value)
        if capabilities == ["trigger"] and "trigger" in value.lower():
            raise AnswerError(
                f"the name {value!r} contains 'trigger': LaunchDarkly shows a trigger-only "
                "integration as '<name> trigger', so leave the word out"
            )
        return value

    return check


def default_overview(name: str, capabilities: list[str]) -> str:
    if "trigger" in capabilities:
        text = f"Turn LaunchDarkly flags on or off when {name} raises an alert."
        fallback = "Turn LaunchDarkly flags on or off from alerts."
    else:
        text = f"Send LaunchDarkly flag changes to {name}."
        fallback = "Send LaunchDarkly flag changes to this tool."
    return text if len(text) <= 100 else fallback


def default_description(name: str, capabilities: list[str]) -> str:
    parts = []
    if "trigger" in capabilities:
        parts.append(
            f"Connect {name} alerts to LaunchDarkly flag triggers so that an alert can turn a "
            "feature flag on or off without a deploy."
        )
    if "auditLogEventsHook" in capabilities:
        parts.append(f"Send every LaunchDarkly flag change to {name} as an event.")
    return " ".join(parts)
