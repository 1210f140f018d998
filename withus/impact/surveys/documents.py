"""A survey on paper (tagged PDF, in the reader's language) and its results as a streamed CSV or a workbook."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint.document import Document

from withus.core import pdf, spreadsheets

from . import rules, selectors
from .models import AnswerItem, AnswerPerspective, Survey

CSV_PIECE = 64 * 1024  # characters handed on at a time
CSV_CHUNK = 2000  # free-text answers read at a time


def paper_html(survey: Survey, *, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "impact/surveys/paper.html",
            {
                "lang": language,
                "survey": survey,
                "organisation": survey.organisation.display_name(language),
                "questions": selectors.questions_of(survey),
                "perspectives": AnswerPerspective.choices,
                "today": timezone.localdate(),
            },
        )


def paper_document(survey: Survey, *, language: str) -> Document:
    return pdf.document(paper_html(survey, language=language), settings.SITE_URL)


def paper_pdf(survey: Survey, *, language: str) -> bytes:
    """The survey to print and fill in by hand; staff type the answers in, marked as paper."""
    return pdf.write_pdf(paper_document(survey, language=language))


def results_filename(survey: Survey, extension: str = "csv") -> str:
    return f"withus-survey-{survey.pk}-results-{timezone.localdate().isoformat()}.{extension}"


RESULT_COLUMNS = ["question", "answer", "service_users", "carers", "others", "total", "themes"]


def result_rows(survey: Survey) -> Iterator[list[object]]:
    """The results as the page shows them (small numbers held back), then every free-text answer, a row at a time.

    Columns ``RESULT_COLUMNS``: the question, the answer (an option, a scale point, or the
    free text), the counts of service users, carers and others, the total, and the themes
    tagged. A count below the organisation's threshold is ``<N``, and a total that would
    give one away ``hidden``. Until the results may be shown only the number of answers is
    given. Counts are numbers, so a spreadsheet adds them up.
    """
    found = selectors.results(survey, with_texts=False)
    hidden = f"<{found.threshold}"

    def cell(value: int | None, *, total: bool = False) -> object:
        if value is None:
            return "hidden" if total else hidden
        return value

    yield [
        _("Number of answers"),
        "",
        *(cell(found.answers.cells[p]) for p in rules.PERSPECTIVES),
        cell(found.answers.total, total=True),
        "",
    ]
    if not found.visible:
        return
    for result in found.questions:
        for row in result.rows:
            yield [
                str(result.question),
                row.label,
                *(cell(row.cells[p]) for p in rules.PERSPECTIVES),
                cell(row.total, total=True),
                "",
            ]
    texts = (
        AnswerItem.objects.filter(answer__survey=survey, option__isnull=True, scale__isnull=True)
        .exclude(text="")
        .select_related("question", "answer")
        .prefetch_related("themes")
        .order_by("question__position", "question_id", "text")
    )
    for item in texts.iterator(chunk_size=CSV_CHUNK):
        marks: dict[str, object] = {p: "" for p in rules.PERSPECTIVES}
        marks[item.answer.perspective] = 1
        yield [
            str(item.question),
            item.text,
            *(marks[p] for p in rules.PERSPECTIVES),
            "",
            "; ".join(t.name for t in item.themes.all()),
        ]


def results_csv(survey: Survey) -> Iterator[str]:
    """``result_rows`` as a CSV, a piece at a time."""
    return spreadsheets.csv_pieces(RESULT_COLUMNS, result_rows(survey), piece=CSV_PIECE)


def results_xlsx(survey: Survey) -> IO[bytes]:
    """``result_rows`` as an Excel workbook of one sheet, counts as numbers and text never a formula."""
    return spreadsheets.workbook([spreadsheets.Sheet(str(survey), RESULT_COLUMNS, result_rows(survey))])
