"""The page for a server error (500), which must never fail itself.

Django renders 403 and 404 with the request (``templates/403.html``, ``404.html``: the site's
layout, in the reader's language). A 500 gets no request context, and whatever broke may
be the database, the URLs or the static files manifest, so its page reads nothing of
them: a plain template with the header and footer written out, in the language the request
was being answered in, and a fixed page if even that cannot be rendered.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import get_language

FALLBACK = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sorry, there is a problem with the service'
    " – WithUs</title></head><body><main><h1>Sorry, there is a problem with the service</h1>"
    "<p>Please try again later.</p></main></body></html>"
)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        stylesheet = static("withus.css")
    except Exception:  # a missing manifest entry: the page still reads, unstyled
        stylesheet = ""
    try:
        body = loader.get_template("500.html").render({"stylesheet": stylesheet, "language": get_language() or "en"})
    except Exception:
        body = FALLBACK
    return HttpResponseServerError(body)
