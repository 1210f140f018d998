from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from withus.core import charts

register = template.Library()


@register.filter
def chart_figure(chart: charts.Chart) -> SafeString:
    return charts.figure(chart)


@register.filter
def shown(value: Any, held_back: str) -> Any:
    return held_back if value is None else value
