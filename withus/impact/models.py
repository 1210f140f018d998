"""Impact's records. Each part's models live beside its rules; they are gathered here for Django."""

from __future__ import annotations

from .surveys import models as surveys_models  # noqa: F401
