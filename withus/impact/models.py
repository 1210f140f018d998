"""Impact's records. Each part's models live beside its rules; they are gathered here for Django."""

from __future__ import annotations

from .contributions.models import (  # noqa: F401
    Answer,
    Contribution,
    Contributor,
    FollowUp,
    ImpactSettings,
    Notice,
    Step,
)
from .stories.models import Story, StoryUse  # noqa: F401
from .surveys import models as surveys_models  # noqa: F401
