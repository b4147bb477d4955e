"""Retention: personal data of graduated classes and departed parents is purged after a while."""
