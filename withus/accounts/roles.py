"""Every group of roles, named once.

Views (``staff_required``), the API (``require_role``) and services
(``selectors.require``) all take their role groups from here, so that "who may do
this" is answered the same way on every path. Add a group here rather than writing
a tuple of roles anywhere else.
"""

from __future__ import annotations

from .models import Role

RoleGroup = tuple[str, ...]

# Everyone who works for an organisation, whatever their role: who signs in with a second step.
STAFF: RoleGroup = (
    Role.COORDINATOR,
    Role.BUDGET_HOLDER,
    Role.SUPERVISOR,
    Role.DECISION_MAKER,
    Role.ADMIN,
    Role.SAFEGUARDING_LEAD,
)
# Who runs involvement: plans sessions, changes opportunities, acts for members, offers fees, thanks people.
COORDINATING: RoleGroup = (Role.COORDINATOR, Role.ADMIN)
# Who sees the people register (profiles, needs, consents).
SEEING_PEOPLE: RoleGroup = (Role.COORDINATOR, Role.ADMIN, Role.SUPERVISOR)
# Who reads the organisation's work: opportunities, applications, sessions, attendance, the dashboard.
SEEING_WORK: RoleGroup = (Role.COORDINATOR, Role.ADMIN, Role.SUPERVISOR, Role.DECISION_MAKER)
# Who may be named as the contact for an opportunity or a session.
CONTACTS: RoleGroup = SEEING_WORK
# Who sees claims, budgets and cash floats.
SEEING_PAYMENTS: RoleGroup = (Role.BUDGET_HOLDER, Role.ADMIN, Role.COORDINATOR)
# Who approves or returns claims against the budgets they hold.
HOLDING_BUDGETS: RoleGroup = (Role.BUDGET_HOLDER,)
# Who sets budgets up and sends claims to them.
MANAGING_BUDGETS: RoleGroup = COORDINATING
# Who gathers approved claims into payment batches, exports them and marks them paid.
PAYING: RoleGroup = (Role.BUDGET_HOLDER, Role.ADMIN)
# Who may hold a cash float and repay expenses from it on the day.
HOLDING_FLOATS: RoleGroup = COORDINATING
# Who changes the organisation's settings: staff, tokens, rate cards, limits, standards.
ADMINISTERING: RoleGroup = (Role.ADMIN,)
# Who may be named as a member's support contact or supervisor, sees the support members get,
# records contacts and returns calls.
SUPPORTING: RoleGroup = (Role.COORDINATOR, Role.SUPERVISOR, Role.ADMIN, Role.SAFEGUARDING_LEAD)
# Who assigns support contacts and supervisors, and hands people to cover.
ASSIGNING_SUPPORT: RoleGroup = COORDINATING
# Who reads safeguarding notes: the organisation's safeguarding lead, and nobody else.
SAFEGUARDING: RoleGroup = (Role.SAFEGUARDING_LEAD,)
# Who records what people said at a session, an opportunity or a project (the session's contact may too).
RECORDING_CONTRIBUTIONS: RoleGroup = COORDINATING
# Who answers what people said: adopted or not, and why; and says months later what changed.
ANSWERING_CONTRIBUTIONS: RoleGroup = (Role.DECISION_MAKER, Role.COORDINATOR, Role.ADMIN)
# Who reads every contribution of the organisation and its timeline.
SEEING_CONTRIBUTIONS: RoleGroup = (Role.COORDINATOR, Role.ADMIN, Role.SUPERVISOR, Role.DECISION_MAKER)
# Who handles concerns and complaints: records them, moves them through their stages, answers them.
# A concern about one of them is never shown to them (withus.concerns.selectors).
HANDLING_CONCERNS: RoleGroup = (Role.COORDINATOR, Role.ADMIN, Role.SAFEGUARDING_LEAD)
# Who may review an appeal against a concern's response (only if not involved in the concern before).
REVIEWING_APPEALS: RoleGroup = (Role.ADMIN, Role.DECISION_MAKER, Role.COORDINATOR, Role.SAFEGUARDING_LEAD)
# Members: the people involved, acting for themselves.
MEMBERS: RoleGroup = (Role.MEMBER,)
