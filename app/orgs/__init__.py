"""Organisations: the bureau tree and the schools beneath it."""
