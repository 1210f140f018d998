"""Pure rules of surveys and evaluations: what may be opened, what an answer must hold, what results may show."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PERSPECTIVES = ("service_user", "carer", "other")


def token_digest(token: str) -> str:
    """What is kept of a one-time token: its SHA-256, so the table alone cannot be used to answer."""
    return hashlib.sha256(token.encode()).hexdigest()


def perspective_labels() -> list[tuple[str, str]]:
    """Short column headings for the three perspectives, in the language in force."""
    short = {"service_user": _("Service users"), "carer": _("Carers"), "other": _("Others")}
    return [(p, short[p]) for p in PERSPECTIVES]


def perspective_of(person_perspective: str | None) -> str:
    """The coarse perspective an answer is counted under, from a member's profile.

    Someone who is both a service user and a carer is counted as a service user unless
    they choose otherwise on the form.
    """
    if person_perspective == "carer":
        return "carer"
    if person_perspective in ("service_user", "both"):
        return "service_user"
    return "other"


def opening_problems(*, question_count: int, audience: str, has_group: bool, has_session: bool) -> list[str]:
    """Why a survey cannot be opened yet; empty when it can."""
    problems = []
    if question_count == 0:
        problems.append(_("A survey with no question cannot be opened: add a question first."))
    if audience == "group" and not has_group:
        problems.append(_("Choose the group the survey is for."))
    if audience == "attendees" and not has_session:
        problems.append(_("An evaluation for those who attended needs its session."))
    return problems


@dataclass(frozen=True)
class QuestionShape:
    """What the answer rules need to know of a question."""

    id: int
    kind: str
    required: bool
    option_ids: tuple[int, ...] = ()
    scale_max: int = 5


@dataclass
class CheckedAnswer:
    """An answer that passed the rules: per question, the options chosen, the scale point or the text."""

    options: dict[int, list[int]] = field(default_factory=dict)
    scales: dict[int, int] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)


def _as_list(value: object) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def check_answer(
    questions: Sequence[QuestionShape], values: Mapping[int, object], *, perspective: str
) -> tuple[CheckedAnswer, dict[str, str]]:
    """Check an answer against its questions.

    Returns what was answered and the problems, keyed ``q<id>`` (or ``perspective``),
    so a form can show each next to its question. A question left out is fine unless it
    is required; an option that is not the question's, more than one choice where one is
    asked, or a scale point off the scale, is a problem.
    """
    checked = CheckedAnswer()
    problems: dict[str, str] = {}
    if perspective not in PERSPECTIVES:
        problems["perspective"] = _("Say which view you are answering from.")
    known = {q.id for q in questions}
    for unknown in sorted(set(values) - known):
        problems[f"q{unknown}"] = _("That question is not in this survey.")
    for q in questions:
        given = _as_list(values.get(q.id))
        key = f"q{q.id}"
        if not given or (q.kind == "text" and not given[0].strip()):
            if q.required:
                problems[key] = _("Answer this question: it is needed.")
            continue
        if q.kind in ("single", "several"):
            try:
                chosen = [int(v) for v in given]
            except ValueError:
                problems[key] = _("Choose from the options given.")
                continue
            if any(c not in q.option_ids for c in chosen):
                problems[key] = _("Choose from the options given.")
            elif q.kind == "single" and len(chosen) > 1:
                problems[key] = _("Choose one option only.")
            else:
                checked.options[q.id] = sorted(set(chosen))
        elif q.kind == "scale":
            try:
                point = int(given[0])
            except ValueError:
                point = 0
            if len(given) != 1 or not 1 <= point <= q.scale_max:
                problems[key] = _("Choose a point from 1 to %(top)s.") % {"top": q.scale_max}
            else:
                checked.scales[q.id] = point
        else:
            text = given[0].strip()
            if len(text) > 4000:
                problems[key] = _("Keep the answer under 4,000 characters.")
            else:
                checked.texts[q.id] = text
    return checked, problems


def shown_count(count: int, threshold: int) -> int | None:
    """A count as results may show it: ``None`` (hidden) when above nought but below the threshold."""
    return None if 0 < count < threshold else count


def shown_row(counts: Mapping[str, int], threshold: int) -> tuple[dict[str, int | None], int | None]:
    """A row of counts by perspective and its total, with small numbers hidden.

    When exactly one cell is hidden the total is hidden too: otherwise the hidden count
    could be worked out by taking the others from the total.
    """
    cells = {p: shown_count(counts.get(p, 0), threshold) for p in PERSPECTIVES}
    total = sum(counts.get(p, 0) for p in PERSPECTIVES)
    hidden = sum(1 for p in PERSPECTIVES if cells[p] is None)
    shown_total = None if hidden == 1 else shown_count(total, threshold)
    return cells, shown_total


EVALUATION_TITLE = gettext_lazy("How was it? Your evaluation of the session")
# The default evaluation after a session (001 Appendix 1), which an organisation adapts with its members.
DEFAULT_EVALUATION: tuple[tuple[str, object, bool], ...] = (
    ("text", gettext_lazy("What went well?"), False),
    ("text", gettext_lazy("What could be better?"), False),
    ("single_yes_no", gettext_lazy("Did you feel heard?"), True),
    ("single_yes_no", gettext_lazy("Did you feel safe?"), True),
    ("single_yes_no", gettext_lazy("Did you feel respected?"), True),
    ("single_yes_no_na", gettext_lazy("Were you paid your fee on time?"), False),
    ("single_yes_no_na", gettext_lazy("Were your expenses repaid on time?"), False),
)
YES_NO = (gettext_lazy("Yes"), gettext_lazy("Partly"), gettext_lazy("No"))
NOT_APPLICABLE = gettext_lazy("Does not apply to me")
