"""Certificates: proof that a person passed every required quiz."""
