"""Evaluations after activities, and consultations and surveys, anonymous when asked."""
