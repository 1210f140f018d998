"""Reads of frameworks, assessments and their scores, shared by the pages, the API and the annual report.

Blindness lives here: while scoring is open, a scorer is given their own scores only, and nobody
(not even the coordinator) is given anyone else's; once closed, everyone who may see the
assessment sees every score, side by side.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from withus.accounts.models import Organisation
from withus.accounts.roles import SEEING_WORK
from withus.accounts.selectors import has_role

from . import rules
from .models import Action, Agreement, Assessment, Framework, Item, ScaleStep, Score, Scorer, Strategy


def frameworks_for(organisation: Organisation) -> QuerySet[Framework]:
    """The shipped frameworks and the organisation's own."""
    return Framework.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation)).prefetch_related(
        "steps"
    )


def framework_for(organisation: Organisation, pk: int) -> Framework:
    found = frameworks_for(organisation).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def frameworks_in_full(organisation: Organisation) -> QuerySet[Framework]:
    """The shipped frameworks and the organisation's own (copies too), each with its scale, items and original.

    Three queries whatever the number of frameworks and items.
    """
    return frameworks_for(organisation).select_related("copied_from").prefetch_related("items")


def item_for(organisation: Organisation, pk: int) -> Item:
    """One item of a shipped framework or of the organisation's own, or 404."""
    found = (
        Item.objects.filter(pk=pk)
        .filter(Q(framework__organisation__isnull=True) | Q(framework__organisation=organisation))
        .select_related("framework")
        .first()
    )
    if found is None:
        raise Http404
    return found


def assessments_for(user: Any, organisation: Organisation) -> QuerySet[Assessment]:
    """Every assessment of the organisation for staff who read its work; for anyone else, those they score."""
    found = Assessment.objects.filter(organisation=organisation).select_related("framework")
    if has_role(user, organisation, *SEEING_WORK):
        return found
    return found.filter(scorers__user=user)


def assessments_invited(user: Any) -> QuerySet[Assessment]:
    """The assessments, in any organisation, that ``user`` was invited to score."""
    return Assessment.objects.filter(scorers__user=user).select_related("framework", "organisation")


def assessment_for(user: Any, organisation: Organisation | None, pk: int) -> Assessment:
    """One assessment ``user`` may see, or 404: staff in ``organisation``, or one of its scorers."""
    found = Assessment.objects.filter(pk=pk).select_related("framework", "organisation").first()
    if found is None:
        raise Http404
    if (
        organisation is not None
        and found.organisation_id == organisation.pk
        and has_role(user, organisation, *SEEING_WORK)
    ):
        return found
    if found.scorers.filter(user=user).exists():
        return found
    raise Http404


def scorer_of(user: Any, assessment: Assessment) -> Scorer | None:
    return Scorer.objects.filter(assessment=assessment, user=user).first()


def scale_of(framework: Framework) -> list[ScaleStep]:
    return list(framework.steps.all())


def items_of(framework: Framework) -> list[Item]:
    return list(framework.items.all())


def scores_visible_to(user: Any, assessment: Assessment) -> QuerySet[Score]:
    """The scores ``user`` may read: their own while scoring is open, everyone's once it has closed."""
    scores = (
        Score.objects.filter(scorer__assessment=assessment)
        .select_related("scorer__user", "item", "evidence_session")
        .order_by("scorer_id", "item_id")
    )
    if assessment.is_open:
        return scores.filter(scorer__user=user)
    return scores


def own_scores(user: Any, assessment: Assessment) -> dict[int, Score]:
    return {s.item_id: s for s in Score.objects.filter(scorer__assessment=assessment, scorer__user=user)}


@dataclass
class ItemComparison:
    item: Item
    member_scores: list[Score] = field(default_factory=list)
    staff_scores: list[Score] = field(default_factory=list)
    agreement: Agreement | None = None
    actions: list[Action] = field(default_factory=list)
    disagree: bool = False
    gap: bool = False

    @property
    def value(self) -> int | None:
        return self.agreement.value if self.agreement is not None else None


