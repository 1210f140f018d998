"""The board explains each pathway level in plain words in Welsh too."""

from __future__ import annotations

import html

import pytest

from tests.opportunities.factories import make_opportunity

pytestmark = pytest.mark.django_db


def test_the_board_explains_each_level_in_welsh(client, org_a, coordinator_a):
    make_opportunity(org_a, coordinator_a, title="Crisis panel", level=2)
    make_opportunity(org_a, coordinator_a, title="Carers forum", level=6)
    client.cookies["withus_language"] = "cy"
    page = html.unescape(client.get("/opportunities/").content.decode())
    assert "<dd>Wedi ymgynghori: rydyn ni'n gofyn am eich barn</dd>" in page
    assert "<dd>Arwain: chi sy'n arwain y gwaith, ac rydyn ni'n eich cefnogi chi</dd>" in page
