"""The schema stage: the JSON Schemas ldkit ships, the validator built from them,
the fast acceptance path and the messages that translate schema errors; which
schema judges (the bundled one or a checkout's own), comparing two schemas and
exporting the bundled one for editors."""
