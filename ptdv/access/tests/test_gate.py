"""The one permission gate (ptdv.access.gate): its decision table, the refusal pages and JSON,
the API twin, and the service check that used to let an anonymous user through."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from rest_framework.views import APIView

from ptdv.access.gate import (
    GateMiddleware,
    Kind,
    Outcome,
    Rule,
    decide,
    is_read_only,
)
from ptdv.access.permissions import check_perm
from ptdv.core.errors import PermissionDeniedError

pytestmark = pytest.mark.django_db

GATED = Rule()
PUBLIC = Rule(Kind.PUBLIC)
ACCOUNT = Rule(Kind.ACCOUNT)


def test_decision_table(personas: Any) -> None:
    anon = AnonymousUser()
    assert decide(anon, "GET", PUBLIC) is Outcome.PASS
    assert decide(anon, "POST", PUBLIC) is Outcome.PASS
    for rule in (GATED, ACCOUNT, Rule(Kind.GATED, "people.view")):
        assert decide(anon, "GET", rule) is Outcome.LOGIN
        assert decide(None, "GET", rule) is Outcome.LOGIN
    viewer = personas.viewer
    assert is_read_only(viewer)
    assert decide(viewer, "GET", GATED) is Outcome.PASS
    assert decide(viewer, "HEAD", GATED) is Outcome.PASS
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert decide(viewer, method, GATED) is Outcome.FORBIDDEN
    assert decide(viewer, "POST", ACCOUNT) is Outcome.PASS  # e.g. log out
    secretary = personas.cell_secretary
    assert not is_read_only(secretary)
    assert decide(secretary, "POST", GATED) is Outcome.PASS
    assert decide(secretary, "GET", Rule(Kind.GATED, "access.manage")) is Outcome.FORBIDDEN
    assert decide(personas.district_officer, "GET", Rule(Kind.GATED, "access.manage")) is (
        Outcome.PASS
    )


def test_a_user_without_position_is_read_only(django_user_model: Any) -> None:
    nobody = django_user_model.objects.create_user(username="khong", password="x" * 12)
    assert is_read_only(nobody)
    assert decide(nobody, "POST", GATED) is Outcome.FORBIDDEN


def test_anonymous_actor_is_refused_by_services(tree: Any) -> None:
    # this check used to return early for an anonymous actor, as if it were the system
    with pytest.raises(PermissionDeniedError):
        check_perm(AnonymousUser(), "people.edit", tree.cell)
    check_perm(None, "people.edit", tree.cell)  # the system (commands, demo) is not restricted


def test_pages_refused_styled_in_vietnamese(client: Any, personas: Any, tree: Any) -> None:
    r = client.get("/people/")
    assert r.status_code == 302 and r["Location"].startswith("/login/?next=/people/")
    client.force_login(personas.viewer)
    r = client.post("/people/new/", {})
    assert r.status_code == 403
    html = r.content.decode()
    assert "Không được phép" in html and 'href="/static/ptdv/css/app.css' in html
    r = client.get(f"/orgs/{tree.sibling.uid}/")  # another subtree: not found, alike
    assert r.status_code == 404
    html = r.content.decode()
    assert "Không tìm thấy" in html and "ngoài phạm vi" in html and tree.sibling.name not in html


def test_api_refusals_are_json(client: Any, personas: Any) -> None:
    from ptdv.exchange.tokens import token_create

    r = client.get("/api/v1/people/")
    assert r.status_code == 401 and r.json()["code"] == "not_authenticated"
    _t, key = token_create(actor=personas.viewer, name="bảng điều khiển")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get("/api/v1/people/", **auth).status_code == 200
    r = client.post(
        f"/api/v1/people/{personas.viewer.pk}/events/", {}, content_type="application/json", **auth
    )
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert "chỉ xem" in r.json()["message"]
    r = client.get("/api/v1/no-such-thing/", **auth)
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_an_api_view_without_the_gate_is_refused(personas: Any) -> None:
    class Ungated(APIView):
        permission_classes: list[Any] = []

    request = RequestFactory().get("/api/v1/x/")
    request.user = personas.district_officer
    middleware = GateMiddleware(lambda r: None)  # type: ignore[arg-type, return-value]
    response = middleware.process_view(request, Ungated.as_view(), (), {})
    assert response is not None and response.status_code == 403


def test_api_visible_but_not_editable_is_forbidden_json(
    client: Any, personas: Any, tree: Any
) -> None:
    from ptdv.exchange.tokens import token_create
    from ptdv.people.models import MembershipEvent
    from ptdv.people.services import person_create

    person = person_create(
        actor=None,
        org_unit=tree.cell,
        full_name="Lý Văn Thử",
        date_of_birth=dt.date(1990, 1, 1),
        gender="male",
    )
    # the political centre sees district A's people but may not edit them
    _t, key = token_create(actor=personas.centre_staff, name="ttct")
    r = client.post(
        f"/api/v1/people/{person.uid}/events/",
        {"kind": "admitted", "date": "2020-01-01"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert not MembershipEvent.objects.filter(person=person).exists()


def test_class_based_views_use_the_mixin(personas: Any) -> None:
    from django.http import HttpResponse
    from django.views import View

    from ptdv.access.gate import GateMixin, rule_of

    class Manage(GateMixin, View):
        gate_perm = "access.manage"

        def get(self, request: Any) -> HttpResponse:
            return HttpResponse("ok")

        def post(self, request: Any) -> HttpResponse:
            return HttpResponse("done")

    view = Manage.as_view()
    assert rule_of(view) == Rule(Kind.GATED, "access.manage")
    rf = RequestFactory()

    def call(user: Any, method: str = "get") -> Any:
        request = getattr(rf, method)("/x/")
        request.user = user
        try:
            return view(request).status_code
        except Exception as exc:  # noqa: BLE001 - PermissionDenied becomes 403 in the handler
            return type(exc).__name__

    assert call(AnonymousUser()) == 302
    assert call(personas.cell_secretary) == "PermissionDenied"
    assert call(personas.district_officer) == 200
    assert call(personas.district_officer, "post") == 200


def test_the_login_page_is_never_sent_to_itself(rf: Any) -> None:
    def undeclared_login(request: Any) -> Any:
        from django.http import HttpResponse

        return HttpResponse("login form")

    request = rf.get("/login/")
    request.user = AnonymousUser()
    assert GateMiddleware(lambda r: None).process_view(request, undeclared_login, (), {}) is None  # type: ignore[arg-type, return-value]
    request = rf.get("/people/")
    request.user = AnonymousUser()
    refused = GateMiddleware(lambda r: None).process_view(request, undeclared_login, (), {})  # type: ignore[arg-type, return-value]
    assert refused is not None and refused.status_code == 302


def test_a_gate_may_accept_any_of_several_permissions(personas: Any) -> None:
    either = Rule(Kind.GATED, ("exchange.import", "exchange.export"))
    assert decide(personas.centre_staff, "GET", either) is Outcome.PASS  # import and export
    assert decide(personas.cell_secretary, "GET", either) is Outcome.PASS  # export only
    assert decide(personas.viewer, "GET", either) is Outcome.FORBIDDEN  # neither


def test_a_form_without_its_csrf_token_is_refused_in_vietnamese(personas: Any) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.cell_secretary)
    r = client.post("/people/new/", {})
    assert r.status_code == 403
    html = r.content.decode()
    assert "Biểu mẫu không được chấp nhận" in html and "CSRF verification failed" not in html


def test_the_server_error_page_is_vietnamese(rf: Any) -> None:
    from django.views.defaults import server_error

    html = server_error(rf.get("/people/")).content.decode()
    assert "Đã có lỗi" in html and "Server Error" not in html
