import pytest

pytestmark = pytest.mark.django_db


def test_home_page_for_anonymous_visitor(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Join WithUs" in response.content
