"""The benefit limits shipped as dated defaults (PRODUCT §5), each with its source.

Figures change every April: an admin adds the new year's rows on the reference table
page, without a release. These are loaded once, by a migration.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

SEED_001 = "Wales Mental Health and Wellbeing Forum, best practice in co-production, welfare benefits table"
DWP_2025 = "DWP, Benefit and pension rates 2025 to 2026"
DWP_2024 = "DWP, Benefit and pension rates 2024 to 2025"

# rule, period, amount, hours limit, taper %, from, to, source, notes
LIMITS: list[tuple[str, str, Decimal, Decimal | None, Decimal | None, date, date | None, str, str]] = [
    (
        "esa_permitted_work",
        "week",
        Decimal("143.00"),
        Decimal("16"),
        None,
        date(2021, 4, 6),
        date(2022, 4, 5),
        SEED_001,
        "After tax; under 16 hours a week; tell DWP first (form PW1).",
    ),
    (
        "esa_permitted_work",
        "week",
        Decimal("183.50"),
        Decimal("16"),
        None,
        date(2024, 4, 8),
        date(2025, 4, 6),
        DWP_2024,
        "Under 16 hours a week; tell DWP first (form PW1).",
    ),
    (
        "esa_permitted_work",
        "week",
        Decimal("195.50"),
        Decimal("16"),
        None,
        date(2025, 4, 7),
        date(2026, 4, 5),
        DWP_2025,
        "Under 16 hours a week; tell DWP first (form PW1).",
    ),
    (
        "carers_allowance",
        "week",
        Decimal("123.00"),
        None,
        None,
        date(2021, 4, 6),
        date(2022, 4, 5),
        SEED_001,
        "Cliff edge: £1 over loses the whole week's allowance.",
    ),
    (
        "carers_allowance",
        "week",
        Decimal("196.00"),
        None,
        None,
        date(2025, 4, 7),
        date(2026, 4, 5),
        DWP_2025,
        "Cliff edge: £1 over loses the whole week's allowance.",
    ),
    (
        "uc_work_allowance_housing",
        "month",
        Decimal("287.00"),
        None,
        Decimal("63"),
        date(2021, 4, 6),
        date(2021, 11, 23),
        SEED_001,
        "Only with a child or limited capability for work; 63% taper above it.",
    ),
    (
        "uc_work_allowance_no_housing",
        "month",
        Decimal("503.00"),
        None,
        Decimal("63"),
        date(2021, 4, 6),
        date(2021, 11, 23),
        SEED_001,
        "Only with a child or limited capability for work; 63% taper above it.",
    ),
    (
        "uc_work_allowance_housing",
        "month",
        Decimal("411.00"),
        None,
        Decimal("55"),
        date(2025, 4, 7),
        date(2026, 4, 5),
        DWP_2025,
        "Only with a child or limited capability for work; 55% taper above it.",
    ),
    (
        "uc_work_allowance_no_housing",
        "month",
        Decimal("684.00"),
        None,
        Decimal("55"),
        date(2025, 4, 7),
        date(2026, 4, 5),
        DWP_2025,
        "Only with a child or limited capability for work; 55% taper above it.",
    ),
    (
        "disregard_single",
        "week",
        Decimal("5.00"),
        None,
        None,
        date(2021, 4, 6),
        None,
        SEED_001,
        "Legacy benefits, mostly closed from 2026.",
    ),
    (
        "disregard_couple",
        "week",
        Decimal("10.00"),
        None,
        None,
        date(2021, 4, 6),
        None,
        SEED_001,
        "Legacy benefits, mostly closed from 2026.",
    ),
    (
        "disregard_higher",
        "week",
        Decimal("20.00"),
        None,
        None,
        date(2021, 4, 6),
        None,
        SEED_001,
        "Lone parent, disabled or a carer. Legacy benefits, mostly closed from 2026.",
    ),
    (
        "trading_allowance",
        "tax_year",
        Decimal("1000.00"),
        None,
        None,
        date(2017, 4, 6),
        None,
        "HMRC, trading and miscellaneous income allowance",
        "Awareness only: not advice.",
    ),
]


# The Welsh of each shipped source and note, so that a Welsh reader of a warning reads no English.
# A migration copies these into the rows' ``source_cy`` and ``notes_cy``; an admin can change them.
WELSH: dict[str, str] = {
    SEED_001: "Fforwm Iechyd Meddwl a Lles Cymru, arfer gorau mewn cyd-gynhyrchu, tabl budd-daliadau lles",
    DWP_2025: "DWP, Cyfraddau budd-daliadau a phensiynau 2025 i 2026",
    DWP_2024: "DWP, Cyfraddau budd-daliadau a phensiynau 2024 i 2025",
    "HMRC, trading and miscellaneous income allowance": "CThEF, lwfans incwm masnachu ac incwm amrywiol",
    "After tax; under 16 hours a week; tell DWP first (form PW1).": (
        "Ar ôl treth; llai nag 16 awr yr wythnos; rhowch wybod i'r DWP yn gyntaf (ffurflen PW1)."
    ),
    "Under 16 hours a week; tell DWP first (form PW1).": (
        "Llai nag 16 awr yr wythnos; rhowch wybod i'r DWP yn gyntaf (ffurflen PW1)."
    ),
    "Cliff edge: £1 over loses the whole week's allowance.": (
        "Ymyl clogwyn: mae £1 dros y terfyn yn colli lwfans yr wythnos gyfan."
    ),
    "Only with a child or limited capability for work; 63% taper above it.": (
        "Dim ond gyda phlentyn neu allu cyfyngedig i weithio; tapr o 63% uwchben y terfyn."
    ),
    "Only with a child or limited capability for work; 55% taper above it.": (
        "Dim ond gyda phlentyn neu allu cyfyngedig i weithio; tapr o 55% uwchben y terfyn."
    ),
    "Legacy benefits, mostly closed from 2026.": "Hen fudd-daliadau, y rhan fwyaf ar gau o 2026 ymlaen.",
    "Lone parent, disabled or a carer. Legacy benefits, mostly closed from 2026.": (
        "Rhiant sengl, person anabl neu ofalwr. Hen fudd-daliadau, y rhan fwyaf ar gau o 2026 ymlaen."
    ),
    "Awareness only: not advice.": "Er gwybodaeth yn unig: nid cyngor.",
}


# ---- Mileage and the Real Living Wage (PRODUCT §5) --------------------------------------------

HMRC_MILEAGE = "HMRC approved mileage allowance payments"

# first 10,000 miles (pence a mile), after that, each passenger, from, to, source
MILEAGE_RATES: list[tuple[Decimal, Decimal, Decimal, date, date | None, str]] = [
    (Decimal("45.00"), Decimal("25.00"), Decimal("5.00"), date(2011, 4, 6), None, HMRC_MILEAGE),
]

SEED_001_RLW = "Wales Mental Health and Wellbeing Forum, best practice in co-production, appendix 3 (Living Wage)"
LIVING_WAGE_FOUNDATION_2025 = "Living Wage Foundation, Real Living Wage 2025/26 (UK rate), as announced"

# The UK Real Living Wage an hour, from the date each figure was announced; the lowest hourly
# rate a rate card may set (001 §Reward: "at least equivalent to the Real Living Wage").
# Only the figures PRODUCT §5 gives are shipped: check the dates against the Living Wage
# Foundation before relying on them. Organisations in Wales use the UK rate; the London
# rate (£14.80 in 2025/26) is not used here.
REAL_LIVING_WAGE: list[tuple[date, Decimal, str]] = [
    (date(2018, 11, 5), Decimal("9.00"), SEED_001_RLW),
    (date(2025, 10, 21), Decimal("13.45"), LIVING_WAGE_FOUNDATION_2025),
]


def real_living_wage_on(day: date) -> tuple[Decimal, str] | None:
    """The Real Living Wage in force on ``day`` and its source (None before the first figure)."""
    in_force = [(start, amount, source) for start, amount, source in REAL_LIVING_WAGE if start <= day]
    if not in_force:
        return None
    _start, amount, source = max(in_force)
    return amount, source
