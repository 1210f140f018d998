"""Tables stack into rows on a narrow screen, each cell showing its column's heading from its data-label."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import make_member, member_client

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TABLES = re.compile(r'<table class="table".*?</table>', re.S)


def test_every_cell_of_every_page_table_has_the_heading_it_shows_on_a_narrow_screen():
    unlabelled = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        for table in TABLES.findall(template.read_text()):
            for cell in re.findall(r"<td\b[^>]*>", table):
                if "data-label=" not in cell and "colspan" not in cell:
                    unlabelled.append(f"{template.relative_to(TEMPLATES)}: {cell}")
    assert not unlabelled, "cells with no data-label:\n" + "\n".join(unlabelled)


def test_the_stylesheet_stacks_tables_on_narrow_screens_and_shows_the_labels():
    css = (Path(__file__).resolve().parents[2] / "static" / "withus.css").read_text()
    narrow = re.search(
        r"@media \(max-width: 40rem\) \{\s*\.table, \.table tbody, \.table tr, \.table td.*?\n\}", css, re.S
    )
    assert narrow, "no narrow-screen rule stacking tables"
    assert "content: attr(data-label)" in narrow.group(0)


@pytest.mark.django_db
def test_the_consent_table_labels_each_cell_and_keeps_its_headers_for_screen_readers(org_a):
    page = member_client(make_member(org_a)).get("/me/").content.decode()
    table = re.search(
        r'<table class="table">\s*<caption class="visually-hidden">Current consents</caption>.*?</table>', page, re.S
    )
    assert table
    assert '<th scope="col">Since</th>' in table.group(0)
    assert re.search(r'<td data-label="Since">\d{1,2} \w{3} \d{4}</td>', table.group(0))
    assert '<td data-label="">' in table.group(0)  # the column of Withdraw buttons has no visible heading


def test_radio_and_checkbox_labels_sit_beside_large_boxes():
    css = (Path(__file__).resolve().parents[2] / "static" / "withus.css").read_text()
    beside = re.search(r"\.choices label, \.checkbox \{([^}]*)\}", css)
    assert beside and "display: flex" in beside.group(1) and "min-height: 44px" in beside.group(1)
    boxes = re.search(
        r"\.choices input\[type=radio\], \.choices input\[type=checkbox\], \.checkbox input \{([^}]*)\}", css
    )
    assert boxes and "width: 2rem" in boxes.group(1) and "height: 2rem" in boxes.group(1)
