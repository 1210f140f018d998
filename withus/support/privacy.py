"""What support holds about a person: who supports them, the contacts with them, their check-ins and calls.

Safeguarding notes are not in the export a member downloads (nor in ``withus privacy
export``, which gathers the same sections). Such a note can name other people, or what
someone else told us in confidence, and telling someone what it says can put them or
others at risk: UK data protection law lets an organisation hold back another person's
information and what would likely cause serious harm (Data Protection Act 2018,
Schedule 2 paragraph 16 and Schedule 3), but it is the organisation's safeguarding lead
who must weigh that, note by note, when the person asks. So the export says, to
everyone alike (so that it gives nothing away about whether there are any), that such
notes can exist, who reads them and how to ask for them; the lead answers the request.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from withus.core.privacy import Record, Section, record, records, remove
from withus.people.models import Person

from . import selectors
from .leaving import privacy as leaving
from .models import (
    CallRequest,
    CheckInPlan,
    Contact,
    DevelopmentGoal,
    Mentoring,
    MentoringCheckIn,
    Supervision,
    SupervisionNote,
    SupportAssignment,
)
from .planning.models import SupervisionInvitation
from .preparation.models import Preparation, PreparationAnswer
from .training import privacy as training

ASSIGNMENT_FIELDS = {
    "organisation": _("Organisation"),
    "part": _("Part"),
    "who": _("Who"),
    "reason": _("Reason"),
    "starts_at": _("From"),
    "ended_at": _("Until"),
    "cover_until": _("Covering until"),
}
CONTACT_FIELDS = {
    "organisation": _("Organisation"),
    "kind": _("How"),
    "on": _("Date"),
    "note": _("Note"),
    "recorded_by": _("Who"),
}
CALL_FIELDS = {
    "organisation": _("Organisation"),
    "how": _("How you asked"),
    "note": _("What you told us"),
    "asked_at": _("Asked"),
    "due_at": _("Due by"),
    "answered_at": _("Returned"),
}
SUPERVISION_FIELDS = {
    "organisation": _("Organisation"),
    "kind": _("Kind"),
    "group": _("Peer supervision group"),
    "supervisor": _("Supervisor"),
    "on": _("Date"),
    "notes": _("Notes"),
}
PLANNED_FIELDS = {
    "organisation": _("Organisation"),
    "kind": _("Kind"),
    "supervisor": _("Supervisor"),
    "starts_at": _("When"),
    "minutes": _("How long (minutes)"),
    "how": _("How"),
    "where": _("Where"),
    "status": _("Status"),
    "answer": _("Your answer"),
}
GOAL_FIELDS = {
    "organisation": _("Organisation"),
    "goal": _("Goal"),
    "steps": _("Steps"),
    "who_helps": _("Who helps"),
    "review_on": _("Review date"),
    "progress": _("How it is going"),
}
MENTORING_FIELDS = {
    "organisation": _("Organisation"),
    "part": _("Your part: the new member, or the mentor or buddy"),
    "other": _("The other person"),
    "starts_on": _("Starts on"),
    "review_on": _("Review on"),
    "agreed": _("What you agreed to do"),
    "ended_on": _("Ended on"),
    "end_reason": _("Why it ended"),
    "check_ins": _("Check-ins"),
}
PREPARATION_FIELDS = {
    "session": _("Session"),
    "kind": _("Kind"),
    "part": _("Your part: offered it, or giving it"),
    "wanted": _("Your answer"),
    "answered_at": _("Answered"),
}
CHECK_IN_FIELDS = {"organisation": _("Organisation"), "every_days": _("Every (days)"), "chosen_at": _("Chosen")}
SAFEGUARDING_STATEMENT = _(
    "An organisation's safeguarding lead may keep safeguarding notes, to keep you or others safe. Only the "
    "safeguarding lead reads them, and they are not in this download. To ask for them, write to the "
    "organisation: its safeguarding lead will answer, and may hold back what would put someone at risk."
)


def export(person: Person) -> list[Section]:
    def assignment(a: SupportAssignment) -> Record:
        return record(
            organisation=a.organisation.name,
            part=a.part,
            who=str(a.staff),
            reason=a.reason,
            starts_at=a.starts_at,
            ended_at=a.ended_at,
            cover_until=a.cover_until,
        )

    def contact(c: Contact) -> Record:
        return record(
            organisation=c.organisation.name,
            kind=c.kind,
            on=c.on,
            note=c.note,
            recorded_by=str(c.recorded_by or ""),
        )

    def call(c: CallRequest) -> Record:
        return record(
            organisation=c.organisation.name,
            how=c.how,
            note=c.note,
            asked_at=c.asked_at,
            due_at=c.due_at,
            answered_at=c.answered_at,
        )

    def plan(p: CheckInPlan) -> Record:
        return record(organisation=p.organisation.name, every_days=p.every_days, chosen_at=p.chosen_at)

    def supervision(s: Supervision) -> Record:
        return record(
            organisation=s.organisation.name,
            kind=s.kind,
            group=s.group.name if s.group else None,
            supervisor=str(s.supervisor),
            on=s.on,
            notes=[f"{n.author}: {n.text}" for n in s.notes.all()],
        )

    def goal(g: DevelopmentGoal) -> Record:
        return record(
            organisation=g.organisation.name,
            goal=g.goal,
            steps=g.steps,
            who_helps=g.who_helps,
            review_on=g.review_on,
            progress=g.progress,
        )

    def pair(m: Mentoring) -> Record:
        new = m.new_member_id == person.pk
        return record(
            organisation=m.organisation.name,
            part="new_member" if new else "mentor",
            other=(m.mentor if new else m.new_member).full_name,
            starts_on=m.starts_on,
            review_on=m.review_on,
            agreed=m.agreed,
            ended_on=m.ended_on,
            end_reason=m.end_reason,
            check_ins=[f"{c.on.isoformat()} {c.author}: {c.note}" for c in m.check_ins.all()],
        )

    return [
        Section(
            "mentoring",
            _("Mentors and buddies"),
            MENTORING_FIELDS,
            records(selectors.mentoring_of(person), pair),
        ),
        Section(
            "supervisions",
            _("Your supervision, with its notes"),
            SUPERVISION_FIELDS,
            records(selectors.supervisions_of(person), supervision),
        ),
        Section(
            "development_plan",
            _("Your personal development plan"),
            GOAL_FIELDS,
            records(selectors.goals_of(person), goal),
        ),
        Section(
            "support_assignments",
            _("Your support contacts and supervisors"),
            ASSIGNMENT_FIELDS,
            records(
                SupportAssignment.objects.filter(person=person).select_related("organisation", "staff"), assignment
            ),
        ),
        Section(
            "support_contacts",
            _("Contacts with you"),
            CONTACT_FIELDS,
            records(
                Contact.objects.filter(person=person, safeguarding=False).select_related("organisation", "recorded_by"),
                contact,
            ),
        ),
        Section(
            "safeguarding_notes",
            _("Safeguarding notes"),
            {"about": _("About safeguarding notes")},
            record(about=SAFEGUARDING_STATEMENT),
        ),
        Section(
            "call_requests",
            _("Calls you asked for"),
            CALL_FIELDS,
            records(CallRequest.objects.filter(person=person).select_related("organisation"), call),
        ),
        Section(
            "check_in_plans",
            _("How often you would like a wellbeing check-in"),
            CHECK_IN_FIELDS,
            records(CheckInPlan.objects.filter(person=person).select_related("organisation"), plan),
        ),
        Section(
            "preparation",
            _("Briefings and meet-and-greets before a session"),
            PREPARATION_FIELDS,
            [
                *records(
                    PreparationAnswer.objects.filter(person=person).select_related("preparation__session"),
                    lambda a: record(
                        session=a.preparation.session.title,
                        kind=a.preparation.get_kind_display(),
                        part=_("Offered it"),
                        wanted=_("Yes") if a.wanted else _("No"),
                        answered_at=a.answered_at,
                    ),
                ),
                *records(
                    Preparation.objects.filter(by_person=person).select_related("session"),
                    lambda p: record(
                        session=p.session.title,
                        kind=p.get_kind_display(),
                        part=_("Giving it"),
                        wanted="",
                        answered_at="",
                    ),
                ),
            ],
        ),
        Section(
            "planned_supervision",
            _("Supervision planned for you"),
            PLANNED_FIELDS,
            records(
                SupervisionInvitation.objects.filter(person=person)
                .select_related("plan__organisation", "plan__supervisor")
                .order_by("plan__starts_at", "pk"),
                lambda i: record(
                    organisation=i.plan.organisation.name,
                    kind=i.plan.get_kind_display(),
                    supervisor=i.plan.supervisor_name,
                    starts_at=i.plan.starts_at,
                    minutes=i.plan.minutes,
                    how=i.plan.get_how_display(),
                    where=i.plan.where,
                    status=i.plan.get_status_display(),
                    answer=i.get_answer_display(),
                ),
            ),
        ),
        *training.export(person),
        *leaving.export(person),
    ]


# ---- Erasure (withus.core.privacy) ---------------------------------------------------------


def erase(person: Person) -> None:
    """Everything support holds about the person goes, safeguarding notes too, and the mentoring
    pairs they were in (the other person's check-ins in a pair cannot stand without it).

    WithUs is not where a safeguarding concern is dealt with: the lead refers it to the
    local authority's safeguarding process, which keeps its own record.
    """
    for group in person.supervision_groups.all():
        group.members.remove(person)
    remove(
        SupervisionInvitation.objects.filter(person=person),
        MentoringCheckIn.objects.filter(Q(mentoring__new_member=person) | Q(mentoring__mentor=person)),
        Mentoring.objects.filter(Q(new_member=person) | Q(mentor=person)),
        SupervisionNote.objects.filter(by_person=person),
        SupervisionNote.objects.filter(supervision__person=person),
        Supervision.objects.filter(person=person),
        DevelopmentGoal.objects.filter(person=person),
        Contact.objects.filter(person=person),
        CallRequest.objects.filter(person=person),
        CheckInPlan.objects.filter(person=person),
        SupportAssignment.objects.filter(person=person),
        PreparationAnswer.objects.filter(person=person),
    )
    # A briefing the person was to give stays for the others offered it, without their name.
    Preparation.objects.filter(by_person=person).update(by_person=None)
    training.erase(person)
    leaving.erase(person)
