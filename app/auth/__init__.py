"""Accounts: registration, login, logout."""
