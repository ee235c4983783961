from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from ptdv.exchange.tokens import token_create, token_revoke
from ptdv.people.models import MembershipEvent, Person
from ptdv.people.services import membership_event_add, person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree: Any) -> dict[str, Person]:
    mine = person_create(
        actor=None,
        org_unit=tree.cell,
        full_name="Nguyễn Văn An",
        date_of_birth=dt.date(1990, 1, 1),
        gender="male",
        citizen_id="001090000001",
    )
    membership_event_add(
        actor=None, person=mine, kind="admitted", date=dt.date(2015, 1, 1), org_unit=tree.cell
    )
    other = person_create(
        actor=None,
        org_unit=tree.sibling_cell,
        full_name="Trần Văn Bình",
        date_of_birth=dt.date(1991, 1, 1),
        gender="male",
    )
    return {"mine": mine, "other": other}


def _auth(user: Any) -> dict[str, str]:
    _t, key = token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_schema_is_served_and_valid(client: Any) -> None:
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert "/api/v1/people/" in doc["paths"]
    assert "tokenAuth" in doc["components"]["securitySchemes"]


def test_token_required_and_revocable(client: Any, personas: Any, people: Any) -> None:
    r = client.get("/api/v1/people/")
    assert r.status_code == 401 and r.json()["code"] == "not_authenticated"
    r = client.get("/api/v1/people/", HTTP_AUTHORIZATION="Token nope")
    assert r.status_code == 401
    token, key = token_create(actor=personas.district_officer, name="x")
    assert token.key_hash != key and key not in token.key_hash
    assert client.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    token_revoke(actor=personas.district_officer, token=token)
    assert client.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_scope_and_masking_follow_the_positions(client: Any, personas: Any, people: Any) -> None:
    officer = client.get("/api/v1/people/", **_auth(personas.district_officer)).json()
    assert [p["full_name"] for p in officer["results"]] == ["Nguyễn Văn An"]
    assert officer["results"][0]["citizen_id"] == "001090000001"
    viewer = client.get("/api/v1/people/", **_auth(personas.viewer)).json()
    assert (
        viewer["results"][0]["citizen_id"].endswith("0001")
        and "•" in viewer["results"][0]["citizen_id"]
    )
    sib = client.get("/api/v1/people/", **_auth(personas.sibling_officer)).json()
    assert [p["full_name"] for p in sib["results"]] == ["Trần Văn Bình"]
    r = client.get(f"/api/v1/people/{people['other'].uid}/", **_auth(personas.district_officer))
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = client.get("/api/v1/people/?org=B", **_auth(personas.district_officer))
    assert r.status_code == 404
    r = client.get("/api/v1/organizations/?org=A-X", **_auth(personas.district_officer))
    assert {o["code"] for o in r.json()["results"]} == {"A-X", "A-X-1", "A-X-2"}
    r = client.get(
        "/api/v1/membership-events/?org=A&from=2014-01-01&to=2016-01-01",
        **_auth(personas.district_officer),
    )
    assert r.json()["count"] == 1
    r = client.get("/api/v1/membership-events/?from=not-a-date", **_auth(personas.district_officer))
    assert r.status_code == 400 and r.json()["field"] == "from"


