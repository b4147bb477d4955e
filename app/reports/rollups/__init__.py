"""Keeping the report roll-ups current: set-based SQL, the same for one class or the whole city.

`refresh.refresh_classes(ids)` recomputes the roll-ups of those classes (None: every class not
yet purged) with a few INSERT … SELECT statements built from `funnel` and `weekly` over the
tables in `sources`, so the work grows with the classes touched, not with the rows behind them.
`events` calls it when a commit changes what a class counts (or `queue` queues the classes for
`flask reports drain`); `flask --app app reports refresh` calls it for everything (nightly:
certificates expire without any event). Purged classes are never recomputed: their last counts
stay, anonymous.

The rule: every service that writes a table the roll-ups read goes through the ORM, so `events`
sees the change; `tests/reports/test_rollup_rule.py` holds each such service to a from-scratch
refresh. A bulk UPDATE or DELETE that touches no ORM row must call `refresh_classes` itself.
"""
