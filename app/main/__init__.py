"""Pages every visitor shares: the welcome page, the signed-in home, language, errors."""
