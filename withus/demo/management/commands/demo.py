"""``withus demo``: idempotent demo data and a printed login for every role."""

from __future__ import annotations

import random
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from withus.accounts.models import Membership, Organisation, Role, User
from withus.people import services
from withus.people.models import ConsentRecord, LocalAuthority, Person, Tag, WellbeingPlan
from withus.people.vocabulary import load_tags

DEMO_PASSWORD = "withus-demo-2026"
DEMO_DOMAIN = "demo.withus.invalid"
# Fixed TOTP secrets for demo staff, so the printed instructions stay valid.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

ORGANISATIONS = [
    ("afon-health-board", "Afon Valley Health Board", "Bwrdd Iechyd Dyffryn Afon"),
    ("lleisiau", "Lleisiau Together", "Lleisiau Gyda'n Gilydd"),
]

STAFF = [
    ("admin", "Alys Admin", "afon-health-board", Role.ADMIN),
    ("coordinator", "Carys Coordinator", "afon-health-board", Role.COORDINATOR),
    ("budget", "Bryn Budget-holder", "afon-health-board", Role.BUDGET_HOLDER),
    ("supervisor", "Sion Supervisor", "afon-health-board", Role.SUPERVISOR),
    ("decisions", "Dafydd Decision-maker", "afon-health-board", Role.DECISION_MAKER),
    ("safeguarding", "Siwan Safeguarding", "afon-health-board", Role.SAFEGUARDING_LEAD),
    ("lleisiau-admin", "Lowri Admin", "lleisiau", Role.ADMIN),
    ("lleisiau-coordinator", "Rhian Coordinator", "lleisiau", Role.COORDINATOR),
]

FIRST = [
    "Aled",
    "Bethan",
    "Ceri",
    "Dylan",
    "Elin",
    "Ffion",
    "Gareth",
    "Gwen",
    "Huw",
    "Iwan",
    "Jac",
    "Kate",
    "Llinos",
    "Mair",
    "Nia",
    "Owain",
    "Peredur",
    "Rhodri",
    "Seren",
    "Tomos",
    "Wyn",
    "Zainab",
    "Amir",
    "Marta",
    "Sam",
    "Jordan",
    "Priya",
    "Kofi",
    "Olu",
    "Hana",
]
LAST = [
    "Jones",
    "Davies",
    "Williams",
    "Evans",
    "Thomas",
    "Roberts",
    "Hughes",
    "Lewis",
    "Morgan",
    "Griffiths",
    "Price",
    "Rees",
    "Owen",
    "Khan",
    "Nowak",
    "Mensah",
]


def fill_blank(obj: Any, **welsh: str) -> None:
    """Give demo content its Welsh where it has none yet, so that a Welsh reader of the demo sees no English.

    Only blank fields are filled: an earlier demo gains its Welsh, and nothing anyone changed is overwritten.
    """
    blank = [name for name, value in welsh.items() if not getattr(obj, name)]
    for name in blank:
        setattr(obj, name, welsh[name])
    if blank:
        obj.save(update_fields=blank)


