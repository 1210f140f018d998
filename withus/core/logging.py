"""Logging that keeps the server's log readable."""

from __future__ import annotations

import logging


class NoTracebackForClientErrors(logging.Filter):
    """Log a refused request (4xx: forbidden, not found) in one line, without the traceback.

    Django attaches the exception to the warning it logs for a 403 or 404; they are the
    product working as meant (someone asked for what they may not see), and a traceback
    each time buries real errors. Server errors (5xx) keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
