"""Stored trigger replay cases: format, validation and the runner."""