def comparison(user: Any, assessment: Assessment) -> list[ItemComparison]:
    """Each item's member and staff scores side by side, with disagreement flagged; after close only.

    Four queries whatever the number of items and scorers.
    """
    if assessment.is_open:
        raise PermissionDenied
    items = items_of(assessment.framework)
    top = max((s.value for s in scale_of(assessment.framework)), default=0)
    rows = {i.pk: ItemComparison(item=i) for i in items}
    for score in scores_visible_to(user, assessment):
        row = rows[score.item_id]
        (row.member_scores if score.scorer.side == Scorer.Side.MEMBER else row.staff_scores).append(score)
    for agreement in Agreement.objects.filter(assessment=assessment).select_related("agreed_by"):
        rows[agreement.item_id].agreement = agreement
    for action in Action.objects.filter(assessment=assessment).select_related("owner"):
        rows[action.item_id].actions.append(action)
    for row in rows.values():
        row.disagree = rules.disagree((s.value for s in row.member_scores), (s.value for s in row.staff_scores))
        if row.agreement is not None and row.agreement.value is not None:
            row.gap = rules.is_gap(row.agreement.value, top)
        else:
            row.gap = any(rules.is_gap(s.value, top) for s in row.member_scores + row.staff_scores)
    return list(rows.values())


def scoring_progress(assessment: Assessment) -> list[dict[str, Any]]:
    """Who has scored how many items (never what they scored): safe to show while scoring is open."""
    total = assessment.framework.items.count()
    scorers = Scorer.objects.filter(assessment=assessment).select_related("user").order_by("side", "pk")
    counts: dict[int, int] = defaultdict(int)
    for scorer_id in Score.objects.filter(scorer__assessment=assessment).values_list("scorer_id", flat=True):
        counts[scorer_id] += 1
    return [
        {"scorer": s, "name": s.user.get_full_name() or s.user.email, "scored": counts[s.pk], "of": total}
        for s in scorers
    ]


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The organisation's last closed assessment of the same framework (or its original) before this one."""
    frameworks = {assessment.framework_id}
    if assessment.framework.copied_from_id:
        frameworks.add(assessment.framework.copied_from_id)
    return (
        Assessment.objects.filter(
            organisation=assessment.organisation_id,
            framework_id__in=frameworks,
            closed_at__isnull=False,
            period_end__lt=assessment.period_end,
        )
        .exclude(pk=assessment.pk)
        .order_by("-period_end", "-pk")
        .first()
    )


def _top_of(framework_id: int) -> int:
    """The top of a framework's scale: "met"."""
    return max(ScaleStep.objects.filter(framework_id=framework_id).values_list("value", flat=True), default=0)


def _agreed_values(assessment: Assessment) -> dict[str, int]:
    found = Agreement.objects.filter(assessment=assessment, value__isnull=False).values_list("item__code", "value")
    return {code: value for code, value in found if value is not None}


def progress(assessment: Assessment) -> dict[str, Any]:
    """This cycle against the last, item by item and per standard, as plain data a table or a chart can use.

    An item's score in a cycle is its agreed score; a disagreement kept has none, and shows as unknown.
    Per standard, the share of its items agreed as met in each cycle (the same share the annual report
    shows). The actions from the last cycle's gaps come with their progress.
    """
    before = previous_assessment(assessment)
    now_values = _agreed_values(assessment)
    top = _top_of(assessment.framework_id)
    before_top = 0
    before_values: dict[str, int] = {}
    before_actions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if before is not None:
        before_values = _agreed_values(before)
        before_top = _top_of(before.framework_id)
        for action in Action.objects.filter(assessment=before).select_related("item"):
            before_actions[action.item.code].append(
                {"description": action.description, "status": action.status, "progress": action.progress}
            )
    items = []
    standards: dict[str, dict[str, Any]] = {}
    now_by_standard: dict[str, list[int | None]] = defaultdict(list)
    then_by_standard: dict[str, list[int | None]] = defaultdict(list)
    for item in items_of(assessment.framework):
        was, now = before_values.get(item.code), now_values.get(item.code)
        moved = rules.direction(was, now)
        now_by_standard[item.standard_title].append(now)
        # Met last time is the top of last time's scale, which a copy may not share with its original.
        then_by_standard[item.standard_title].append(None if was is None else (top if was == before_top else -1))
        items.append(
            {
                "code": item.code,
                "standard": item.standard_title,
                "wording": item.wording,
                "before": was,
                "now": now,
                "direction": moved,
                "actions_before": before_actions.get(item.code, []),
            }
        )
        total = standards.setdefault(
            item.standard_title,
            {
                "standard": item.standard_title,
                "before": 0,
                "now": 0,
                "improved": 0,
                "slipped": 0,
                "same": 0,
                "unknown": 0,
            },
        )
        total[moved] += 1
        total["before"] += was or 0
        total["now"] += now or 0
    for name, total in standards.items():
        total["direction"] = rules.direction(total["before"], total["now"]) if before is not None else "unknown"
        total["share_met"] = _met_share(now_by_standard[name], top)
        total["share_met_before"] = _met_share(then_by_standard[name], top) if before is not None else None
    return {
        "assessment": {"id": assessment.pk, "title": assessment.title, "period_end": assessment.period_end},
        "previous": (
            {"id": before.pk, "title": before.title, "period_end": before.period_end} if before is not None else None
        ),
        "items": items,
        "standards": list(standards.values()),
    }


