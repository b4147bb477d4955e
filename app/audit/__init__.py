"""The audit log: who did what, when, within a school and class."""
