"""Dynatrace render and problem-sample rules (LD600-LD649).

They are declared next to the renderer in `ldkit.dynatrace.rules`; importing that
module here registers them, so `ldkit rules` explains every id `ldkit render`
and `ldkit validate` can print.
"""

import ldkit.dynatrace.rules  # noqa: F401 - importing registers the Rule subclasses
