"""Concerns' records."""

from __future__ import annotations

from withus.concerns.independence.models import IndependenceRisk  # noqa: F401
