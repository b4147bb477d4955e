"""Invite tokens for a class group: issuing them to eligible parents, verifying and admitting."""
