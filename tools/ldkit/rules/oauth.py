"""OAuth settings: the allow-list, shared keys and a missing key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ldkit.core.findings import Finding, Severity
from ldkit.rules._support import ABSENT, member
from ldkit.rules.base import Rule, RuleContext

# Folders LaunchDarkly's tests allow to set requiresOAuth. A partner cannot
# add to this list; LaunchDarkly has to enable OAuth on its side.
OAUTH_FOLDERS = frozenset(
    {
        "appdynamics",
        "sentry",
        "servicenow",
        "servicenow-normal",
        "servicenow-app",
        "custom-approvals-oauth",
    }
)
# These three share the OAuth key "servicenow" on purpose and are left out of S6.
SHARED_KEY_FOLDERS = frozenset({"servicenow", "servicenow-normal", "servicenow-app"})


class OAuthNotAllowed(Rule):
    id = "LD205"
    severity = Severity.ERROR
    title = "requiresOAuth is set for an integration LaunchDarkly has not enabled OAuth for"
    upstream = True
    explanation = (
        "OAuth integrations need an OAuth client configured by LaunchDarkly. Its tests accept "
        "`requiresOAuth: true` only for the folders appdynamics, sentry, servicenow, "
        "servicenow-normal, servicenow-app and custom-approvals-oauth. LaunchDarkly must enable "
        "OAuth for the integration (and add it to that list) before the manifest can set it."
    )
    bad_example = '"requiresOAuth": true   // in integrations/my-tool/'
    good_example = "(no requiresOAuth, until LaunchDarkly has enabled OAuth for my-tool)"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        # Upstream fails any truthy value; a non-boolean is the schema's finding.
        if ctx.key in OAUTH_FOLDERS or member(ctx.manifest, "requiresOAuth") is not True:
            return
        yield self.finding(
            ctx,
            "/requiresOAuth",
            f"requiresOAuth is set, but LaunchDarkly must enable OAuth for the integration "
            f"{ctx.key!r} first (its tests allow it only for "
            f"{', '.join(sorted(OAUTH_FOLDERS))}); contact LaunchDarkly or remove requiresOAuth",
        )


def _oauth_keys(ctx: RuleContext, integrations: Path) -> dict[str, str]:
    """The oauthIntegrationKey of every manifest under one integrations/ folder."""
    keys: dict[str, str] = {}
    for name, data in ctx.workspace.sibling_manifests(integrations).items():
        value = data.get("oauthIntegrationKey") if isinstance(data, dict) else None
        if isinstance(value, str):
            keys[name] = value
    return keys


class OAuthKeyNotUnique(Rule):
    id = "LD206"
    severity = Severity.ERROR
    title = "oauthIntegrationKey is used by another integration"
    upstream = True
    explanation = (
        "`oauthIntegrationKey` names the OAuth client an integration uses, and LaunchDarkly's "
        "tests require it to be unique across all manifests in `integrations/` (only "
        "servicenow, servicenow-normal and servicenow-app may share theirs). ldkit compares the "
        "manifest with its sibling folders."
    )
    bad_example = '"oauthIntegrationKey": "sentry"   // in integrations/my-tool/, sentry has it'
    good_example = '"oauthIntegrationKey": "my-tool"'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        value = member(ctx.manifest, "oauthIntegrationKey")
        if not isinstance(value, str) or ctx.key in SHARED_KEY_FOLDERS:
            return
        folder = ctx.integration_dir.resolve()
        if folder.parent.name != "integrations":
            return  # a lone integration folder has no siblings to compare with
        others = sorted(
            name
            for name, key in _oauth_keys(ctx, folder.parent).items()
            if key == value and name != folder.name and name not in SHARED_KEY_FOLDERS
        )
        if others:
            yield self.finding(
                ctx,
                "/oauthIntegrationKey",
                f"oauthIntegrationKey {value!r} is also used by "
                f"{', '.join('integrations/' + name for name in others)}; each OAuth "
                "integration needs its own key",
            )


class OAuthWithoutKey(Rule):
    id = "LD207"
    severity = Severity.WARNING
    title = "requiresOAuth without oauthIntegrationKey"
    explanation = (
        "An integration that sets `requiresOAuth` needs to say which OAuth client it uses, in "
        "`oauthIntegrationKey`. LaunchDarkly's tests do not require the pair, but without the "
        "key the OAuth flow has no client to use."
    )
    bad_example = '{"requiresOAuth": true}'
    good_example = '{"requiresOAuth": true, "oauthIntegrationKey": "my-tool"}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        manifest = ctx.manifest
        if member(manifest, "requiresOAuth") is not True:
            return
        if member(manifest, "oauthIntegrationKey") is not ABSENT:
            return  # present; a wrong type is the schema's finding
        yield self.finding(
            ctx,
            "/requiresOAuth",
            'requiresOAuth is true but there is no "oauthIntegrationKey"; add the key of the '
            "OAuth client LaunchDarkly set up for this integration",
        )
