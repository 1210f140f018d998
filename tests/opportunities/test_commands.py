import csv
from io import StringIO

import pytest
from django.core.management import call_command

from tests.conftest import make_member
from tests.opportunities.factories import make_opportunity
from withus.opportunities.models import Application
from withus.people.models import ConsentRecord

pytestmark = pytest.mark.django_db


def test_export_writes_every_opportunity_as_csv(tmp_path, org_a, org_b, coordinator_a, coordinator_b):
    o = make_opportunity(org_a, coordinator_a, title="Crisis panel, north")
    make_opportunity(org_b, coordinator_b, title="Carers forum", status="draft")
    Application.objects.create(opportunity=o, person=make_member(org_a), status="selected")
    out = tmp_path / "opportunities.csv"
    call_command("opportunities", "export", "--format", "csv", "--output", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["title"] for r in rows} == {"Crisis panel, north", "Carers forum"}
    crisis = next(r for r in rows if r["title"] == "Crisis panel, north")
    assert crisis["responses"] == "1" and crisis["selected"] == "1" and crisis["organisation"] == org_a.name
    call_command("opportunities", "export", "--organisation", org_b.slug, "--output", str(out))
    assert [r["title"] for r in csv.DictReader(out.open(encoding="utf-8"))] == ["Carers forum"]


def test_export_writes_a_formula_like_title_as_text(tmp_path, org_a, coordinator_a):
    make_opportunity(org_a, coordinator_a, title='=HYPERLINK("http://example.org/x","Apply")')
    out = tmp_path / "opportunities.csv"
    call_command("opportunities", "export", "--format", "csv", "--output", str(out))
    (row,) = list(csv.DictReader(out.open(encoding="utf-8")))
    assert row["title"] == '\'=HYPERLINK("http://example.org/x","Apply")'


def test_notify_command_tells_members(org_a, coordinator_a, mailoutbox):
    member = make_member(org_a)
    ConsentRecord.objects.create(person=member, purpose="contact_about_opportunities")
    make_opportunity(org_a, coordinator_a)
    out = StringIO()
    call_command("opportunities", "notify", stdout=out)
    assert "Told 1 people" in out.getvalue()
    assert mailoutbox[0].to == [member.email]


def test_export_writes_a_typed_workbook(tmp_path, org_a, coordinator_a):
    from datetime import date

    from django.core.management import CommandError

    from tests.core.xlsx import HOSTILE, assert_text, records, sheet_of
    from withus.opportunities.management.commands.opportunities import EXPORT_COLUMNS

    o = make_opportunity(org_a, coordinator_a, title=HOSTILE, closes_on=date(2030, 1, 15))
    Application.objects.create(opportunity=o, person=make_member(org_a), status="selected")
    with pytest.raises(CommandError, match="--output"):
        call_command("opportunities", "export", "--format", "xlsx")
    out = tmp_path / "opportunities.xlsx"
    call_command("opportunities", "export", "--format", "xlsx", "--output", str(out))
    sheet = sheet_of(out.read_bytes())
    assert [c.value for c in sheet[1]] == EXPORT_COLUMNS
    (row,) = records(sheet)
    assert_text(row["title"], HOSTILE)
    assert (row["id"].value, row["responses"].value, row["selected"].value) == (o.pk, 1, 1)
    assert row["id"].data_type == "n"
    assert row["closes_on"].is_date and row["closes_on"].value.date() == date(2030, 1, 15)
    # The CSV is written from the same rows, as before.
    csv_out = tmp_path / "opportunities.csv"
    call_command("opportunities", "export", "--output", str(csv_out))
    (csv_row,) = list(csv.DictReader(csv_out.open(encoding="utf-8")))
    assert csv_row["closes_on"] == "2030-01-15" and csv_row["title"] == "'" + HOSTILE
