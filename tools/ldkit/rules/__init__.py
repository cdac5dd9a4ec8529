"""The manifest rules: one class per rule, each a `Rule` that reads the manifest
through a `RuleContext` and yields findings. The catalogue that lists these
modules (and every other module declaring rules) is `ldkit.catalogue`."""
