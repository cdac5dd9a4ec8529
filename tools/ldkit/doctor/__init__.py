"""`ldkit doctor`: after an incident, why a flag trigger flipped the flag, or
did not — the trigger's recent calls read from LaunchDarkly's REST API,
replayed through the one trigger core, checked against the change history."""
