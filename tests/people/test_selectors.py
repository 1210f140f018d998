"""The batched sharing check: which organisations each of many people share their details with."""

import pytest
from django.utils import timezone

from tests.accounts.factories import OrganisationFactory
from tests.people.factories import PersonFactory, share
from withus.people import selectors
from withus.people.models import ConsentRecord, Person

pytestmark = pytest.mark.django_db


def test_each_persons_current_sharing_in_one_query(django_assert_num_queries):
    a, b = OrganisationFactory(), OrganisationFactory()
    both, one, withdrew, nobody = PersonFactory(), PersonFactory(), PersonFactory(), PersonFactory()
    share(both, a)
    share(both, b)
    share(one, b)
    share(withdrew, a)
    withdrew.consents.update(withdrawn_at=timezone.now())
    ConsentRecord.objects.create(person=nobody, purpose=ConsentRecord.Purpose.CONTACT_ABOUT_OPPORTUNITIES)

    with django_assert_num_queries(1):
        shared = selectors.sharing_organisation_ids([both, one, withdrew, nobody])

    assert shared == {both.pk: {a.pk, b.pk}, one.pk: {b.pk}}
    for person in (both, one, withdrew, nobody):
        for organisation in (a, b):
            assert (organisation.pk in shared.get(person.pk, set())) == selectors.shares_with(person, organisation)


def test_the_query_count_does_not_grow_with_the_people_asked_about(django_assert_num_queries):
    organisation = OrganisationFactory()
    people = PersonFactory.create_batch(12)
    for person in people:
        share(person, organisation)

    for some in (people[:2], people):
        with django_assert_num_queries(1):
            assert len(selectors.sharing_organisation_ids(some)) == len(some)
    with django_assert_num_queries(1):
        assert len(selectors.sharing_organisation_ids(Person.objects.all())) == 12


def test_consenting_to_a_purpose_means_a_consent_not_withdrawn():
    keen, lapsed = PersonFactory(), PersonFactory()
    PersonFactory()
    purpose = ConsentRecord.Purpose.CONTACT_ABOUT_OPPORTUNITIES
    ConsentRecord.objects.create(person=keen, purpose=purpose)
    ConsentRecord.objects.create(person=lapsed, purpose=purpose, withdrawn_at=timezone.now())

    assert list(selectors.consenting_to(purpose)) == [keen]