def standards_summary(organisation: Organisation, year: int) -> dict[str, Any]:
    """For the annual report: the year's closed assessments, agreed scores per standard, disagreements kept,
    and actions open and done. A fixed number of queries, however many assessments and items."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    assessments = list(
        Assessment.objects.filter(
            organisation=organisation, closed_at__isnull=False, closed_at__date__gte=start, closed_at__date__lte=end
        )
        .select_related("framework")
        .order_by("closed_at", "pk")
    )
    ids = [a.pk for a in assessments]
    tops: dict[int, int] = {}
    for framework_id, value in ScaleStep.objects.filter(framework__assessments__in=ids).values_list(
        "framework_id", "value"
    ):
        tops[framework_id] = max(tops.get(framework_id, 0), value)
    per_standard: dict[int, dict[str, dict[str, int]]] = defaultdict(dict)
    kept: dict[int, list[dict[str, str]]] = defaultdict(list)
    for agreement in Agreement.objects.filter(assessment__in=ids).select_related("item"):
        standard = agreement.item.standard_title
        if agreement.disagreement_kept:
            kept[agreement.assessment_id].append(
                {"code": agreement.item.code, "wording": agreement.item.wording, "note": agreement.note}
            )
            continue
        row = per_standard[agreement.assessment_id].setdefault(standard, {"items": 0, "met": 0, "total": 0})
        row["items"] += 1
        row["total"] += agreement.value or 0
        assessment_framework = next(a.framework_id for a in assessments if a.pk == agreement.assessment_id)
        if agreement.value == tops.get(assessment_framework):
            row["met"] += 1
    actions: dict[int, dict[str, int]] = defaultdict(lambda: {"open": 0, "done": 0})
    for assessment_id, status in Action.objects.filter(assessment__in=ids).values_list("assessment_id", "status"):
        actions[assessment_id][status] += 1
    return {
        "year": year,
        "assessments": [
            {
                "id": a.pk,
                "title": a.title,
                "framework": a.framework.title,
                "period_start": a.period_start,
                "period_end": a.period_end,
                "closed_at": a.closed_at,
                "standards": [{"standard": k, **v} for k, v in per_standard[a.pk].items()],
                "disagreements_kept": kept[a.pk],
                "actions_open": actions[a.pk]["open"],
                "actions_done": actions[a.pk]["done"],
            }
            for a in assessments
        ],
    }


def actions_for(user: Any, organisation: Organisation) -> QuerySet[Action]:
    """The organisation's actions for staff who read its work; for anyone else, the actions they own."""
    found = Action.objects.filter(organisation=organisation).select_related("item", "owner", "assessment")
    if has_role(user, organisation, *SEEING_WORK):
        return found
    return found.filter(owner=user)


def strategy_of(organisation: Organisation, *, today: date | None = None) -> dict[str, Any] | None:
    """The engagement strategy with its aims, milestones and linked actions, and whether its review is overdue."""
    strategy = Strategy.objects.filter(organisation=organisation).first()
    if strategy is None:
        return None
    today = today or timezone.localdate()
    aims = list(
        strategy.aims.select_related("owner").prefetch_related("milestones__owner", "actions__item", "actions__owner")
    )
    days = (today - strategy.reviewed_on).days if strategy.reviewed_on else None
    return {
        "strategy": strategy,
        "aims": aims,
        "review_overdue": rules.review_overdue(days),
        "milestones_overdue": sum(
            1 for a in aims for m in a.milestones.all() if m.done_on is None and m.due_on < today
        ),
    }


def _met_share(values: list[int | None], top: int) -> float | None:
    """The share of a standard's items agreed as met (in %), or None when it has no items."""
    if not values:
        return None
    return round(100 * sum(1 for v in values if v is not None and v == top) / len(values), 1)


