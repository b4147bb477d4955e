"""Quizzes: drawing questions, taking an attempt, grading it on the server."""