class Command(BaseCommand):
    help = "Load demo data (two organisations, about forty members, staff in every role). Safe to run twice."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("Demo data is not for a production installation.")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        with transaction.atomic():
            self.load()
        if not options["quiet"]:
            self.print_logins()

    def load(self) -> None:
        load_tags()
        orgs = {}
        for slug, name, name_cy in ORGANISATIONS:
            orgs[slug], _created = Organisation.objects.get_or_create(
                slug=slug, defaults={"name": name, "name_cy": name_cy, "contact_email": f"involve@{DEMO_DOMAIN}"}
            )
        for local, name, org_slug, role in STAFF:
            user = self.user(local, name)
            Membership.objects.get_or_create(user=user, organisation=orgs[org_slug], role=role)
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
        # Someone who is staff in one organisation and a member of another.
        rhian = User.objects.get(email=f"lleisiau-coordinator@{DEMO_DOMAIN}")
        if not Person.objects.filter(user=rhian).exists():
            services.register_member(
                user=rhian,
                full_name="Rhian Coordinator",
                perspective="carer",
                organisations=[orgs["afon-health-board"]],
                keep_details=True,
            )
        coordinator = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
        self.members(orgs, coordinator)
        self.opportunities(orgs)
        self.meetings(orgs)
        self.training(orgs)
        self.local_help(orgs)
        self.rewards(orgs)
        self.support(orgs)
        self.impact(orgs)
        self.voice(orgs)
        self.concerns(orgs)
        self.surveys(orgs)
        self.assessments(orgs)
        self.reports(orgs)

    def impact(self, orgs: dict[str, Organisation]) -> None:
        """What members said at the winter board meeting, its answers and what changed ("you said, we did").

        Written directly, not through the services, so that loading the demo sends nobody a message.
        """
        from datetime import timedelta

        from django.utils import timezone

        from withus.impact.contributions.models import Answer, Contribution, FollowUp, Step
        from withus.meetings.models import Action, Session

        afon = orgs["afon-health-board"]
        session = Session.objects.filter(organisation=afon, title="Partnership Board: winter meeting").first()
        if session is None or Contribution.objects.filter(organisation=afon).exists():
            return
        dafydd = User.objects.get(email=f"decisions@{DEMO_DOMAIN}")
        carys = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
        people = [a.person for a in session.attendance.select_related("person").order_by("pk")[:3]]
        now = timezone.now()
        said = (
            (
                "Crisis line calls are not answered at night.",
                "Crisis team",
                False,
                "partly",
                "We will staff the line until midnight from next month; all night needs money we do not have yet.",
            ),
            (
                "Keep offering paper copies of the papers: not everyone is online.",
                "Involvement team",
                True,
                "adopted",
                "Everyone who asks for paper copies will get them, posted a week before.",
            ),
            ("Could carers have their own time on the agenda?", "Involvement team", False, "", ""),
        )
        for n, (text, service, minority, decision, reason) in enumerate(said):
            recorded = now - timedelta(days=13)
            contribution = Contribution.objects.create(
                organisation=afon,
                session=session,
                project=session.group,
                text=text,
                service=service,
                perspective="carer" if n == 2 else "service_user",
                minority_view=minority,
                decision_maker=dafydd,
                recorded_by=carys,
                recorded_at=recorded,
                answer_due_on=(recorded + timedelta(days=28)).date(),
                kind="asked" if text.endswith("?") else "said",
                outcome=decision,
                answered_at=now - timedelta(days=6) if decision else None,
            )
            for person in people[n : n + 2] or people:
                contribution.contributors.create(person=person, agrees_to_publish=True, agrees_to_be_named=n == 1)
            Step.objects.create(contribution=contribution, kind="said", text=text, by_user=carys, at=recorded)
            if not decision:
                continue
            action = Action.objects.create(
                session=session,
                text="Post paper copies a week before each meeting" if n else "Staff the line until midnight",
                owner_name="Carys Coordinator",
                due_on=(now + timedelta(days=20)).date(),
                done_at=now - timedelta(days=2) if n else None,
            )
            answer = Answer.objects.create(
                contribution=contribution,
                decision=decision,
                reason=reason,
                decided_by="Dafydd Decision-maker",
                answered_by=dafydd,
                answered_at=now - timedelta(days=6),
                action=action,
            )
            Step.objects.create(
                contribution=contribution,
                kind="answered",
                text=reason,
                answer=answer,
                by_user=dafydd,
                at=answer.answered_at,
            )
            if n:
                Step.objects.create(
                    contribution=contribution,
                    kind="action_done",
                    text=action.text,
                    answer=answer,
                    at=now - timedelta(days=2),
                )
                FollowUp.objects.create(
                    contribution=contribution,
                    owner=dafydd,
                    answered_at=now - timedelta(days=1),
                    changed=True,
                    what_changed="Twelve members now get their papers by post, in large print where they asked.",
                )
                Step.objects.create(
                    contribution=contribution,
                    kind="checked_again",
                    by_user=dafydd,
                    text="Twelve members now get their papers by post, in large print where they asked.",
                    at=now - timedelta(days=1),
                )

    def user(self, local: str, name: str) -> User:
        email = f"{local}@{DEMO_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            first, _sep, last = name.partition(" ")
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, first_name=first, last_name=last)
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user

    def members(self, orgs: dict[str, Organisation], coordinator: User) -> None:
        rng = random.Random(2026)  # noqa: S311 -- repeatable demo data, not security
        tags = {kind: list(Tag.objects.filter(kind=kind)) for kind in Tag.Kind.values}
        authorities = [a for a in LocalAuthority.values if a != "outside-wales"]
        afon, lleisiau = orgs["afon-health-board"], orgs["lleisiau"]
        for i in range(40):
            name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}"
            perspective = rng.choice(["service_user", "service_user", "carer", "both"])
            fields: dict[str, Any] = {
                "full_name": name,
                "perspective": perspective,
                "local_authority": rng.choice(authorities),
                "experience_timing": rng.choice(["current", "past", "both"]),
                "available_weekdays": rng.random() < 0.7,
                "available_evenings": rng.random() < 0.4,
                "available_weekends": rng.random() < 0.3,
                "needs_large_print": rng.random() < 0.15,
                "needs_easy_read": rng.random() < 0.15,
                "prefers_welsh": rng.random() < 0.25,
                "no_meetings_before_1030": rng.random() < 0.3,
                "needs_step_free": rng.random() < 0.2,
                "needs_hearing_loop": rng.random() < 0.08,
                "travels_with_companion": rng.random() < 0.1,
            }
            offline = i % 8 == 7
            if offline:
                fields.update(
                    preferred_channel="post",
                    address=f"{i + 1} Heol y Dderwen\nAberafon",
                    postcode="AF1 2BC",
                    phone="01632 960" + f"{i:03d}",
                    does_not_use_computers=True,
                )
                person = Person.objects.filter(full_name=name, registered_by=coordinator).first()
                if person is None:
                    person = services.register_assisted(
                        actor=coordinator,
                        organisation=afon,
                        fields=fields,
                        how=ConsentRecord.How.IN_PERSON,
                        keep_details=True,
                        act_on_behalf=True,
                    )
            else:
                local = "member" if i == 0 else f"member{i}"
                user = self.user(local, name)
                person = Person.objects.filter(user=user).first()
                if person is None:
                    share = [afon] if i % 3 else [afon, lleisiau]
                    if i % 5 == 4:
                        share = [lleisiau]
                    person = services.register_member(
                        user=user,
                        full_name=name,
                        perspective=perspective,
                        organisations=share,
                        keep_details=True,
                        contact_about_opportunities=rng.random() < 0.8,
                    )
                    fields.pop("full_name")
                    fields["email"] = user.email
                    services.update_profile(person=person, actor=user, fields=fields, profile_step=7 if i else 3)
            if not person.tags.exists():
                chosen = [
                    rng.choice(tags["area"]),
                    *rng.sample(tags["skill"], 2),
                    *rng.sample(tags["interest"], 2),
                    tags["language"][0],
                ]
                if fields.get("prefers_welsh"):
                    chosen.append(tags["language"][1])
                if rng.random() < 0.5:
                    chosen.append(rng.choice(tags["experience"]))
                person.tags.add(*chosen)
            if i % 6 == 1 and not WellbeingPlan.objects.filter(person=person).exists():
                WellbeingPlan.objects.create(
                    person=person,
                    what_helps="A quiet phone call, not e-mail. Please be patient with me.",
                    visible_to=rng.choice(list(WellbeingPlan.Visibility.values)),
                )
            if i % 10 == 9 and person.status == Person.Status.ACTIVE:
                person.status = Person.Status.STEPPED_OUT
                person.save(update_fields=["status"])

    def opportunities(self, orgs: dict[str, Organisation]) -> None:
        from datetime import timedelta

        from django.utils import timezone

        from withus.groups.models import Appointment, Group
        from withus.opportunities.models import Application, Opportunity

        today = timezone.localdate()
        afon, lleisiau = orgs["afon-health-board"], orgs["lleisiau"]
        coordinator = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
        rhian = User.objects.get(email=f"lleisiau-coordinator@{DEMO_DOMAIN}")
        board, _c = Group.objects.get_or_create(
            organisation=afon,
            name="Mental Health Partnership Board",
            defaults={"name_cy": "Bwrdd Partneriaeth Iechyd Meddwl", "kind": "board", "makes_decisions": True},
        )
        panel, _c = Group.objects.get_or_create(
            organisation=afon,
            name="Crisis Care Panel",
            defaults={"name_cy": "Panel Gofal Argyfwng", "kind": "panel", "makes_decisions": False},
        )
        tags = {t.slug: t for t in Tag.objects.all()}
        specs = [
            (
                afon,
                coordinator,
                "dm-board",
                6,
                "Service user and carer member, Partnership Board",
                "Aelod defnyddiwr gwasanaeth a gofalwr, y Bwrdd Partneriaeth",
                "representative",
                "strategic",
                "application_form",
                2,
                True,
                board,
                ["policy", "service-design"],
            ),
            (
                afon,
                coordinator,
                "dm-crisis",
                4,
                "Help us rewrite the crisis leaflet",
                "Helpwch ni i ailysgrifennu'r daflen argyfwng",
                "expert_by_experience",
                "operational",
                "expression_of_interest",
                4,
                False,
                panel,
                ["crisis", "service-design"],
            ),
            (
                afon,
                coordinator,
                "dm-panel",
                5,
                "Interview panel: ward manager",
                "Panel cyfweld: rheolwr ward",
                "co_worker",
                "operational",
                "expression_of_interest",
                1,
                True,
                None,
                ["recruitment"],
            ),
            (
                afon,
                coordinator,
                "dm-survey",
                2,
                "Tell us about waiting times",
                "Dywedwch wrthym am amseroedd aros",
                "critical_friend",
                "monitoring",
                "none",
                200,
                False,
                None,
                [],
            ),
            (
                lleisiau,
                rhian,
                "dm-carers",
                3,
                "Carers' voices workshop",
                "Gweithdy lleisiau gofalwyr",
                "expert_by_experience",
                "community",
                "none",
                12,
                False,
                None,
                ["carers"],
            ),
        ]
        for org, contact, code, level, title, title_cy, role, where, process, places, dbs, group, tag_slugs in specs:
            opportunity, created = Opportunity.objects.get_or_create(
                short_code=code,
                defaults={
                    "organisation": org,
                    "contact": contact,
                    "level": level,
                    "title": title,
                    "title_cy": title_cy,
                    "purpose": "To hear from people with lived experience before decisions are made.",
                    "intended_outcomes": "Services that work better for the people who use them.",
                    "influence": "Your views go straight to the people who decide. Budgets are set elsewhere.",
                    "time_commitment": "Regular meetings" if level >= 5 else "Half a day",
                    "application_process": process,
                    "places": places,
                    "reserves": 1,
                    "requires_dbs": dbs,
                    "where": where,
                    "role_offered": role,
                    "status": "published",
                    "group": group,
                    "location": "both",
                    "venue": "Tŷ Afon, Heol y Dderwen",
                    "local_authority": "cardiff",
                    "starts_on": today + timedelta(days=21),
                    "closes_on": today + timedelta(days=14),
                    "published_at": timezone.now(),
                },
            )
            fill_blank(
                opportunity,
                title_cy=title_cy,
                purpose_cy="Clywed gan bobl â phrofiad bywyd cyn gwneud penderfyniadau.",
                intended_outcomes_cy="Gwasanaethau sy'n gweithio'n well i'r bobl sy'n eu defnyddio.",
                influence_cy=(
                    "Mae eich barn yn mynd yn syth at y bobl sy'n penderfynu. Mae cyllidebau'n cael eu pennu "
                    "mewn man arall."
                ),
                time_commitment_cy="Cyfarfodydd rheolaidd" if level >= 5 else "Hanner diwrnod",
            )
            if created:
                opportunity.tags.set([tags[s] for s in tag_slugs if s in tags])
        crisis = Opportunity.objects.get(short_code="dm-crisis")
        people = list(Person.objects.sharing_with(afon).filter(user__isnull=False).order_by("pk")[:8])
        for i, person in enumerate(people):
            Application.objects.get_or_create(
                opportunity=crisis,
                person=person,
                defaults={"status": "received", "why": "I have used the crisis team.", "submitted_at": timezone.now()},
            )
            if i < 3:
                Appointment.objects.get_or_create(
                    person=person,
                    group=board,
                    defaults={
                        "term_start": today - timedelta(days=900 + i * 20),
                        "planned_end": today + timedelta(days=90 + i * 30),
                        "seat": "member",
                    },
                )

    def meetings(self, orgs: dict[str, Organisation]) -> None:
        from datetime import datetime, time, timedelta
        from zoneinfo import ZoneInfo

        from django.utils import timezone

        from withus.groups.models import Appointment, Group
        from withus.meetings.models import AgendaItem, Attendance, Invitation, Session, Venue

        afon = orgs["afon-health-board"]
        coordinator = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
        venue, _c = Venue.objects.get_or_create(
            organisation=afon,
            name="Tŷ Afon community room",
            defaults={
                "address": "Heol y Dderwen, Aberafon, AF1 2BC",
                "step_free": "yes",
                "public_transport": "yes",
                "parking": "yes",
                "hearing_loop": "yes",
                "notes": "Quiet room available.",
            },
        )
        fill_blank(venue, name_cy="Ystafell gymunedol Tŷ Afon", notes_cy="Mae ystafell dawel ar gael.")
        board = Group.objects.get(organisation=afon, name="Mental Health Partnership Board")
        london = ZoneInfo("Europe/London")
        today = timezone.localdate()
        from withus.meetings.services import standing_item_titles

        standing, standing_cy = standing_item_titles()
        meetings = (
            (21, "Partnership Board: spring meeting", "Bwrdd Partneriaeth: cyfarfod y gwanwyn"),
            (-14, "Partnership Board: winter meeting", "Bwrdd Partneriaeth: cyfarfod y gaeaf"),
        )
        for days, title, title_cy in meetings:
            day = today + timedelta(days=days)
            starts = datetime.combine(day, time(10, 30), london)
            session, created = Session.objects.get_or_create(
                organisation=afon,
                title=title,
                defaults={
                    "title_cy": title_cy,
                    "group": board,
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=2, minutes=30),
                    "venue": venue,
                    "contact": coordinator,
                    "refreshments": "meal",
                    "high_level": True,
                    "status": "invited" if days > 0 else "held",
                    "check_in_code": Session.new_check_in_code(),
                    "invitations_sent_at": timezone.now() - timedelta(days=10),
                },
            )
            fill_blank(session, title_cy=title_cy)
            agenda = (
                (1, False, "Welcome and apologies", "Croeso ac ymddiheuriadau"),
                (2, False, "Crisis services review", "Adolygiad o'r gwasanaethau argyfwng"),
                (3, True, standing, standing_cy),
            )
            for order, about_involvement, item, item_cy in agenda:
                agenda_item, _c = AgendaItem.objects.get_or_create(
                    session=session,
                    order=order,
                    defaults={"title": item, "title_cy": item_cy, "about_involvement": about_involvement},
                )
                fill_blank(agenda_item, title_cy=item_cy)
            if not created:
                continue
            for appointment in Appointment.objects.filter(group=board).select_related("person"):
                Invitation.objects.get_or_create(
                    session=session, person=appointment.person, defaults={"sent_at": timezone.now(), "channel": "email"}
                )
                if days < 0:
                    Attendance.objects.get_or_create(
                        session=session,
                        person=appointment.person,
                        defaults={"status": "attended", "minutes_present": 150},
                    )

    def training(self, orgs: dict[str, Organisation]) -> None:
        """A catalogue from the suggested courses, panel training run as sessions (one held, one to come),
        the panel needing it, learning waiting for approval, and a board seat whose safeguarding lapses soon."""
        from datetime import datetime, time, timedelta
        from zoneinfo import ZoneInfo

        from django.utils import timezone

        from withus.groups.models import Appointment, Group
        from withus.meetings.models import Attendance, Invitation, Session, Venue
        from withus.support.training import rules as training_rules
        from withus.support.training import services as training_services
        from withus.support.training.models import Course, CourseSession, LoggedLearning, RequiredTraining

        afon = orgs["afon-health-board"]
        coordinator = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
        courses = {}
        for topic in ("co_production", "safeguarding", "recruitment", "nolan_principles", "conflicts_of_interest"):
            found = training_rules.suggestion(topic)
            assert found is not None
            course = Course.objects.filter(organisation=afon, topic=topic).first()
            if course is None:
                course = training_services.add_suggested_course(actor=coordinator, organisation=afon, topic=topic)
            courses[topic] = course
        Course.objects.filter(pk=courses["co_production"].pk).update(co_designed=True, co_delivered=True)
        Course.objects.filter(pk=courses["recruitment"].pk).update(co_delivered=True, accredited=False)
        board = Group.objects.get(organisation=afon, name="Mental Health Partnership Board")
        panel = Group.objects.get(organisation=afon, name="Crisis Care Panel")
        RequiredTraining.objects.get_or_create(course=courses["recruitment"], group=panel)
        RequiredTraining.objects.get_or_create(course=courses["safeguarding"], group=board)
        venue = Venue.objects.get(organisation=afon, name="Tŷ Afon community room")
        london = ZoneInfo("Europe/London")
        today = timezone.localdate()
        board_people = [a.person for a in Appointment.objects.filter(group=board).select_related("person")]
        runs = (
            (-30, "Recruitment panel training", "Hyfforddiant paneli recriwtio"),
            (35, "Recruitment panel training (spring)", "Hyfforddiant paneli recriwtio (gwanwyn)"),
        )
        for days, title, title_cy in runs:
            starts = datetime.combine(today + timedelta(days=days), time(13, 30), london)
            session, created = Session.objects.get_or_create(
                organisation=afon,
                title=title,
                defaults={
                    "title_cy": title_cy,
                    "kind": "workshop",
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=3),
                    "venue": venue,
                    "contact": coordinator,
                    "status": "held" if days < 0 else "invited",
                    "check_in_code": Session.new_check_in_code(),
                    "invitations_sent_at": timezone.now() - timedelta(days=20),
                },
            )
            fill_blank(session, title_cy=title_cy)
            CourseSession.objects.get_or_create(session=session, defaults={"course": courses["recruitment"]})
            if not created:
                continue
            for person in board_people:
                Invitation.objects.get_or_create(
                    session=session, person=person, defaults={"sent_at": timezone.now(), "channel": "email"}
                )
            for person in board_people[:2] if days < 0 else []:
                Attendance.objects.get_or_create(
                    session=session, person=person, defaults={"status": "attended", "minutes_present": 180}
                )
        for i, person in enumerate(board_people):
            # Safeguarding done about three years ago: the last one needs refreshing within weeks.
            LoggedLearning.objects.get_or_create(
                person=person,
                course=courses["safeguarding"],
                defaults={
                    "completed_on": training_rules.add_months(today, -36) + timedelta(days=20 + 200 * (2 - i)),
                    "provider": "Afon Health Board safeguarding team",
                    "status": "approved",
                    "logged_by": coordinator,
                },
            )
        waiting = (
            Person.objects.sharing_with(afon)
            .filter(user__isnull=False)
            .exclude(pk__in=[p.pk for p in board_people])
            .order_by("pk")
            .first()
        )
        if waiting is not None:
            LoggedLearning.objects.get_or_create(
                person=waiting,
                course=courses["co_production"],
                defaults={
                    "completed_on": today - timedelta(days=60),
                    "provider": "Co-production Network for Wales, online course",
                    "logged_by": waiting.user,
                },
            )

    def local_help(self, orgs: dict[str, Organisation]) -> None:
        """Afon's directory of local help, in English and Welsh, with one entry not checked for over a year."""
        from datetime import timedelta

        from django.utils import timezone

        from withus.support.localhelp.models import HelpEntry

        afon = orgs["afon-health-board"]
        today = timezone.localdate()
        entries = [
            (
                "advocacy",
                "Aberafon Advocacy Service",
                "Gwasanaeth Eiriolaeth Aberafon",
                "Independent advocates who help you have your say about your care.",
                "Eiriolwyr annibynnol sy'n eich helpu i ddweud eich dweud am eich gofal.",
                {"phone": "01970 600 100", "email": "advocacy@demo.withus.invalid"},
                30,
            ),
            (
                "welfare_rights",
                "Aberafon Welfare Rights",
                "Hawliau Lles Aberafon",
                "Free, confidential advice on benefits, including before you accept a fee.",
                "Cyngor am ddim a chyfrinachol am fudd-daliadau, gan gynnwys cyn i chi dderbyn ffi.",
                {"phone": "01970 600 200", "website": "https://welfare.demo.withus.invalid"},
                60,
            ),
            (
                "mediation",
                "Cymru Community Mediation",
                "Cyfryngu Cymunedol Cymru",
                "Help to sort out a disagreement, with someone independent.",
                "Help i ddatrys anghytundeb, gyda rhywun annibynnol.",
                {"phone": "01970 600 300"},
                400,
            ),
            (
                "crisis",
                "C.A.L.L. Mental Health Listening Line",
                "Llinell Wrando Iechyd Meddwl C.A.L.L.",
                "Someone to talk to, any time.",
                "Rhywun i siarad ag ef, unrhyw bryd.",
                {"phone": "0800 132 737", "text_number": "81066"},
                10,
            ),
        ]
        for kind, name, name_cy, what, what_cy, reach, checked_days_ago in entries:
            HelpEntry.objects.get_or_create(
                organisation=afon,
                name=name,
                defaults={
                    "kind": kind,
                    "name_cy": name_cy,
                    "description": what,
                    "description_cy": what_cy,
                    "opening_hours": "Monday to Friday, 9am to 5pm" if kind != "crisis" else "Every day, all day",
                    "opening_hours_cy": "Dydd Llun i ddydd Gwener, 9yb i 5yp"
                    if kind != "crisis"
                    else "Bob dydd, drwy'r dydd",
                    "languages": "English and Welsh",
                    "languages_cy": "Cymraeg a Saesneg",
                    "reviewed_on": today - timedelta(days=checked_days_ago),
                    **reach,
                },
            )

    def rewards(self, orgs: dict[str, Organisation]) -> None:
        from datetime import date
        from decimal import Decimal

        from withus.rewards.models import Budget, RateCard, RewardPreference

        afon = orgs["afon-health-board"]
        holder = User.objects.get(email=f"budget@{DEMO_DOMAIN}")
        RateCard.objects.get_or_create(
            organisation=afon,
            activity_type="meeting",
            level=None,
            valid_from=date(2025, 10, 21),
            defaults={"hourly_rate": Decimal("15.00")},
        )
        RateCard.objects.get_or_create(
            organisation=afon,
            activity_type="training_delivery",
            level=None,
            valid_from=date(2025, 10, 21),
            defaults={"hourly_rate": Decimal("30.00"), "preparation_ratio": Decimal("1.00")},
        )
        Budget.objects.get_or_create(
            organisation=afon,
            name="Involvement fees and expenses 2026/27",
            defaults={"allocation": Decimal("5000.00"), "holder": holder},
        )
        member = Person.objects.filter(user__email=f"member@{DEMO_DOMAIN}").first()
        if member is not None:
            RewardPreference.objects.get_or_create(person=member, defaults={"method": "bank_transfer"})
        afon.welfare_adviser = afon.welfare_adviser or "Afon Welfare Rights Service"
        afon.welfare_adviser_contact = afon.welfare_adviser_contact or "01632 960500"
        afon.save(update_fields=["welfare_adviser", "welfare_adviser_contact"])

    def support(self, orgs: dict[str, Organisation]) -> None:
        """Support contacts and supervisors for Afon's members, some contacts, and a call waiting.

        Written directly, not through the services, so that loading the demo sends nobody a message.
        """
        from datetime import timedelta

        from django.utils import timezone

        from withus.people.selectors import people_sharing_with
        from withus.support.models import (
            CallRequest,
            CheckInPlan,
            Contact,
            DevelopmentGoal,
            Mentoring,
            Supervision,
            SupervisionGroup,
            SupervisionNote,
            SupportAssignment,
            SupportPart,
        )

        afon = orgs["afon-health-board"]
        if SupportAssignment.objects.filter(organisation=afon).exists():
            return
        sion = User.objects.get(email=f"supervisor@{DEMO_DOMAIN}")
        carys = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
        now = timezone.now()
        today = timezone.localdate()
        people = list(people_sharing_with(afon).filter(status=Person.Status.ACTIVE).order_by("pk")[:12])
        for n, person in enumerate(people):
            SupportAssignment.objects.create(
                person=person,
                organisation=afon,
                part=SupportPart.SUPPORT_CONTACT,
                staff=sion if n % 2 == 0 else carys,
                reason="New member",
                starts_at=now - timedelta(days=90),
                assigned_by=carys,
            )
            if n % 3 == 0:
                SupportAssignment.objects.create(
                    person=person,
                    organisation=afon,
                    part=SupportPart.SUPERVISOR,
                    staff=carys if n % 2 == 0 else sion,
                    reason="Sits on the partnership board",
                    starts_at=now - timedelta(days=90),
                    assigned_by=carys,
                )
            # Some were in touch recently, some six weeks ago: those are on the digest.
            Contact.objects.create(
                person=person,
                organisation=afon,
                kind=Contact.Kind.CALL if n % 2 else Contact.Kind.VISIT,
                on=today - timedelta(days=5 if n % 3 else 45),
                note="Talked through the papers for the next meeting.",
                recorded_by=sion,
            )
        member = Person.objects.filter(user__email=f"member@{DEMO_DOMAIN}").first()
        if member is not None and member in people:
            Contact.objects.create(
                person=member,
                organisation=afon,
                kind=Contact.Kind.CALL,
                on=today - timedelta(days=3),
                note="A worry about their safety, referred as our policy says.",
                safeguarding=True,
                recorded_by=sion,
            )
            CheckInPlan.objects.create(person=member, organisation=afon, every_days=30)
            CallRequest.objects.create(
                person=member,
                organisation=afon,
                note="After the last meeting, I would like to talk.",
                due_at=now + timedelta(hours=30),
            )
            supervisor = SupportAssignment.objects.filter(
                person=member, organisation=afon, part=SupportPart.SUPERVISOR
            ).first()
            if supervisor is not None:
                held = Supervision.objects.create(
                    organisation=afon,
                    kind=Supervision.Kind.ONE_TO_ONE,
                    person=member,
                    supervisor=supervisor.staff,
                    on=today - timedelta(days=20),
                )
                SupervisionNote.objects.create(
                    supervision=held,
                    by_staff=supervisor.staff,
                    text="We went through the board papers together. Next time: practise asking a question.",
                )
                SupervisionNote.objects.create(
                    supervision=held, by_person=member, text="I would like to try chairing a small meeting."
                )
            DevelopmentGoal.objects.create(
                person=member,
                organisation=afon,
                goal="Chair a small meeting",
                steps="Watch two meetings being chaired, then chair the carers' group with support.",
                who_helps="My supervisor",
                review_on=today + timedelta(days=60),
                progress=DevelopmentGoal.Progress.UNDER_WAY,
            )
        circle = SupervisionGroup.objects.create(organisation=afon, name="Peer supervision circle", supervisor=sion)
        circle.members.set(people[:5])
        group_meeting = Supervision.objects.create(
            organisation=afon,
            kind=Supervision.Kind.PEER_GROUP,
            group=circle,
            supervisor=sion,
            on=today - timedelta(days=10),
        )
        SupervisionNote.objects.create(
            supervision=group_meeting, by_staff=sion, text="We shared what helps before a difficult meeting."
        )
        if len(people) >= 12:
            Mentoring.objects.create(
                organisation=afon,
                new_member=people[11],
                mentor=people[1],
                starts_on=today - timedelta(days=14),
                review_on=today + timedelta(days=76),
                agreed="Meet for a coffee before each meeting for the first three months, and talk on the phone after.",
                started_by=carys,
            )

    def voice(self, orgs: dict[str, Organisation]) -> None:
        """Independence of voice at Afon: a local group, its representative on the board and the board's on a
        forum; a view and what came of it; a ballot published to recount and one open; the risk register."""
        from datetime import timedelta

        from django.utils import timezone

        from withus.concerns.independence import services as risks
        from withus.groups import services as groups
        from withus.groups.models import Appointment, Ballot, Group, RepresentativeView

        today = timezone.localdate()
        afon = orgs["afon-health-board"]
        coordinator = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
        board = Group.objects.get(organisation=afon, name="Mental Health Partnership Board")
        hafan, _c = Group.objects.get_or_create(
            organisation=afon,
            name="Hafan service user and carer group",
            defaults={"name_cy": "Grŵp defnyddwyr gwasanaeth a gofalwyr Hafan", "kind": "network"},
        )
        forum, _c = Group.objects.get_or_create(
            organisation=afon,
            name="All-Wales Mental Health Forum",
            defaults={"name_cy": "Fforwm Iechyd Meddwl Cymru Gyfan", "kind": "forum"},
        )
        if Ballot.objects.filter(group=hafan).exists():
            return
        term = {"term_start": today - timedelta(days=200), "planned_end": today + timedelta(days=900)}
        board_seats = list(Appointment.objects.filter(group=board, ended_on__isnull=True).order_by("pk"))
        rep = board_seats[0].person
        people = [rep, *Person.objects.sharing_with(afon).filter(user__isnull=False).order_by("pk")[8:13]]
        for person in people:
            Appointment.objects.get_or_create(person=person, group=hafan, defaults=term)
        groups.set_speaks_for(actor=coordinator, appointment=board_seats[0], speaks_for=hafan)
        national, _c = Appointment.objects.get_or_create(person=board_seats[1].person, group=forum, defaults=term)
        groups.set_speaks_for(actor=coordinator, appointment=national, speaks_for=board)
        RepresentativeView.objects.create(
            appointment=board_seats[0],
            sent_by=people[1],
            text="Ask when the crisis line will answer in Welsh at night.",
            raised=True,
            outcome="The board asked for a plan by the spring; it comes back in March.",
        )
        policy = groups.create_ballot(
            actor=coordinator,
            group=hafan,
            question="Should the group accept vouchers instead of cash?",
            question_cy="A ddylai'r grŵp dderbyn talebau yn lle arian parod?",
            options=["Yes", "No"],
            options_cy=["Ie", "Na"],
            first_observer=people[1],
            second_observer=people[2],
        )
        groups.open_ballot(actor=coordinator, ballot=policy)
        yes, no = policy.options.all()
        for i, person in enumerate(people):
            groups.vote(actor=person.user, ballot=policy, option_id=(no if i % 3 == 0 else yes).pk)
        groups.close_voting(actor=coordinator, ballot=policy)
        for observer in (people[1], people[2]):
            groups.confirm_close(actor=observer.user, ballot=policy)
        event = groups.create_ballot(
            actor=coordinator,
            group=hafan,
            question="Who goes to the national conference in June?",
            question_cy="Pwy sy'n mynd i'r gynhadledd genedlaethol ym mis Mehefin?",
            options=[p.full_name for p in people[:3]],
            first_observer=people[3],
            second_observer=people[4],
        )
        groups.open_ballot(actor=coordinator, ballot=event)
        risks.add_risk(
            actor=coordinator,
            organisation=afon,
            title="The health board funds the group it is scrutinised by",
            title_cy="Mae'r bwrdd iechyd yn ariannu'r grŵp sy'n craffu arno",
            kind="funding",
            likelihood=4,
            impact=4,
            mitigations="Fees paid through an independent host from April.",
            owner=coordinator,
            review_on=today + timedelta(days=300),
        )
        risks.record_findings(actor=coordinator, organisation=afon)

    def concerns(self, orgs: dict[str, Organisation]) -> None:
        """Afon's concerns: an anonymous complaint being looked into, one in Welsh sent to mediation, a member's
        concern about a staff member answered and closed with what changed, and a phone call not yet acknowledged."""
        from datetime import timedelta

        from django.utils import timezone

        from withus.concerns import services as concerns
        from withus.concerns.models import Concern
        from withus.support.localhelp.models import HelpEntry

        afon = orgs["afon-health-board"]
        if Concern.objects.filter(organisation=afon).exists():
            return
        today = timezone.localdate()
        carys = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
        alys = User.objects.get(email=f"admin@{DEMO_DOMAIN}")
        sion = User.objects.get(email=f"supervisor@{DEMO_DOMAIN}")
        member = Person.objects.filter(user__isnull=False, consents__organisation=afon).exclude(user=carys).first()
        anonymous = concerns.raise_concern(
            organisation=afon,
            fields={
                "kind": "complaint",
                "about": "process",
                "text": "The papers for the partnership board arrived the evening before the meeting.",
                "wanted": "Papers a week before, in large print when asked.",
                "anonymous": True,
            },
            today=today - timedelta(days=10),
        ).concern
        concerns.move(actor=carys, concern=anonymous, stage="acknowledged", told="Thank you. We are looking into it.")
        concerns.move(
            actor=carys, concern=anonymous, stage="looking_into", told="We are checking when papers went out."
        )
        welsh = concerns.raise_concern(
            organisation=afon,
            fields={
                "about": "member",
                "text": "Cefais fy nhorri ar draws dro ar ôl tro yn y grŵp, ac ni wnaeth neb ddim.",
                "raiser_name": "Eleri Morgan",
                "raiser_contact": "01632 960111",
            },
            today=today - timedelta(days=6),
        ).concern
        concerns.move(actor=carys, concern=welsh, stage="acknowledged", told="Diolch. Rydym wedi cael eich pryder.")
        mediation = HelpEntry.objects.filter(organisation=afon, kind="mediation").first()
        if mediation is not None:
            concerns.refer_to_mediation(
                actor=carys, concern=welsh, service=mediation, told="Rydym yn awgrymu cyfryngu annibynnol."
            )
        if member is not None:
            about_staff = concerns.raise_concern(
                organisation=afon,
                fields={"about": "staff", "text": "My call was not returned for two weeks."},
                raised_by=member,
                today=today - timedelta(days=40),
            ).concern
            concerns.name_subject(actor=carys, concern=about_staff, about_staff=sion)
            concerns.move(actor=carys, concern=about_staff, stage="acknowledged", told="Thank you for telling us.")
            concerns.move(actor=carys, concern=about_staff, stage="response", told="You are right; we are sorry.")
            concerns.record_outcome(
                actor=carys,
                concern=about_staff,
                outcome="well_founded",
                learning="Calls are covered when staff are away.",
            )
            concerns.add_action(
                actor=carys,
                concern=about_staff,
                text="Cover rota for returning calls",
                owner=alys,
                due_on=today + timedelta(days=30),
            )
            concerns.move(actor=carys, concern=about_staff, stage="closed", told="We have closed your concern.")
        concerns.raise_concern(
            organisation=afon,
            fields={
                "about": "host_organisation",
                "text": "Rang to say my fee was paid late.",
                "channel": "phone",
                "raiser_name": "Gareth Price",
                "raiser_contact": "01632 960222",
            },
            recorded_by=carys,
            today=today - timedelta(days=7),
        )

    def surveys(self, orgs: dict[str, Organisation]) -> None:
        """An anonymous consultation answered on the web and on paper, and an evaluation of the winter meeting."""
        from withus.impact.surveys import services as surveys
        from withus.impact.surveys.models import Survey
        from withus.meetings.models import Session

        afon = orgs["afon-health-board"]
        coordinator = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
        title = "Crisis care: what should change?"
        if Survey.objects.filter(organisation=afon, title=title).exists():
            return
        members = list(Person.objects.sharing_with(afon).exclude(user=None).order_by("pk")[:16])
        survey = surveys.save_survey(
            actor=coordinator,
            organisation=afon,
            fields={
                "title": title,
                "title_cy": "Gofal argyfwng: beth ddylai newid?",
                "introduction": "Designed with members of the crisis care reference group.",
                "introduction_cy": "Wedi'i gynllunio gydag aelodau grŵp cyfeirio gofal argyfwng.",
                "audience": "members",
                "anonymous": True,
                "results_shown": "while_open",
            },
            co_designers=members[:2],
        )
        quick = surveys.add_question(
            actor=coordinator,
            survey=survey,
            kind="single",
            text="Did you get help quickly enough?",
            text_cy="A gawsoch chi help yn ddigon cyflym?",
            required=True,
            options=["Yes", "No"],
            options_cy=["Do", "Naddo"],
        )
        helped = surveys.add_question(
            actor=coordinator,
            survey=survey,
            kind="several",
            text="What helped?",
            text_cy="Beth helpodd?",
            options=["A phone call", "A home visit", "A safe place to go"],
            options_cy=["Galwad ffôn", "Ymweliad cartref", "Lle diogel i fynd"],
        )
        change = surveys.add_question(
            actor=coordinator, survey=survey, kind="text", text="What should change?", text_cy="Beth ddylai newid?"
        )
        surveys.open_survey(actor=coordinator, survey=survey)
        yes, no = (str(o.pk) for o in quick.options.all())
        options = [str(o.pk) for o in helped.options.all()]
        said = ["Evening cover", "Someone who knows me", "Shorter waits on the phone", "Carers kept informed"]
        for i, person in enumerate(members):
            values = {quick.pk: yes if i % 3 else no, helped.pk: options[: 1 + i % 3], change.pk: said[i % len(said)]}
            perspective = "carer" if person.perspective == "carer" else "service_user"
            surveys.submit_answer(
                survey=survey,
                token=surveys.issue_token(survey=survey),
                values=values,
                perspective=perspective,
                person=person,
            )
        for words in ("A number to ring at night", "Mae angen mwy o staff sy'n siarad Cymraeg"):
            surveys.submit_answer(
                survey=survey,
                token=surveys.issue_token(survey=survey),
                values={quick.pk: no, change.pk: words},
                perspective="service_user",
                on_paper=True,
                entered_by=coordinator,
            )
        winter = Session.objects.filter(organisation=afon, title="Partnership Board: winter meeting").first()
        if winter is not None:
            evaluation = surveys.offer_evaluation(actor=coordinator, session=winter)
            firsts = {q.pk: str(q.options.all()[0].pk) for q in evaluation.questions.filter(required=True)}
            for person in Person.objects.filter(attendance__session=winter, attendance__status="attended"):
                perspective = "carer" if person.perspective == "carer" else "service_user"
                surveys.submit_answer(
                    survey=evaluation,
                    token=surveys.issue_token(survey=evaluation),
                    values=firsts,
                    perspective=perspective,
                    person=person,
                )

    def reports(self, orgs: dict[str, Organisation]) -> None:
        """Afon's population served (census figures) and this year's annual report, drafted, one member invited."""
        from django.utils import timezone

        from withus.reports import services as report_services
        from withus.reports.models import AnnualReport

        afon = orgs["afon-health-board"]
        if AnnualReport.objects.filter(organisation=afon).exists():
            return
        admin = User.objects.get(email=f"admin@{DEMO_DOMAIN}")
        carys = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
        census = "Census 2021, Office for National Statistics"
        for area, people, women in (("cardiff", 362400, 185800), ("vale-of-glamorgan", 131800, 67900)):
            report_services.enter_population(
                actor=admin, organisation=afon, area=area, category="", people=people, source=census, year=2021
            )
            report_services.enter_population(
                actor=admin, organisation=afon, area=area, category="sex:female", people=women, source=census, year=2021
            )
        today = timezone.localdate()
        year = today.year if (today.month, today.day) >= (4, 6) else today.year - 1
        report = report_services.draft(actor=carys, organisation=afon, year=year)
        report_services.write_narrative(
            actor=carys,
            report=report,
            section="reach",
            text="More carers took part this year than last, most of them from Cardiff.",
            text_cy="Cymerodd mwy o ofalwyr ran eleni na llynedd, y rhan fwyaf ohonynt o Gaerdydd.",
        )
        from withus.people.selectors import people_sharing_with

        member = people_sharing_with(afon).exclude(user=None).order_by("pk").first()
        if member is not None:
            report_services.invite(actor=carys, report=report, person=member)

    def assessments(self, orgs: dict[str, Organisation]) -> None:
        """Afon's 4PI assessment of last year, scored blind by two members and two staff, agreed (one
        disagreement kept), its gaps turned into actions; and this year's, open, with the demo member invited."""
        from datetime import date, timedelta

        from django.utils import timezone

        from withus.assessments import services as assessments
        from withus.assessments.models import Assessment, Framework
        from withus.assessments.shipped import ship

        ship()
        afon = orgs["afon-health-board"]
        if Assessment.objects.filter(organisation=afon).exists():
            return
        carys = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
        sion = User.objects.get(email=f"supervisor@{DEMO_DOMAIN}")
        member = User.objects.get(email=f"member@{DEMO_DOMAIN}")
        other = Person.objects.sharing_with(afon).filter(user__isnull=False).exclude(user=member).order_by("pk").first()
        four_pi = Framework.objects.get(organisation=None, code="4pi")
        items = list(four_pi.items.all())
        year = timezone.localdate().year
        scorers = [(member, "member"), (other.user if other else None, "member"), (carys, "staff"), (sion, "staff")]
        cycles = []
        for y in (year - 1, year):
            cycle = assessments.open_assessment(
                actor=carys,
                organisation=afon,
                framework=four_pi,
                title=f"4PI standards {y}",
                period_start=date(y, 1, 1),
                period_end=date(y, 12, 31),
            )
            for user, side in scorers:
                if user is not None:
                    assessments.invite_scorer(actor=carys, assessment=cycle, user=user, side=side)
            cycles.append(cycle)
        last = cycles[0]
        for user, side in scorers:
            for n, item in enumerate(items):
                if user is None:
                    continue
                value = (1 if n % 3 else 0) if side == "member" else (2 if n % 2 else 1)
                reason = "Papers often come the day before." if side == "member" else "Policy is in place."
                assessments.record_score(actor=user, assessment=last, item=item, value=value, evidence=reason)
        assessments.close_scoring(actor=carys, assessment=last)
        for n, item in enumerate(items):
            if n == 0:
                assessments.agree_score(
                    actor=carys,
                    assessment=last,
                    item=item,
                    value=None,
                    note="Members: not met, their experience says otherwise. Staff: part met, the policy exists.",
                )
            else:
                assessments.agree_score(actor=carys, assessment=last, item=item, value=1 if n % 3 else 2)
        for item in items[1:3]:
            assessments.create_action(
                actor=carys,
                assessment=last,
                item=item,
                description="Agree the purpose of each group with its members and write it down.",
                owner=carys,
                due_on=timezone.localdate() + timedelta(days=60),
                monitoring="Reviewed at the Partnership Board every quarter.",
            )
        strategy = assessments.save_strategy(actor=carys, organisation=afon, title="Involving people 2025-2028")
        aim = assessments.add_aim(actor=carys, strategy=strategy, text="Every group knows why it meets", owner=carys)
        assessments.add_milestone(
            actor=carys, aim=aim, text="Purpose agreed by every group", owner=carys, due_on=date(year, 12, 31)
        )
        for action in last.actions.all():
            assessments.link_action(actor=carys, action=action, aim=aim)

    def print_logins(self) -> None:
        w = self.stdout.write
        w("")
        w(self.style.SUCCESS("WithUs demo is ready."))
        w(f"Every demo account's password is: {DEMO_PASSWORD}")
        w("")
        w("Member (service user or carer):")
        w(f"  member@{DEMO_DOMAIN}")
        w("Staff (each in Afon Valley Health Board unless shown):")
        for local, _name, org, role in STAFF:
            where = "" if org == "afon-health-board" else "  (Lleisiau Together)"
            if local == "lleisiau-coordinator":
                where += "; also a member of Afon"
            w(f"  {Role(role).label:<20} {local}@{DEMO_DOMAIN}{where}")
        w("")
        w("Staff sign in with a second step (an authenticator code). Either add this secret to an")
        w(f"authenticator app: {DEMO_TOTP_SECRET}")
        w("or print the current code with:  withus democode EMAIL")
