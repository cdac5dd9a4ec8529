"""Regular expressions a manifest hands to LaunchDarkly: how they are checked and run."""
