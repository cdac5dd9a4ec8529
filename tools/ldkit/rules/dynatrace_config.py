"""Dynatrace webhook-configuration rules (LD700-LD749).

They are declared next to the checks in `ldkit.dynatrace.config.rules`;
importing that module here registers them, so `ldkit rules` explains every id
`ldkit dynatrace check` can print.
"""

import ldkit.dynatrace.config.rules  # noqa: F401 - importing registers the Rule subclasses
