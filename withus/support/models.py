"""Support for everyone involved: support contacts, contacts, supervision, plans, mentors,
local help and training (PRODUCT C6)."""

from .localhelp.models import HelpEntry  # noqa: F401
from .training.models import Course, CourseSession, ExpiryWarning, LoggedLearning, RequiredTraining  # noqa: F401
