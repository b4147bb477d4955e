"""Classes: rosters, guardian links, the class charter and the teacher's approval list."""
