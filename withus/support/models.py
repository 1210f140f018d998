"""Support for everyone involved: support contacts, contacts, supervision, plans, mentors,
local help and training (PRODUCT C6)."""
