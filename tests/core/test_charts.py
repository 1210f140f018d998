from __future__ import annotations

import re

from withus.core import charts
from withus.core.charts import Chart, Series


def level_chart() -> Chart:
    return Chart(
        key="levels",
        title="people involved by pathway level",
        categories=["Informed", "Consulted", "Co-producing"],
        series=[Series("People", [12, 87, 40])],
        category_title="Pathway level",
    )


def test_a_bar_chart_says_what_it_shows_and_the_range_of_its_figures() -> None:
    assert charts.description(level_chart()) == "Bar chart: people involved by pathway level, from 12 to 87."


def test_the_svg_is_an_image_titled_and_described_by_its_text_and_its_table() -> None:
    chart = level_chart()
    svg = charts.svg(chart)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'role="img"' in svg
    assert '<title id="chart-levels-title">Bar chart: people involved by pathway level</title>' in svg
    assert '<desc id="chart-levels-desc">Bar chart: people involved by pathway level, from 12 to 87.</desc>' in svg
    assert 'aria-describedby="chart-levels-desc chart-levels-table"' in svg
    assert len(re.findall(r"<rect ", svg)) == 3
    assert "<script" not in svg


def test_the_table_beside_it_holds_the_same_figures() -> None:
    html = charts.figure(level_chart())
    assert '<table class="table" id="chart-levels-table">' in html
    assert '<a href="#chart-levels-table">' in html
    assert '<tr><th scope="row">Consulted</th><td class="numeric" data-label="People">87</td></tr>' in html
    assert '<th scope="col">Pathway level</th><th scope="col">People</th>' in html


def test_a_grouped_chart_names_its_series_and_draws_a_bar_for_each() -> None:
    chart = Chart(
        key="areas",
        title="people by area against the population",
        categories=["Cardiff", "Newport"],
        series=[Series("Involved", [30, 10]), Series("Per 10,000 people", [2.5, 1])],
    )
    assert charts.description(chart) == (
        "Grouped bar chart: people by area against the population (Involved, Per 10,000 people), from 1 to 30."
    )
    assert len(re.findall(r"<rect ", charts.svg(chart))) == 4 + 2  # four bars and two legend keys


def test_a_figure_held_back_draws_no_bar_and_says_why() -> None:
    chart = Chart(
        key="roles",
        title="people by role",
        categories=["Chair", "Member"],
        series=[Series("People", [None, 20])],
        held_back="fewer than 5",
    )
    assert charts.description(chart) == "Bar chart: people by role, every figure 20; 1 figure held back: fewer than 5."
    svg = charts.svg(chart)
    assert len(re.findall(r"<rect ", svg)) == 1
    assert "fewer than 5" in charts.table(chart)


def test_text_in_a_chart_is_escaped() -> None:
    chart = Chart(key="x", title="a <b> & c", categories=["<script>"], series=[Series("n", [1])])
    assert "<script>" not in charts.figure(chart)
    assert "&lt;script&gt;" in charts.svg(chart)
