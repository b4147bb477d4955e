"""Course and quiz content: loaded from `courses/` and `quizzes/`, validated, kept in memory."""
