"""The webhook-configuration rules (LD700–LD740), declared once: the readers,
`checks` and `payload` of `ldkit.dynatrace.config` emit them by `MyRule.id`
(`ldkit dynatrace check`); `ldkit rules LD7xx` explains them."""

from __future__ import annotations

from ldkit.core.findings import Severity
from ldkit.core.rule import RuleDeclaration


class NotAWebhook(RuleDeclaration):
    id = "LD700"
    severity = Severity.ERROR
    title = "Not a webhook notification configuration"
    explanation = (
        "ldkit dynatrace check reads Settings 2.0 objects of schema "
        "builtin:problem.notifications (one, a list, a GET answer's items, or just the value), "
        "classic Configuration API notifications of type WEBHOOK, Terraform files with "
        "dynatrace_webhook_notification or dynatrace_notification resources, and Monaco "
        "config.yaml files. A file that is none of these (or not valid HCL or YAML) has nothing "
        "to check."
    )
    bad_example = '{"schemaId": "builtin:alerting.profile", "value": {...}}'
    good_example = '{"schemaId": "builtin:problem.notifications", "scope": "environment", ...}'


class RequiredField(RuleDeclaration):
    id = "LD701"
    severity = Severity.ERROR
    title = "Required field missing"
    explanation = (
        "Every form needs a name, a payload and a URL (url, or secretUrl when urlContainsSecret "
        "is true). Terraform and the classic API also require active and the alerting profile, "
        "and the classic model acceptAnyCertificate. Dynatrace (or Terraform) refuses the "
        "configuration without them."
    )
    bad_example = 'resource "dynatrace_webhook_notification" "x" { name = "x" }'
    good_example = "name, active, profile, url or secret_url, payload all set"


class WrongType(RuleDeclaration):
    id = "LD702"
    severity = Severity.ERROR
    title = "Field of the wrong type"
    explanation = (
        "Switches such as acceptAnyCertificate or notifyClosedProblems are booleans, names, "
        'URLs and payloads strings, headers a list of objects. A string "false" is not false.'
    )
    bad_example = '"notifyClosedProblems": "false"'
    good_example = '"notifyClosedProblems": false'


class Length(RuleDeclaration):
    id = "LD703"
    severity = Severity.ERROR
    title = "Name or URL length out of range"
    explanation = (
        "The settings schema limits the display name to 1-100 characters (not blank) and the "
        "webhook URL to 1-1,000. Dynatrace does not save values outside these ranges. (The "
        "payload's 1-5,000 characters are checked by the renderer, LD605.)"
    )
    bad_example = '"displayName": "   "'
    good_example = '"displayName": "LaunchDarkly: new-checkout-flow off"'


class UrlFormat(RuleDeclaration):
    id = "LD704"
    severity = Severity.ERROR
    title = "URL does not start with http:// or https://"
    explanation = (
        "Dynatrace only accepts webhook URLs matching ^https?://. A URL without a scheme, or "
        "with another one, is refused."
    )
    bad_example = '"url": "app.launchdarkly.com/webhook/triggers/..."'
    good_example = '"url": "https://app.launchdarkly.com/webhook/triggers/..."'


class HeaderConstraint(RuleDeclaration):
    id = "LD705"
    severity = Severity.ERROR
    title = "Header breaks Dynatrace's limits"
    explanation = (
        "At most 100 headers; each needs a name of 1-500 characters and a value of at most "
        "8,192. A secret header carries its value in secretValue (Terraform: secret_value), and "
        "value and secret_value are mutually exclusive."
    )
    bad_example = '{"name": "Authorization", "secret": true}'
    good_example = '{"name": "Authorization", "secret": true, "secretValue": "${TOKEN}"}'


class SecretUrl(RuleDeclaration):
    id = "LD706"
    severity = Severity.ERROR
    title = "secretUrl and urlContainsSecret disagree"
    explanation = (
        "Dynatrace calls secretUrl when urlContainsSecret is true and url otherwise. "
        "urlContainsSecret true without secretUrl has no URL to call; a secretUrl without "
        "urlContainsSecret true is ignored."
    )
    bad_example = '"secretUrl": "${LD_TRIGGER_URL}"  (urlContainsSecret missing)'
    good_example = '"urlContainsSecret": true, "secretUrl": "${LD_TRIGGER_URL}"'


class OAuthCredentials(RuleDeclaration):
    id = "LD707"
    severity = Severity.ERROR
    title = "OAuth 2.0 enabled without usable credentials"
    explanation = (
        "With useOAuth2 true Dynatrace obtains a token by the client-credentials grant before "
        "each call and needs oAuth2Credentials with an https:// accessTokenUrl, a clientId and "
        "a clientSecret. LaunchDarkly triggers do not need OAuth: the URL is the credential."
    )
    bad_example = '"useOAuth2": true  (no oAuth2Credentials)'
    good_example = '"useOAuth2": false'


class PayloadUnchecked(RuleDeclaration):
    id = "LD708"
    severity = Severity.WARNING
    title = "Payload known only at deploy time"
    explanation = (
        "The payload is a variable, a parameter or an expression ldkit does not evaluate, so it "
        "cannot be rendered and run through the trigger. Literals, heredocs, jsonencode() of "
        "literals and file() of a path in the module are evaluated; check anything else with "
        "ldkit render."
    )
    bad_example = "payload = var.payload"
    good_example = 'payload = file("${path.module}/payload.json")'


