"""The reference trigger parser: what a LaunchDarkly flag trigger does with one
webhook call, computed offline (docs/trigger-semantics.md)."""