def standards_in_period(organisation: Organisation, first: date, last: date) -> list[dict[str, Any]]:
    """For the annual report: each framework's latest assessment closed from ``first`` to ``last``, against the one
    before it, as plain data.

    Per standard: items met, part met, not met and not agreed (a disagreement kept counts as not agreed,
    never averaged), and the share met in this cycle and the last; the items that improved and slipped;
    the disagreements kept, with their notes; and the cycle's action plan. Seven queries whatever the
    number of frameworks, assessments, items and actions.
    """
    closed = list(
        Assessment.objects.filter(organisation=organisation, closed_at__isnull=False)
        .select_related("framework")
        .order_by("-period_end", "-pk")
    )
    latest: dict[int, Assessment] = {}
    for a in closed:
        if a.closed_at is not None and first <= timezone.localtime(a.closed_at).date() <= last:
            latest.setdefault(a.framework_id, a)
    before: dict[int, Assessment] = {}
    for a in latest.values():
        lineage = {a.framework_id, a.framework.copied_from_id}
        earlier = next(
            (b for b in closed if b.pk != a.pk and b.framework_id in lineage and b.period_end < a.period_end), None
        )
        if earlier is not None:
            before[a.pk] = earlier
    ids = [a.pk for a in latest.values()] + [b.pk for b in before.values()]
    framework_ids = {a.framework_id for a in latest.values()} | {b.framework_id for b in before.values()}
    steps: dict[int, list[ScaleStep]] = defaultdict(list)
    for step in ScaleStep.objects.filter(framework_id__in=framework_ids).order_by("value"):
        steps[step.framework_id].append(step)
    items: dict[int, list[Item]] = defaultdict(list)
    for item in Item.objects.filter(framework_id__in={a.framework_id for a in latest.values()}):
        items[item.framework_id].append(item)
    agreed: dict[int, dict[str, Agreement]] = defaultdict(dict)
    for agreement in Agreement.objects.filter(assessment_id__in=ids).select_related("item"):
        agreed[agreement.assessment_id][agreement.item.code] = agreement
    actions: dict[int, list[Action]] = defaultdict(list)
    for action in Action.objects.filter(assessment_id__in=[a.pk for a in latest.values()]).select_related(
        "item", "owner"
    ):
        actions[action.assessment_id].append(action)

    found: list[dict[str, Any]] = []
    for a in sorted(latest.values(), key=lambda a: (a.framework.title, a.pk)):
        scale = steps[a.framework_id]
        top = scale[-1].value if scale else 0
        bottom = scale[0].value if scale else 0
        last_cycle = before.get(a.pk)
        last_top = max((s.value for s in steps[last_cycle.framework_id]), default=0) if last_cycle else 0
        now_agreed = agreed[a.pk]
        then_agreed = agreed[last_cycle.pk] if last_cycle else {}
        standards: dict[str, dict[str, Any]] = {}
        improved, slipped, kept = [], [], []
        now_by_standard: dict[str, list[int | None]] = defaultdict(list)
        then_by_standard: dict[str, list[int | None]] = defaultdict(list)
        for item in items[a.framework_id]:
            row = standards.setdefault(
                item.standard_title,
                {"standard": item.standard_title, "met": 0, "part_met": 0, "not_met": 0, "not_agreed": 0},
            )
            this_time = now_agreed.get(item.code)
            value = this_time.value if this_time is not None and not this_time.disagreement_kept else None
            if this_time is not None and this_time.disagreement_kept:
                kept.append({"code": item.code, "wording": item.wording, "note": this_time.note})
            if value is None:
                row["not_agreed"] += 1
            elif value == top:
                row["met"] += 1
            elif value == bottom:
                row["not_met"] += 1
            else:
                row["part_met"] += 1
            last_time = then_agreed.get(item.code)
            was = last_time.value if last_time is not None and not last_time.disagreement_kept else None
            now_by_standard[item.standard_title].append(value)
            then_by_standard[item.standard_title].append(None if was is None else (top if was == last_top else -1))
            moved = rules.direction(was, value)
            if moved == "improved":
                improved.append({"code": item.code, "wording": item.wording})
            elif moved == "slipped":
                slipped.append({"code": item.code, "wording": item.wording})
        for name, row in standards.items():
            row["share_met"] = _met_share(now_by_standard[name], top)
            row["share_met_before"] = _met_share(then_by_standard[name], top) if last_cycle else None
        found.append(
            {
                "id": a.pk,
                "title": a.title,
                "framework": a.framework.title,
                "period_start": a.period_start,
                "period_end": a.period_end,
                "closed_on": timezone.localtime(a.closed_at).date() if a.closed_at else None,
                "two_steps": len(scale) == 2,
                "previous": None
                if last_cycle is None
                else {"id": last_cycle.pk, "title": last_cycle.title, "period_end": last_cycle.period_end},
                "standards": list(standards.values()),
                "improved": improved,
                "slipped": slipped,
                "disagreements_kept": kept,
                "actions": [
                    {
                        "item": action.item.code,
                        "description": action.description,
                        "owner": action.owner.get_full_name() or action.owner.email,
                        "due_on": action.due_on,
                        "monitoring": action.monitoring,
                        "status": action.get_status_display(),
                    }
                    for action in actions[a.pk]
                ],
            }
        )
    return found