class UrlNotHttps(RuleDeclaration):
    id = "LD710"
    severity = Severity.WARNING
    title = "Webhook URL uses http://"
    explanation = (
        "A trigger URL is its own credential. Over plain HTTP the URL and the payload can be "
        "read and replayed by anyone on the path. LaunchDarkly serves triggers over HTTPS."
    )
    bad_example = '"url": "http://app.launchdarkly.com/webhook/triggers/..."'
    good_example = '"url": "https://app.launchdarkly.com/webhook/triggers/..."'


class UrlNotTrigger(RuleDeclaration):
    id = "LD711"
    severity = Severity.WARNING
    title = "URL is not shaped like a LaunchDarkly trigger URL"
    explanation = (
        "A LaunchDarkly trigger URL reads https://app.launchdarkly.com/webhook/triggers/<24 hex "
        "digits>/<UUID> (app.launchdarkly.us and app.eu.launchdarkly.com for the federal and EU "
        "instances). Anything else may be a proxy on purpose, or a copy-paste mistake that "
        "leaves the flag untouched."
    )
    bad_example = '"url": "https://app.launchdarkly.com/projects/default/flags/new-checkout-flow"'
    good_example = (
        '"url": "https://app.launchdarkly.com/webhook/triggers/5f1e4a1b2c3d4e5f6a7b8c9d/'
        '0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e"'
    )


class TestNotificationFlipsFlag(RuleDeclaration):
    id = "LD720"
    severity = Severity.ERROR
    title = "Send test notification would flip the flag"
    explanation = (
        "The payload is rendered with the values of Dynatrace's test run and parsed by the "
        "integration's trigger. When the event name it yields does not match the manifest's "
        "testEventNameRegexp, LaunchDarkly treats the test as a real event and applies the "
        "flag change: pressing Send test notification turns the flag off."
    )
    bad_example = '{"name": "{ProblemTitle}"}  (the Dynatrace manifest reads /title)'
    good_example = '{"title": "{ProblemTitle}", "url": "{ProblemURL}"}'


class NoEventName(RuleDeclaration):
    id = "LD721"
    severity = Severity.WARNING
    title = "A problem gives the trigger no event name"
    explanation = (
        "Rendered for a problem sample and parsed by the trigger, the body has nothing where "
        "the parser's eventName pointer reads (or is not JSON), so the flag's change history "
        "shows the default event name instead of the problem title."
    )
    bad_example = '{"ProblemTitle": "{ProblemTitle}"}  (parser reads /title)'
    good_example = '{"title": "{ProblemTitle}", "url": "{ProblemURL}"}'


class AnyCertificate(RuleDeclaration):
    id = "LD730"
    severity = Severity.WARNING
    title = "Any certificate accepted"
    explanation = (
        "acceptAnyCertificate (Terraform: insecure) true makes Dynatrace accept self-signed "
        "and invalid certificates, so a man in the middle learns the trigger URL, which is the "
        "trigger's only credential."
    )
    bad_example = "insecure = true"
    good_example = "insecure = false"


class ClosedProblems(RuleDeclaration):
    id = "LD731"
    severity = Severity.WARNING
    title = "Closed problems call the trigger again"
    explanation = (
        "notifyClosedProblems defaults to true. When the problem closes, Dynatrace posts the "
        "payload again with the same title and URL; a trigger reads only the event name, value "
        "and URL, so it cannot tell OPEN from RESOLVED and runs again (re-applying its action "
        "if the flag was switched back meanwhile). Set it to false for trigger integrations. "
        "The classic model has no such switch."
    )
    bad_example = '"notifyClosedProblems": true  (or not set)'
    good_example = '"notifyClosedProblems": false'


class EventMerges(RuleDeclaration):
    id = "LD732"
    severity = Severity.WARNING
    title = "Event merges call the trigger again"
    explanation = (
        "With notifyEventMergesEnabled (Terraform: notify_event_merges) true, every event that "
        "merges into an open problem sends the payload again, and the trigger runs again."
    )
    bad_example = '"notifyEventMergesEnabled": true'
    good_example = '"notifyEventMergesEnabled": false'


class AlertingProfile(RuleDeclaration):
    id = "LD733"
    severity = Severity.WARNING
    title = "No alerting profile, or the default one"
    explanation = (
        "The alerting profile decides which problems notify. Without one, or with the "
        "environment's default profile, every problem in the environment calls the trigger. "
        "LaunchDarkly's Dynatrace guide recommends a custom profile matching only the problems "
        "meant for the flag (management zone, severity, tags)."
    )
    bad_example = '"alertingProfile": "c21f969b-5f03-333d-83e0-4f8f136e7682"  (Default)'
    good_example = '"alertingProfile": "${DT_ALERTING_PROFILE_ID}"  (a custom profile)'


class PlainTextSecret(RuleDeclaration):
    id = "LD740"
    severity = Severity.WARNING
    title = "Secret written in plain text"
    explanation = (
        "The trigger URL (its path holds the secret), a credential header value or an OAuth "
        "client secret is written literally in a file meant to be committed; anyone who can "
        "read the repository can flip the flag. Each form has a secret alternative: a "
        "deploy-time placeholder plus secretUrl/secretValue in Settings JSON, a sensitive "
        "variable or the trigger resource's trigger_url in Terraform, an environment parameter "
        "in Monaco."
    )
    bad_example = '"url": "https://app.launchdarkly.com/webhook/triggers/5f1e.../0b1c..."'
    good_example = '"urlContainsSecret": true, "secretUrl": "${LD_TRIGGER_URL}"'
