"""Concerns' records."""

from __future__ import annotations
