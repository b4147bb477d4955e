"""Learning: the parent's path, courses and lessons."""
