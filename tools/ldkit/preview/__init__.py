"""`ldkit preview`: what an integration sends or receives, as a reviewer wants to see it.

LaunchDarkly's pull-request template asks partners for the output of
`npm run preview <INTEGRATION>` (`preview.js`): for an audit-log integration,
the request LaunchDarkly would send for a sample flag change. `outbound`
reproduces that output byte for byte without Node.js (and goes further when
upstream gives up: no flag or default template). `inbound` covers what
upstream cannot show: for a trigger integration, the request a tool sends to
LaunchDarkly and the change-history entry it produces.
"""
