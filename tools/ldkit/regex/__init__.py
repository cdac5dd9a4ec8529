"""Regular expressions in manifests: do they compile in the engines LaunchDarkly
runs, and can they backtrack catastrophically."""
