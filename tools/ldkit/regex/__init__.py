"""Regular expressions in manifests: do they compile in the engines LaunchDarkly
runs (`check`), can they backtrack catastrophically, and running them with RE2
as LaunchDarkly does (`engine`)."""
