"""`ldkit new`: scaffold an integration folder that passes `ldkit validate` and
`ldkit replay` as soon as it is created, so a partner starts from green."""
