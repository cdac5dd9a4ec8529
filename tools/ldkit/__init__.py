"""ldkit: tooling for LaunchDarkly integration-framework manifests.

The package is imported by every command, including `ldkit --help`, so it must
stay free of heavy imports; everything else is loaded on demand.
"""

__version__ = "0.1.0"
