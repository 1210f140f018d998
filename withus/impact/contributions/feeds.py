"""The feed of an organisation's "you said, we did" page: RSS and Atom, English unless ``?lang=cy``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation
from withus.opportunities.feeds import requested_language

from . import selectors
from .models import Contribution

if TYPE_CHECKING:
    ContributionFeed = Feed[Contribution, Organisation]
else:
    ContributionFeed = Feed

FEED_LIMIT = 100


class _YouSaidFeed(ContributionFeed):
    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = requested_language(request)
        with translation.override(language):
            response = super().__call__(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        return response

    def get_object(self, request: HttpRequest, slug: str) -> Organisation:
        return get_object_or_404(Organisation, slug=slug)

    def title(self, obj: Organisation) -> str:
        return _("You said, we did: %(organisation)s") % {"organisation": obj}

    def link(self, obj: Organisation) -> str:
        return reverse("impact:public", args=[obj.slug])

    def description(self, obj: Organisation) -> str:
        return _("What people with lived experience said to %(organisation)s, what was decided and what changed.") % {
            "organisation": obj
        }

    def items(self, obj: Organisation) -> list[Contribution]:
        return list(selectors.published(obj)[:FEED_LIMIT])

    def item_title(self, item: Contribution) -> str:
        answers = getattr(item, "answers_newest_first", [])
        outcome = answers[0].get_decision_display() if answers else _("Waiting for an answer")
        return f"{outcome}: {item.text[:80]}"

    def item_description(self, item: Contribution) -> str:
        parts = [_("You said: %(text)s") % {"text": item.text}]
        answers = getattr(item, "answers_newest_first", [])
        if answers:
            parts.append(
                _("We decided: %(decision)s. %(reason)s")
                % {"decision": answers[0].get_decision_display(), "reason": answers[0].reason}
            )
        follow_up = getattr(item, "follow_up", None)
        if follow_up is not None and follow_up.answered_at and follow_up.changed:
            parts.append(_("What changed: %(text)s") % {"text": follow_up.what_changed})
        return linebreaks("\n\n".join(parts), autoescape=True)

    def item_link(self, item: Contribution) -> str:
        return reverse("impact:public", args=[item.organisation.slug]) + f"#contribution-{item.pk}"

    def item_pubdate(self, item: Contribution) -> datetime:
        return item.recorded_at

    def item_updateddate(self, item: Contribution) -> datetime:
        return item.answered_at or item.recorded_at


class YouSaidRssFeed(_YouSaidFeed):
    feed_type = Rss201rev2Feed


class YouSaidAtomFeed(_YouSaidFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Organisation) -> str:
        return self.description(obj)
