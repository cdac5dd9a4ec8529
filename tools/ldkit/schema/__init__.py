"""The schema stage: the JSON Schemas ldkit ships, the validator built from them,
the fast acceptance path and the messages that translate schema errors."""
