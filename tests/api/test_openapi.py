"""The OpenAPI document and the docs page."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_openapi_document_lists_the_paths_and_token_security() -> None:
    response = Client().get("/api/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "WithUs API"
    paths = document["paths"]
    assert set(paths) >= {"/api/me", "/api/people", "/api/people/me", "/api/people/{person_id}"}
    assert set(paths["/api/people"]) == {"get", "post"}
    assert set(paths["/api/people/{person_id}"]) == {"get", "patch"}
    assert set(paths["/api/people/me"]) == {"get", "patch"}
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("type") == "http" and s.get("scheme") == "bearer" for s in schemes.values())
    assert paths["/api/people"]["get"]["security"]


def test_openapi_document_describes_errors_and_choices() -> None:
    document = Client().get("/api/openapi.json").json()
    schemas = document["components"]["schemas"]

    assert set(schemas["ErrorOut"]["properties"]) == {"code", "message", "fields"}
    assert "422" in document["paths"]["/api/people"]["post"]["responses"]
    assert schemas["Perspective"]["enum"] == ["service_user", "carer", "both"]
    create = schemas["PersonCreateIn"]
    assert {"full_name", "perspective", "how", "keep_details", "act_on_behalf"} <= set(create["required"])


def test_no_schema_offers_special_category_data() -> None:
    schemas = Client().get("/api/openapi.json").json()["components"]["schemas"]
    properties = {name for schema in schemas.values() for name in schema.get("properties", {})}

    assert "full_name" in properties
    for field in ("what_helps", "who_to_contact", "visible_to", "ethnicity", "religion", "sexual_orientation", "sex"):
        assert field not in properties


def test_docs_page_loads() -> None:
    response = Client().get("/api/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content
