"""`ldkit serve`: a local stand-in for LaunchDarkly's flag-trigger endpoint.

Webhook calls go through the same trigger core as `ldkit trigger`; state lives
in SQLite; a management API speaks LaunchDarkly's REST shapes and a page shows
flags, triggers and the change history live. The web stack (Starlette,
uvicorn) is the `serve` extra: only `app`, `api`, `routes`, `web` and `server` import
it, so the rest of ldkit never pays for it.
"""