def test_event_post_goes_through_the_service(client: Any, personas: Any, people: Any) -> None:
    url = f"/api/v1/people/{people['mine'].uid}/events/"
    auth = _auth(personas.district_officer)
    bad_json = client.post(url, data="{not json", content_type="application/json", **auth)
    assert bad_json.status_code == 400 and bad_json.json()["code"] == "bad_json"
    unknown = client.post(
        url,
        data=json.dumps({"kind": "recognized", "date": "2016-01-01", "x": 1}),
        content_type="application/json",
        **auth,
    )
    assert unknown.status_code == 400 and unknown.json()["field"] == "x"
    refused = client.post(
        url,
        data=json.dumps({"kind": "admitted", "date": "2016-01-01"}),
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_event_order"
    viewer = client.post(
        url,
        data=json.dumps({"kind": "recognized", "date": "2016-01-01"}),
        content_type="application/json",
        **_auth(personas.viewer),
    )
    assert viewer.status_code == 403
    assert MembershipEvent.objects.count() == 1
    ok = client.post(
        url,
        data=json.dumps({"kind": "recognized", "date": "2016-01-01"}),
        content_type="application/json",
        **auth,
    )
    assert ok.status_code == 201, ok.json()
    people["mine"].refresh_from_db()
    assert people["mine"].status == "official"


def test_statistics_is_the_report_summary(client: Any, personas: Any, people: Any) -> None:
    r = client.get(
        "/api/v1/statistics/?org=A&from=2010-01-01&to=2020-12-31",
        **_auth(personas.district_officer),
    )
    assert r.status_code == 200
    assert r.json()["members"]["total"] == 1
    assert client.get("/api/v1/statistics/", **_auth(personas.district_officer)).status_code == 400


def test_unknown_api_path_is_json_404(client: Any) -> None:
    r = client.get("/api/v1/nothing/here")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_api_contract_fuzzed_with_schemathesis(personas: Any, people: Any) -> None:
    """Every operation of the OpenAPI document, generated requests (bounded), through the
    WSGI app: no server error, and every response conforms to the document."""
    import schemathesis
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    from ptdv.config.wsgi import application

    _t, key = token_create(actor=personas.district_officer, name="fuzz")
    # Like Django's test client: keep the test's connection open across WSGI requests
    # (request signals would close it, inside the test transaction, on PostgreSQL).
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
        checks = [
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
        operations = [r.ok() for r in schema.get_all_operations()]
        assert len(operations) >= 7
        _fuzz(operations, key, checks)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _fuzz(operations: list[Any], key: str, checks: list[Any]) -> None:
    import hypothesis

    for operation in operations:

        @hypothesis.given(case=operation.as_strategy())
        @hypothesis.settings(
            max_examples=15,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        def run(case: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Token {key}"}
            response = case.call()
            case.validate_response(response, checks=checks)

        run()


@pytest.fixture
def klass(tree: Any, people: Any) -> Any:
    from ptdv.training.models import CourseType
    from ptdv.training.services import class_create, enrol_bulk, institution_create

    inst = institution_create(
        actor=None, code="TTCT-A", name="TTCT huyện An", org_unit=tree.district
    )
    course = CourseType.objects.get(code="awareness")
    masses = person_create(
        actor=None,
        org_unit=tree.cell,
        full_name="Lò Thị Hoa",
        date_of_birth=dt.date(2000, 1, 1),
        gender="female",
    )
    k = class_create(
        actor=None,
        institution=inst,
        course_type=course,
        code="L1",
        start_on=dt.date(2030, 3, 1),
        end_on=dt.date(2030, 3, 5),
        served_units=[tree.grassroots],
    )
    enrol_bulk(actor=None, klass=k, person_ids=[masses.pk])
    return k


def test_classes_read_and_transition_through_the_service(
    client: Any, personas: Any, klass: Any
) -> None:
    auth = _auth(personas.centre_staff)
    r = client.get("/api/v1/classes/", **auth)
    assert [c["code"] for c in r.json()["results"]] == ["L1"]
    r = client.get(f"/api/v1/classes/{klass.uid}/enrolments/", **auth)
    assert [e["full_name"] for e in r.json()["results"]] == ["Lò Thị Hoa"]
    url = f"/api/v1/classes/{klass.uid}/transition/"
    r = client.post(
        url, data=json.dumps({"to": "finished"}), content_type="application/json", **auth
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid_transition"
    r = client.post(
        url,
        data=json.dumps({"to": "open"}),
        content_type="application/json",
        **_auth(personas.viewer),
    )
    assert r.status_code == 403
    r = client.post(url, data=json.dumps({"to": "open"}), content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["status"] == "open"
    sib = client.get(f"/api/v1/classes/{klass.uid}/", **_auth(personas.sibling_officer))
    assert sib.status_code == 404
