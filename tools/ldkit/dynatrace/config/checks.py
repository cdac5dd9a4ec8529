"""The checks that need only the configuration itself: the format's own
constraints (settings schema `builtin:problem.notifications` 1.6.1 and the
classic model), the URL, the risky switches, and secrets written in plain text.

The payload checks, which need the renderer and the integration's trigger,
live in `ldkit.dynatrace.config.payload`.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

from ldkit.core.findings import Finding
from ldkit.core.rule import RuleDeclaration
from ldkit.dynatrace.config import rules
from ldkit.dynatrace.config.model import Field, Form, Webhook, Where, finding

MAX_NAME = 100
MAX_URL = 1000
MAX_HEADERS = 100
MAX_HEADER_NAME = 500
MAX_HEADER_VALUE = 8192

URL_PATTERN = re.compile(r"^https?://")
#: `https://<LaunchDarkly host>/webhook/triggers/<24-hex trigger id>/<UUID secret>`.
TRIGGER_URL = re.compile(
    r"\Ahttps://app\.(?:launchdarkly\.com|launchdarkly\.us|eu\.launchdarkly\.com)"
    r"/webhook/triggers/[0-9a-f]{24}/"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/?\Z"
)
#: The part of a trigger URL that is its secret, whatever the scheme or host.
TRIGGER_PATH = re.compile(r"/webhook/triggers/[0-9a-f]{24}/[0-9a-f-]{36}")
#: How Terraform wires the URL from the trigger resource (sensitive in state).
TRIGGER_REFERENCE = re.compile(r"\Alaunchdarkly_flag_trigger\.[A-Za-z0-9_-]+\.trigger_url\Z")
#: The all-zero UUID (the settings schema's default for `alertingProfile`) and
#: the id of the environment's built-in "Default" profile as it appears in
#: public exports.
DEFAULT_PROFILES = ("00000000-0000-0000-0000-000000000000", "c21f969b-5f03-333d-83e0-4f8f136e7682")
#: Header names whose values are credentials.
CREDENTIAL_HEADER = re.compile(
    r"authorization|token|secret|passw|api[-_]?key|cookie|signature|credential", re.I
)


def _required(hook: Webhook) -> Iterator[tuple[Field, str]]:
    """(field, why) of each field this form requires."""
    yield hook.name, "the notification's name"
    yield hook.payload, "the custom payload"
    if hook.form in (Form.TERRAFORM, Form.CLASSIC):
        yield hook.enabled, "whether it is active"
        yield hook.alerting_profile, "the alerting profile"
    if hook.classic_model:
        yield hook.accept_any_certificate, "whether it accepts any certificate"


class _Checker:
    def __init__(self, hook: Webhook) -> None:
        self.hook = hook
        self.findings: list[Finding] = []

    def add(self, at: Field | Where, rule: type[RuleDeclaration], message: str) -> None:
        where = at.where if isinstance(at, Field) else at
        self.findings.append(finding(self.hook.path, where, rule, message))

    # -- the format ------------------------------------------------------------

    def required(self) -> None:
        for field, what in _required(self.hook):
            if not field.present:
                self.add(
                    field,
                    rules.RequiredField,
                    f"{self.hook.label} has no {field.key} ({what}); the {self.hook.form.label} "
                    "requires it",
                )
        url = self.hook.effective_url()
        if not url.present:
            self.add(
                url,
                rules.RequiredField,
                f"{self.hook.label} has no {url.key}: Dynatrace has nowhere to send the "
                "notification; set it to the LaunchDarkly trigger URL",
            )

    def lengths(self) -> None:
        name = self.hook.name.text()
        if name is not None and not name.strip():
            self.add(self.hook.name, rules.Length, f"{self.hook.name.key} is blank")
        elif name is not None and len(name) > MAX_NAME:
            self.add(
                self.hook.name,
                rules.Length,
                f"{self.hook.name.key} is {len(name)} characters long; Dynatrace allows "
                f"1 to {MAX_NAME}",
            )
        for field in (self.hook.url, self.hook.secret_url):
            text = field.text() if field is not None else None
            if text is None:
                continue
            if len(text) > MAX_URL:
                self.add(
                    field,
                    rules.Length,
                    f"{field.key} is {len(text)} characters long; Dynatrace allows 1 to {MAX_URL}",
                )
            if not URL_PATTERN.match(text):
                self.add(
                    field,
                    rules.UrlFormat,
                    f"{field.key} {text[:80]!r} does not start with http:// or https://; "
                    "Dynatrace only accepts absolute http(s) URLs (^https?://)",
                )

    def secret_url(self) -> None:
        flag, secret = self.hook.url_contains_secret, self.hook.secret_url
        if flag is None or secret is None:
            return
        if flag.flag() is True and not secret.present:
            self.add(
                flag,
                rules.SecretUrl,
                f"{flag.key} is true but {secret.key} is not set: Dynatrace calls {secret.key} "
                f"when {flag.key} is true; put the trigger URL there",
            )
        if secret.present and flag.flag() is not True and flag.reference is None:
            self.add(
                secret,
                rules.SecretUrl,
                f"{secret.key} is set but {flag.key} is not true, so Dynatrace ignores it and "
                f"calls {self.hook.url.key}; set {flag.key} to true",
            )

    def headers(self) -> None:
        headers = self.hook.headers
        if len(headers) > MAX_HEADERS:
            self.add(
                headers[MAX_HEADERS].where,
                rules.HeaderConstraint,
                f"{len(headers)} headers; Dynatrace allows at most {MAX_HEADERS}",
            )
        for header in headers:
            name = header.name.text()
            if not header.name.present or (name is not None and not name.strip()):
                self.add(
                    header.name,
                    rules.HeaderConstraint,
                    "a header without a name; Dynatrace requires 1 to 500 characters",
                )
            elif name is not None and len(name) > MAX_HEADER_NAME:
                self.add(
                    header.name,
                    rules.HeaderConstraint,
                    f"header name is {len(name)} characters long; Dynatrace allows at most "
                    f"{MAX_HEADER_NAME}",
                )
            for field in (header.value, header.secret_value):
                text = field.text()
                if text is not None and len(text) > MAX_HEADER_VALUE:
                    self.add(
                        field,
                        rules.HeaderConstraint,
                        f"header {name!r}: {field.key} is {len(text)} characters long; "
                        f"Dynatrace allows at most {MAX_HEADER_VALUE}",
                    )
            if header.secret.flag() is True and not header.secret_value.present:
                if header.secret.key == "secret":  # settings: the flag is its own field
                    self.add(
                        header.secret,
                        rules.HeaderConstraint,
                        f"header {name!r} is secret but has no secretValue; a secret header "
                        "carries its value in secretValue",
                    )
            if header.value.present and header.secret_value.present:
                self.add(
                    header.secret_value,
                    rules.HeaderConstraint,
                    f"header {name!r} sets both {header.value.key} and "
                    f"{header.secret_value.key}; they are mutually exclusive",
                )

    def oauth(self) -> None:
        use, oauth = self.hook.use_oauth2, self.hook.oauth
        if use is None or use.flag() is not True:
            return
        if oauth is None:
            self.add(
                use,
                rules.OAuthCredentials,
                f"{use.key} is true but there are no OAuth 2.0 credentials "
                "(access token URL, client id, client secret)",
            )
            return
        for field in (oauth.access_token_url, oauth.client_id, oauth.client_secret):
            if not field.present:
                self.add(
                    field,
                    rules.OAuthCredentials,
                    f"the OAuth 2.0 credentials have no {field.key}; the client-credentials "
                    "grant needs the access token URL, the client id and the client secret",
                )
        token_url = oauth.access_token_url.text()
        if token_url is not None and not token_url.startswith("https://"):
            self.add(
                oauth.access_token_url,
                rules.OAuthCredentials,
                f"{oauth.access_token_url.key} must be an https:// URL; Dynatrace only fetches "
                "tokens over HTTPS",
            )

    # -- where it goes ---------------------------------------------------------

    def url(self) -> None:
        url = self.hook.effective_url()
        # A JSON placeholder such as http://${HOST}/... still shows its scheme.
        text = url.value if isinstance(url.value, str) else None
        if text is None or not URL_PATTERN.match(text):
            return
        if text.startswith("http://"):
            self.add(
                url,
                rules.UrlNotHttps,
                f"{url.key} uses http://: the payload and a URL that is itself the trigger's "
                "credential travel unencrypted; use https://",
            )
        elif url.reference is None and not TRIGGER_URL.match(text):
            self.add(
                url,
                rules.UrlNotTrigger,
                f"{url.key} is not shaped like a LaunchDarkly trigger URL "
                "(https://app.launchdarkly.com/webhook/triggers/<trigger id>/<secret>); "
                "fine if it is a proxy on purpose, otherwise paste the URL LaunchDarkly showed "
                "when the trigger was created",
            )

    # -- switches --------------------------------------------------------------

    def switches(self) -> None:
        hook = self.hook
        if hook.accept_any_certificate.flag() is True:
            self.add(
                hook.accept_any_certificate,
                rules.AnyCertificate,
                f"{hook.accept_any_certificate.key} is true: Dynatrace accepts any certificate, "
                "so whoever can intercept the call learns the trigger URL (the trigger's only "
                f"credential); LaunchDarkly's certificate is valid, set it to false",
            )
        closed = hook.notify_closed_problems
        if closed is None:
            self.add(
                hook.where,
                rules.ClosedProblems,
                f"{hook.label} uses the classic notification model, which has no switch for "
                "closed-problem notifications, and Dynatrace sends them by default: when a "
                "problem closes, the same title and URL call the trigger again, and a trigger "
                "cannot tell OPEN from RESOLVED; use the Settings 2.0 model "
                "(notifyClosedProblems: false; in Terraform, dynatrace_webhook_notification with "
                "notify_closed_problems = false)",
            )
        elif closed.flag() is True or (not closed.present):
            state = (
                "is true"
                if closed.present
                else "is not set, and the settings schema's default is true"
            )
            self.add(
                closed,
                rules.ClosedProblems,
                f"{closed.key} {state}: when a problem closes Dynatrace posts the same title and "
                "URL again, and the trigger, which cannot tell OPEN from RESOLVED, runs a second "
                "time (it turns the flag off again if someone turned it back on); set "
                f"{closed.key} to false",
            )
        merges = hook.notify_event_merges
        if merges.flag() is True:
            self.add(
                merges,
                rules.EventMerges,
                f"{merges.key} is true: every event merged into an open problem calls the "
                f"trigger again with the same title; set {merges.key} to false",
            )
        profile = hook.alerting_profile
        text = profile.text()
        if profile.reference is not None:
            return
        if not profile.present and hook.form in (Form.TERRAFORM, Form.CLASSIC):
            return  # required there: LD701 already says so
        if not profile.present or text is None or not text.strip() or _is_default_profile(text):
            what = (
                "no alerting profile"
                if not profile.present or not (text or "").strip()
                else "the default alerting profile"
            )
            self.add(
                profile,
                rules.AlertingProfile,
                f"{hook.label} uses {what}: every problem in the environment calls the trigger "
                "and flips the flag; LaunchDarkly recommends a custom alerting profile that "
                f"matches only the problems meant for this flag (set {profile.key} to its id)",
            )

    # -- secrets -----------------------------------------------------------------

    def secrets(self) -> None:
        hook = self.hook
        alternative = hook.form.secret_alternative
        url = hook.effective_url()
        text = url.text()
        declared_secret = url is hook.secret_url
        if text is not None and (TRIGGER_PATH.search(text) or declared_secret):
            self.add(
                url,
                rules.PlainTextSecret,
                f"{url.key} holds the trigger URL in plain text; whoever reads this file can "
                f"flip the flag (the URL is the trigger's only credential): {alternative}",
            )
        for header in hook.headers:
            name = header.name.text() or ""
            if header.secret_value.text() is not None:
                self.add(
                    header.secret_value,
                    rules.PlainTextSecret,
                    f"header {name!r}: {header.secret_value.key} is written in plain text in "
                    f"this file: {alternative}",
                )
            elif header.value.text() and CREDENTIAL_HEADER.search(name):
                self.add(
                    header.value,
                    rules.PlainTextSecret,
                    f"header {name!r} carries a credential in plain text: {alternative}",
                )
        if hook.oauth is not None and hook.oauth.client_secret.text():
            self.add(
                hook.oauth.client_secret,
                rules.PlainTextSecret,
                f"the OAuth 2.0 {hook.oauth.client_secret.key} is written in plain text: "
                f"{alternative}",
            )


def _is_default_profile(text: str) -> bool:
    if text.lower() in DEFAULT_PROFILES:
        return True
    # A Settings 2.0 object id (base64url) that names the default profile.
    try:
        decoded = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return False
    return any(profile.encode() in decoded for profile in DEFAULT_PROFILES[1:])


def check(hook: Webhook) -> list[Finding]:
    checker = _Checker(hook)
    checker.required()
    checker.lengths()
    checker.secret_url()
    checker.headers()
    checker.oauth()
    checker.url()
    checker.switches()
    checker.secrets()
    return checker.findings


def content_type(hook: Webhook) -> str | None:
    """The literal Content-Type header value, or None when none is set (the
    default, application/json) or it is only known at deploy time."""
    for header in hook.headers:
        name = header.name.text()
        if name is not None and name.strip().lower() == "content-type":
            return header.value.text() or header.secret_value.text()
    return None


__all__ = ["check", "content_type", "TRIGGER_URL", "TRIGGER_REFERENCE"]
