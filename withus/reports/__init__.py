"""Presence (who is involved, against the population served) and the public annual engagement report."""
