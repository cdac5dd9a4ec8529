"""The core model every stage shares: a finding, its severity, the report that
collects them and the declaration a rule id points to.

It sits below everything else in the package and imports nothing of ldkit, so the
loader, the schema pass, the rules, the trigger, the reporters and the commands can
all speak of findings without depending on one another.
"""
