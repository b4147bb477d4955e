"""URL converters."""

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """A database id: a positive integer that fits an INTEGER column, so that a huge number in a
    URL is a plain 404 rather than a database error."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)
