"""The product's own settings, with two views to measure against (``benchmarks/urls.py``)."""

from withus.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
