"""`flask --app app org ...`: the site operator sets up bureaus, schools and first accounts."""

from flask.cli import AppGroup

org_cli = AppGroup("org", help="Set up bureaus, schools and their first staff accounts.")
