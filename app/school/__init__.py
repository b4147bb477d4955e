"""School staff's area: teachers, classes, school-year roll-over and school settings."""
