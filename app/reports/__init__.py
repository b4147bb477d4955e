"""Completion reports for teachers, schools and bureaus, read from roll-ups kept current as
events happen (see rollups.py), so that a city of 2,161 schools reads as fast as one class."""
