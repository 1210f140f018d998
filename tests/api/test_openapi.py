"""The OpenAPI document and the docs page."""

import json
import typing
from enum import Enum
from typing import Any

import pytest
from django.test import Client
from pydantic import BaseModel

from withus.api.api import api
from withus.core import spreadsheets

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


# ---- Component names ------------------------------------------------------------------------
#
# ninja names each schema in the document by its class name, and when two classes share a
# name the one read last silently replaces the other: an operation is then documented with a
# schema it does not return. So every class the routers use must have a name of its own, or
# be the very same schema as the others of its name (ninja makes a Paged<Item> per operation).


def _schemas_in(annotation: Any, found: set[type]) -> None:
    """Every pydantic model and enum reachable from ``annotation``, through lists, unions and fields."""
    for inner in typing.get_args(annotation):
        _schemas_in(inner, found)
    if not isinstance(annotation, type) or annotation in found:
        return
    if issubclass(annotation, BaseModel):
        found.add(annotation)
        for model_field in annotation.model_fields.values():
            _schemas_in(model_field.annotation, found)
    elif issubclass(annotation, Enum):
        found.add(annotation)


def _schemas_used_by_the_routers() -> set[type]:
    found: set[type] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.models, *operation.response_models.values()]:
                    _schemas_in(model, found)
    return found


def _shape(schema: type) -> Any:
    if issubclass(schema, Enum):
        return [member.value for member in schema]
    return schema.model_json_schema(mode="serialization")


def test_no_two_schemas_share_a_component_name() -> None:
    components = api.get_openapi_schema()["components"]["schemas"]
    by_name: dict[str, list[type]] = {}
    for schema in _schemas_used_by_the_routers():
        by_name.setdefault(schema.__name__, []).append(schema)

    clashes = {
        name: sorted(f"{s.__module__}.{s.__qualname__}" for s in schemas)
        for name, schemas in by_name.items()
        if name in components and len({json.dumps(_shape(s), sort_keys=True, default=str) for s in schemas}) > 1
    }

    assert clashes == {}


def test_each_component_documents_the_fields_its_class_returns() -> None:
    components = api.get_openapi_schema()["components"]["schemas"]
    checked = 0
    for schema in _schemas_used_by_the_routers():
        if not issubclass(schema, BaseModel) or schema.__name__ not in components:
            continue
        fields = {f.alias or name for name, f in schema.model_fields.items()}
        assert set(components[schema.__name__].get("properties", {})) == fields, schema
        checked += 1
    assert checked > 50  # the walk reached the routers' schemas


def test_the_component_check_would_see_a_clash() -> None:
    from withus.meetings.api import SessionPersonOut
    from withus.opportunities.api import PersonNameOut

    # Two of today's schemas that once shared the name PersonNameOut: different shapes under one name.
    assert _shape(SessionPersonOut) != _shape(PersonNameOut)
    assert {SessionPersonOut, PersonNameOut} <= _schemas_used_by_the_routers()


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_me_is_documented_with_the_tokens_organisation() -> None:
    document = Client().get("/api/openapi.json").json()
    response = document["paths"]["/api/me"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]

    me = _resolve(document, response)
    organisation = _resolve(document, me["properties"]["organisation"])

    assert {"email", "organisation", "role", "token_name"} <= set(me["required"])
    assert organisation["properties"]["id"]["type"] == "integer"
    assert organisation["properties"]["name"]["type"] == "string"
    assert set(organisation["required"]) == {"id", "name"}


def test_every_operation_documents_the_input_errors_it_can_answer_with() -> None:
    """A body can be malformed (400), too large (413) or invalid (422); a parameter can be invalid (422).

    Whatever an operation takes, the input guard answers a body too large (413) and a NUL character
    anywhere in the request (422) before the operation runs, so every operation lists those two.
    """
    document = Client().get("/api/openapi.json").json()
    undocumented = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = {str(code) for code in operation["responses"]}
            needed = {"413", "422"}
            if "requestBody" in operation:
                needed |= {"400", "413", "422"}
            if operation.get("parameters"):
                needed.add("422")
            if needed - codes:
                undocumented.append(f"{method.upper()} {path}: {sorted(needed - codes)}")
            for code in needed:
                body = operation["responses"][code]["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/ErrorOut"}, (path, code)
    assert undocumented == []


def _pairs_without_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _value in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    assert not repeated, f"keys given twice in one object: {repeated} (of {keys})"
    return dict(pairs)


def test_no_object_in_the_served_document_gives_a_key_twice() -> None:
    """A key given twice is read differently by different JSON parsers: some keep the first, some the last."""
    raw = Client().get("/api/openapi.json").content

    json.loads(raw, object_pairs_hook=_pairs_without_repeats)


def test_the_payment_file_is_documented_once_as_csv_or_xlsx() -> None:
    responses = api.get_openapi_schema()["paths"]["/api/staff/batches/{batch_id}/export"]["get"]["responses"]

    [ok] = [answer for code, answer in responses.items() if str(code) == "200"]
    assert ok["content"] == {"text/csv": {}, spreadsheets.XLSX_CONTENT_TYPE: {}}


def test_the_budgets_file_is_documented_as_csv_or_xlsx() -> None:
    responses = api.get_openapi_schema()["paths"]["/api/staff/budgets/file"]["get"]["responses"]

    [ok] = [answer for code, answer in responses.items() if str(code) == "200"]
    assert ok["content"] == {"text/csv": {}, spreadsheets.XLSX_CONTENT_TYPE: {}}
