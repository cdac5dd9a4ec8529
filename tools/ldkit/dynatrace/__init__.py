"""Dynatrace problem notifications: the custom-payload placeholders, the values a
problem gives them, and the renderer that substitutes them the way Dynatrace does.

Nothing here is imported on the manifest-validation path except `samples`, and
that only when a `*.problem.json` file is validated.
"""
