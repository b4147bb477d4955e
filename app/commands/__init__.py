"""Commands for the site operator (`flask --app app …`) that reach across several features, so
they sit above them all: `org` sets up bureaus, schools and their first accounts."""
