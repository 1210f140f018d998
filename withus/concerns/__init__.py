"""Concerns and complaints (PRODUCT C9): raised safely, handled to a working-day clock, learned from."""
