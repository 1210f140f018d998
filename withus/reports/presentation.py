"""Plain report data made ready for a page: charts built from the tables that ask for one."""

from __future__ import annotations

from typing import Any

from withus.core.charts import Chart, Series


def chart_of(table: dict[str, Any], held_back: str) -> Chart:
    columns = table["columns"]
    return Chart(
        key=table["key"],
        title=table["title"],
        categories=[row[0] for row in table["rows"]],
        series=[Series(name, [row[i] for row in table["rows"]]) for i, name in enumerate(columns[1:], start=1)],
        held_back=held_back,
        category_title=columns[0],
    )


def tables_for_display(data: dict[str, Any]) -> list[dict[str, Any]]:
    held = data.get("held_back", "")
    return [
        {
            **table,
            "sources": table.get("sources", []),
            "figure": chart_of(table, held) if table.get("chart") else None,
            "cells": [[(table["columns"][i], v) for i, v in enumerate(row)] for row in table["rows"]],
        }
        for table in data.get("tables", [])
    ]


def for_display(section: dict[str, Any]) -> dict[str, Any]:
    """One section's dict with what its template reads always there: facts, held-back text, tables with charts."""
    data = section["data"]
    return {
        **section,
        "facts": data.get("facts", []),
        "period": data.get("period", ""),
        "held_back": data.get("held_back", ""),
        "tables": tables_for_display(data),
    }


def sections_for_display(frozen: dict[str, Any]) -> list[dict[str, Any]]:
    return [for_display(s) for s in frozen["sections"]]
