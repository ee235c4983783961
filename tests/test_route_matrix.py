"""The route matrix (issue 12 point 5): every URL pattern and API route, tried by every
persona with ids of another subtree.

Personas (conftest): anonymous; the read-only leader of district A; the secretary of a cell
of district A; the political-centre staff of district A. Every object the routes name lives
in district B (``Foreign``), so to all of them it is someone else's.

For each route, GET and POST (and, for the API, JSON POST) must:
- for anonymous: never 200 unless the route is declared public (login, health, language,
  API schema); pages redirect to the login page, the API answers 401;
- for the leader: never write (any POST is refused by the gate, 403/401/405);
- for everyone: never answer 200 with a foreign object (its uid, code or name in the body);
  a URL naming a foreign object is 404 (or 403/405 refused earlier), never 200;
- never write: the row count of every table (the audit log included) is the same after;
- with ``?org=<a unit of district B>``: answer as without it, or 404 (never 400, 403 or a
  200 showing that unit).

A route with URL parameters must be listed in ``FILL`` (which object each parameter names):
a new route missing from it fails ``test_every_route_is_filled``, so it is covered from the
day it is added.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from ptdv.access.gate import DEFAULT as DEFAULT_RULE
from ptdv.access.gate import Kind, rule_of

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 11, 27)
MARK = "Ngoại Phạm Vi"  # in the name of every foreign person and unit


# --- the routes ---------------------------------------------------------------------------


@dataclass
class Route:
    pattern: str  # the full pattern, as written in the urls modules
    regex: str  # the full regex, to build a URL
    callback: Any
    name: str

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/")

    @property
    def is_admin(self) -> bool:
        return self.pattern.startswith("admin/")

    @property
    def params(self) -> list[str]:
        return re.findall(r"\(\?P<(\w+)>", self.regex)


def _piece(p: Any) -> tuple[str, str]:
    if isinstance(p, RoutePattern):
        return str(p._route), p.regex.pattern.lstrip("^").rstrip("$").replace(r"\Z", "")
    assert isinstance(p, RegexPattern), p
    raw = p._regex
    return raw, raw.lstrip("^").rstrip("$").replace(r"\Z", "")


def all_routes() -> list[Route]:
    out: list[Route] = []

    def walk(resolver: URLResolver, pattern: str, regex: str, ns: str) -> None:
        for p in resolver.url_patterns:
            text, rx = _piece(p.pattern)
            if isinstance(p, URLResolver):
                sub_ns = f"{ns}{p.namespace}:" if p.namespace else ns
                walk(p, pattern + text, regex + rx, sub_ns)
            else:
                assert isinstance(p, URLPattern)
                out.append(Route(pattern + text, regex + rx, p.callback, ns + (p.name or "")))

    walk(get_resolver(), "", "", "")
    return out


# --- the foreign world (district B) ---------------------------------------------------------


@dataclass
class Foreign:
    objects: dict[str, Any]
    uids: set[str] = field(default_factory=set)

    def get(self, key: str) -> Any:
        return self.objects[key]


def _make_member(unit: Any, name: str) -> Any:
    from ptdv.people.services import membership_event_add, person_create

    p = person_create(
        actor=None,
        org_unit=unit,
        full_name=name,
        date_of_birth=D(1970, 5, 5),
        gender="male",
        audit=False,
    )
    membership_event_add(
        actor=None, person=p, kind="admitted", date=D(2010, 3, 1), org_unit=unit, audit=False
    )
    membership_event_add(actor=None, person=p, kind="recognized", date=D(2011, 3, 1), audit=False)
    p.refresh_from_db()
    return p


def build_foreign(tree: Any, personas: Any) -> Foreign:
    """One object of each kind, all in district B (the sibling subtree)."""
    from ptdv.access.models import Position
    from ptdv.admissions import services as A
    from ptdv.admissions.models import DocumentKind, DossierItem, SourceEntry, VettingRequest
    from ptdv.core.models import Job
    from ptdv.exchange.models import ImportBatch
    from ptdv.exchange.tokens import token_create
    from ptdv.organizations.models import Restructuring
    from ptdv.organizations.services import org_unit_create, org_unit_rename
    from ptdv.people.models import MergeRecord
    from ptdv.people.services import person_create
    from ptdv.policy.services import swapped_day_create
    from ptdv.training import services as T
    from ptdv.training.models import CourseType

    officer = personas.sibling_officer
    cell = org_unit_create(
        actor=None,
        code="B-Y-9",
        name=f"Chi bộ {MARK}",
        kind="cell",
        parent=tree.sibling_grassroots,
        sector="residential",
        valid_from=D(2000, 1, 1),
    )
    members = [_make_member(cell, f"{MARK} Đảng Viên {i}") for i in range(3)]
    applicant = person_create(
        actor=None,
        org_unit=cell,
        full_name=f"{MARK} Người Ứng Cử",
        date_of_birth=D(2000, 1, 15),
        gender="male",
        education_general="upper_secondary",
        audit=False,
    )
    duplicate = person_create(
        actor=None,
        org_unit=cell,
        full_name=f"{MARK} Bản Trùng",
        date_of_birth=D(1980, 2, 2),
        gender="female",
        audit=False,
    )
    source_list = A.source_list_get_or_create(actor=officer, org_unit=cell, year=2024)
    entry = A.source_entry_add(
        actor=officer,
        source_list=source_list,
        person=duplicate,
        added_on=D(2024, 1, 5),
        today=TODAY,
    )
    case = A.case_open(
        actor=officer,
        person=applicant,
        cell=cell,
        opened_on=D(2024, 1, 10),
        unit_has_youth_union=False,
        today=TODAY,
    )
    centre = T.institution_create(
        actor=None, code="TTCT-B", name=f"Trung tâm {MARK}", org_unit=tree.sibling, director="X"
    )
    types = {t.code: t for t in CourseType.objects.all()}
    klass = T.class_create(
        actor=None,
        institution=centre,
        course_type=types["awareness"],
        code="NT-B/2020",
        start_on=D(2020, 3, 2),
        end_on=D(2020, 3, 6),
        capacity=5,
        served_units=[tree.sibling],
    )
    T.class_transition(actor=None, klass=klass, to="open", today=D(2020, 2, 1))
    T.enrol_bulk(actor=None, klass=klass, person_ids=[duplicate.pk])
    T.class_transition(actor=None, klass=klass, to="running", today=klass.start_on)
    sessions = list(klass.sessions.all())
    marks = [(e.pk, s.pk, True) for e in klass.enrolments.all() for s in sessions]
    T.attendance_record(actor=None, klass=klass, marks=marks, today=klass.end_on)
    T.class_transition(actor=None, klass=klass, to="finished", today=klass.end_on)
    enrolment = klass.enrolments.get()
    T.result_record(actor=None, klass=klass, rows=[T.ResultRow(enrolment.pk, True, "9")])
    (certificate,) = T.certificate_issue(
        actor=None, klass=klass, enrolment_ids=[enrolment.pk], issued_on=klass.end_on
    )
    token, _key = token_create(actor=officer, name=f"{MARK} token")
    swap = swapped_day_create(
        actor=officer, day=D(2026, 4, 22), kind="day_off", reason="Nghỉ bù (lịch chung của cả nước)"
    )
    batch = ImportBatch.objects.create(
        kind="people", user=officer, org_unit=cell, file_name=f"{MARK}.xlsx"
    )
    merge = MergeRecord.objects.create(kept=members[1], duplicate=members[2], user=officer)
    job = Job.objects.create(kind="export", user=officer, result_name=f"{MARK}.xlsx")
    position = Position.objects.get(user=officer)
    org_unit_rename(actor=None, unit=cell, new_name=f"Chi bộ {MARK} mới", date=D(2025, 1, 1))
    restructuring = Restructuring.objects.filter(kind="rename").latest("pk")
    from ptdv.people.transfers import services as TR

    transfer = TR.transfer_issue(
        actor=None,
        person=members[0],
        kind="official",
        to_unit=tree.sibling_cell,
        letter_number=f"{MARK} 1-GGT",
        letter_date=D(2026, 1, 5),
        issued_on=D(2026, 1, 5),
        today=TODAY,
    )
    exemption = TR.exemption_add(
        actor=None,
        person=members[0],
        decision_number=f"{MARK} 2-QĐ",
        decision_date=D(2026, 1, 2),
        decision_body=f"Đảng ủy {MARK}",
        reason="Tuổi cao",
        start=D(2026, 1, 2),
        today=TODAY,
    )
    objects = {
        "unit": cell,
        "person": members[0],
        "applicant": applicant,
        "case": case,
        "dossier_item": DossierItem.objects.create(case=case, kind=DocumentKind.values[0]),
        "source_list": source_list,
        "entry": SourceEntry.objects.get(pk=entry.pk),
        "klass": klass,
        "session": sessions[0],
        "enrolment": enrolment,
        "certificate": certificate,
        "course_type": types["awareness"],
        "token": token,
        "swap": swap,
        "batch": batch,
        "merge": merge,
        "job": job,
        "position": position,
        "restructuring": restructuring,
        "transfer": transfer,
        "exemption": exemption,
        "vetting_request": VettingRequest.objects.create(
            case=case,
            addressee=f"Đảng ủy {MARK}",
            place=MARK,
            sent_on=D(2024, 2, 1),
            due_on=D(2024, 3, 1),
        ),
    }
    f = Foreign(objects)
    for obj in objects.values():
        if hasattr(obj, "uid"):
            f.uids.add(str(obj.uid))
    # shared by everyone, not of a subtree: course types, the working-day calendar
    f.uids -= {str(types["awareness"].uid), str(swap.uid)}
    return f


# --- filling URL parameters ------------------------------------------------------------------

# pattern → parameter → what it names: a key of Foreign.objects (its uid or pk) or a literal.
# Parameters not listed here are filled by name in ``GENERIC``.


def _uid(key: str) -> Any:
    return lambda f: str(f.get(key).uid)


def _pk(key: str) -> Any:
    return lambda f: str(f.get(key).pk)


def _lit(value: str) -> Any:
    return lambda f: value


FILL: dict[str, dict[str, Any]] = {
    # organizations
    "orgs/<uuid:uid>/": {"uid": _uid("unit")},
    "orgs/<uuid:uid>/children/": {"uid": _uid("unit")},
    "orgs/<uuid:uid>/children/new/": {"uid": _uid("unit")},
    "orgs/<uuid:uid>/edit/": {"uid": _uid("unit")},
    "orgs/<uuid:uid>/rename/": {"uid": _uid("unit")},
    "orgs/<uuid:uid>/move/": {"uid": _uid("unit")},
    "orgs/<uuid:uid>/close/": {"uid": _uid("unit")},
    "orgs/<uuid:uid>/merge/": {"uid": _uid("unit")},
    "orgs/<uuid:uid>/split/": {"uid": _uid("unit")},
    # people
    "people/<uuid:uid>/": {"uid": _uid("person")},
    "people/<uuid:uid>/edit/": {"uid": _uid("person")},
    "people/<uuid:uid>/events/new/": {"uid": _uid("person")},
    "people/<uuid:uid>/citizen-id/": {"uid": _uid("person")},
    "people/<uuid:uid>/transfer/": {"uid": _uid("person")},
    "people/<uuid:uid>/relatives/": {"uid": _uid("person")},
    "people/<uuid:uid>/residence/": {"uid": _uid("person")},
    "people/<uuid:uid>/arrival/": {"uid": _uid("applicant")},
    "people/<uuid:uid>/exemptions/new/": {"uid": _uid("person")},
    "people/<uuid:uid>/exemptions/<uuid:ex>/end/": {
        "uid": _uid("person"),
        "ex": _uid("exemption"),
    },
    "people/transfers/<uuid:uid>/": {"uid": _uid("transfer")},
    "people/transfers/<uuid:uid>/confirm/": {"uid": _uid("transfer")},
    "people/transfers/<uuid:uid>/cancel/": {"uid": _uid("transfer")},
    "people/transfers/<uuid:uid>/end/": {"uid": _uid("transfer")},
    "people/transfers/<uuid:uid>/letter/": {"uid": _uid("transfer")},
    # access
    "access/positions/<uuid:uid>/end/": {"uid": _uid("position")},
    "access/users/<int:pk>/": {"pk": lambda f: str(f.get("position").user_id)},
    "access/users/<int:pk>/active/": {"pk": lambda f: str(f.get("position").user_id)},
    "access/users/<int:pk>/reset/": {"pk": lambda f: str(f.get("position").user_id)},
    "account/reset/<uidb64>/<token>/": {"uidb64": _lit("MQ"), "token": _lit("x-y")},
    # policy and documents (shared codes: not foreign, still gated)
    "policy/calendar/<uuid:uid>/delete/": {"uid": _uid("swap")},
    "policy/<str:code>/": {"code": lambda f: _policy_code()},
    "documents/templates/<str:code>/": {"code": lambda f: _document_code()},
    "documents/templates/<str:code>/sample.<str:fmt>": {"code": lambda f: _document_code()},
    # training
    "training/<uuid:uid>/": {"uid": _uid("klass")},
    "training/<uuid:uid>/status/": {"uid": _uid("klass")},
    "training/<uuid:uid>/edit/": {"uid": _uid("klass")},
    "training/<uuid:uid>/sessions/": {"uid": _uid("klass")},
    "training/<uuid:uid>/sessions/<int:pk>/edit/": {"uid": _uid("klass"), "pk": _pk("session")},
    "training/<uuid:uid>/sessions/<int:pk>/remove/": {
        "uid": _uid("klass"),
        "pk": _pk("session"),
    },
    "training/course-types/<uuid:uid>/": {"uid": _uid("course_type")},
    "training/<uuid:uid>/nominate/": {"uid": _uid("klass")},
    "training/<uuid:uid>/accept/": {"uid": _uid("klass")},
    "training/<uuid:uid>/attendance/": {"uid": _uid("klass")},
    "training/<uuid:uid>/results/": {"uid": _uid("klass")},
    "training/<uuid:uid>/certificates/issue/": {"uid": _uid("klass")},
    "training/<uuid:uid>/certificates.<str:fmt>": {"uid": _uid("klass")},
    "training/<uuid:uid>/export.xlsx": {"uid": _uid("klass")},
    "training/enrolments/<uuid:uid>/withdraw/": {"uid": _uid("enrolment")},
    "training/certificates/<uuid:uid>.<str:fmt>": {"uid": _uid("certificate")},
    # admissions
    "admissions/cases/<uuid:uid>/": {"uid": _uid("case")},
    "admissions/cases/<uuid:uid>/step/<slug:step>/": {"uid": _uid("case")},
    "admissions/cases/<uuid:uid>/dossier/": {"uid": _uid("case")},
    "admissions/cases/<uuid:uid>/area/confirm/": {"uid": _uid("case")},
    "admissions/cases/<uuid:uid>/dossier/<uuid:item_uid>/scan": {
        "uid": _uid("case"),
        "item_uid": _uid("dossier_item"),
    },
    "admissions/cases/<uuid:uid>/documents/<str:code>.<str:fmt>": {
        "uid": _uid("case"),
        "code": _lit("admissions.cell_resolution"),
    },
    "admissions/people/<uuid:person_uid>/open/": {"person_uid": _uid("applicant")},
    "admissions/cases/<uuid:uid>/vetting/": {"uid": _uid("case")},
    "admissions/cases/<uuid:uid>/vetting/<uuid:req>/reply/": {
        "uid": _uid("case"),
        "req": _uid("vetting_request"),
    },
    "admissions/sources/<uuid:uid>/": {"uid": _uid("source_list")},
    "admissions/sources/<uuid:uid>/search/": {"uid": _uid("source_list")},
    "admissions/sources/<uuid:uid>/people/": {"uid": _uid("source_list")},
    "admissions/sources/entries/<uuid:uid>/helpers/": {"uid": _uid("entry")},
    "admissions/sources/entries/<uuid:uid>/note/": {"uid": _uid("entry")},
    "admissions/sources/entries/<uuid:uid>/remove/": {"uid": _uid("entry")},
    # exchange
    "exchange/templates/<str:kind>.xlsx": {"kind": _lit("people")},
    "exchange/batches/<uuid:uid>/": {"uid": _uid("batch")},
    "exchange/batches/<uuid:uid>/mapping": {"uid": _uid("batch")},
    "exchange/batches/<uuid:uid>/commit": {"uid": _uid("batch")},
    "exchange/batches/<uuid:uid>/undo": {"uid": _uid("batch")},
    "exchange/merges/<uuid:uid>/undo": {"uid": _uid("merge")},
    "exchange/tokens/<uuid:uid>/revoke": {"uid": _uid("token")},
    "exchange/jobs/<uuid:uid>/": {"uid": _uid("job")},
    "exchange/jobs/<uuid:uid>/status": {"uid": _uid("job")},
    "exchange/jobs/<uuid:uid>/download": {"uid": _uid("job")},
    # restructuring
    "restructuring/<int:pk>/undo/": {"pk": _pk("restructuring")},
    "restructuring/<slug:kind>/": {"kind": _lit("rename")},
    # API
    "api/v1/organizations/<str:uid>/": {"uid": _uid("unit")},
    "api/v1/people/<str:uid>/": {"uid": _uid("person")},
    "api/v1/people/<str:uid>/events/": {"uid": _uid("person")},
    "api/v1/classes/<str:uid>/": {"uid": _uid("klass")},
    "api/v1/classes/<str:uid>/enrolments/": {"uid": _uid("klass")},
    "api/v1/classes/<str:uid>/transition/": {"uid": _uid("klass")},
    "api/v1/admission-cases/<str:uid>/": {"uid": _uid("case")},
    "api/v1/admission-cases/<str:uid>/steps/": {"uid": _uid("case")},
    "api/v1/^(?P<rest>.*)$": {"rest": _lit("no-such-route/")},
    # development only (DEBUG): uploaded files
    "^media/(?P<path>.*)$": {"path": _lit("exchange/jobs/x.xlsx")},
}
# every step of an admission case through the API names the case
STEP_API = re.compile(r"^api/v1/admission-cases/<str:uid>/steps/\w+/$")

# Django's admin (staff only, behind the gate too): parameters by name
ADMIN = {
    "app_label": lambda f: "training",
    "model_name": lambda f: "person",
    "object_id": lambda f: str(f.get("person").pk),
    "content_type_id": lambda f: str(_person_content_type()),
    "url": lambda f: "nowhere/",
    "id": lambda f: str(f.get("position").user_id),
    "uidb64": lambda f: "MQ",
    "token": lambda f: "x-y",
}
# parameters whose meaning does not depend on the route
GENERIC = {
    "fmt": lambda f: "docx",
    "step": lambda f: "application",
}


def _policy_code() -> str:
    from ptdv.policy import loader

    return loader.all_policies()[0].code


def _document_code() -> str:
    from ptdv.documents.selectors import template_rows

    return template_rows()[0].code


def _person_content_type() -> int:
    from django.contrib.contenttypes.models import ContentType

    from ptdv.people.models import Person

    return ContentType.objects.get_for_model(Person).pk


def fillers(route: Route) -> dict[str, Any] | None:
    """How to fill each parameter of ``route``; None when the route is not covered."""
    if not route.params:
        return {}
    table = dict(FILL.get(route.pattern, {}))
    if STEP_API.match(route.pattern):
        table = {"uid": _uid("case")}
    if route.is_admin:
        table = {**ADMIN, **table}
    for name in route.params:
        if name not in table and name in GENERIC and route.pattern in FILL:
            table[name] = GENERIC[name]
    if any(name not in table for name in route.params):
        return None
    return table


def build_url(route: Route, values: dict[str, str]) -> str:
    url = route.regex
    for name, value in values.items():
        url = _replace_group(url, name, value)
    url = url.replace("\\", "")
    return "/" + url


def _replace_group(regex: str, name: str, value: str) -> str:
    start = regex.index(f"(?P<{name}>")
    depth, i = 0, start
    while True:
        if regex[i] == "(" and regex[i - 1 : i] != "\\":
            depth += 1
        elif regex[i] == ")" and regex[i - 1 : i] != "\\":
            depth -= 1
            if depth == 0:
                break
        i += 1
    return regex[:start] + value + regex[i + 1 :]


# --- write detection ---------------------------------------------------------------------


def _tables() -> list[str]:
    skip = {"django_session", "access_loginattempt"}  # a failed log-in is logged, not a write
    names = []
    for model in apps.get_models():
        table = model._meta.db_table
        if table not in skip and not model._meta.proxy and model._meta.managed:
            names.append(table)
    return sorted(set(names))


AUDIT = "audit_auditentry"
# audit rows that record a read (an export, a download, a revealed citizen id): not writes
READ_ACTIONS = ("%export%", "%download%", "%revealed%")


def snapshot(tables: list[str]) -> tuple[int, ...]:
    # each count carries its table's position: a UNION ALL has no order of its own
    # (PostgreSQL may run its branches in parallel)
    counts = [
        f'SELECT {i} AS i, COUNT(*) FROM "{t}"'
        if t != AUDIT
        else f'SELECT {i} AS i, COUNT(*) FROM "{t}" WHERE '
        + " AND ".join(f"action NOT LIKE '{a}'" for a in READ_ACTIONS)
        for i, t in enumerate(tables)
    ]
    with connection.cursor() as cur:
        cur.execute(" UNION ALL ".join(counts) + " ORDER BY 1")
        return tuple(row[1] for row in cur.fetchall())


# --- the test --------------------------------------------------------------------------------

# Writes a signed-in user may make for their own account (never for the read-only leader).
OWN_WRITES = {"exchange/tokens/": "an API token of one's own"}

METHODS = ("get", "get ?org", "post")

PUBLIC_NAMES = {
    "login",
    "login_totp",
    "healthz",
    "set_language",
    "api-schema",
    "account_reset",
    "account_reset_done",
    "account_reset_confirm",
    "account_reset_complete",
}


def is_public(route: Route) -> bool:
    rule = rule_of(route.callback)
    return rule is not None and rule.kind is Kind.PUBLIC


def test_every_route_is_filled() -> None:
    missing = [r.pattern for r in all_routes() if fillers(r) is None]
    assert not missing, (
        "Routes missing from the route matrix (tests/test_route_matrix.py FILL): say which "
        f"object each URL parameter names: {missing}"
    )


def test_only_the_declared_routes_are_public() -> None:
    public = {r.name or r.pattern for r in all_routes() if is_public(r)}
    assert public <= PUBLIC_NAMES | {"api/v1/^(?P<rest>.*)$"}, public


def _client() -> Client:
    return Client(raise_request_exception=False)  # a crash is a 500 in the problems list


def test_every_api_view_passes_the_gate() -> None:
    from ptdv.access.gate import GatePermission

    ungated = [
        r.pattern
        for r in all_routes()
        if r.is_api
        and hasattr(getattr(r.callback, "cls", None), "permission_classes")
        and not is_public(r)
        and GatePermission not in r.callback.cls.permission_classes
    ]
    assert not ungated, f"API views without access.gate.GatePermission: {ungated}"


def _clients(personas: Any) -> dict[str, tuple[Client, dict[str, str]]]:
    from ptdv.exchange.tokens import token_create

    out: dict[str, tuple[Client, dict[str, str]]] = {"anonymous": (_client(), {})}
    for name in ("viewer", "cell_secretary", "centre_staff"):
        user = getattr(personas, name)
        c = _client()
        c.force_login(user)
        _t, key = token_create(actor=user, name=f"matrix {name}")  # the service, not the page
        out[name] = (c, {"HTTP_AUTHORIZATION": f"Token {key}"})
    return out


def test_route_matrix(tree: Any, personas: Any, capsys: Any, caplog: Any) -> None:
    caplog.set_level(logging.ERROR, logger="django.request")  # the refusals are expected
    foreign = build_foreign(tree, personas)
    clients = _clients(personas)
    tables = _tables()
    routes = all_routes()
    marks = [MARK.encode(), *(u.encode() for u in foreign.uids)]
    post_body = _post_body(tree, foreign)
    marks_but_org = [m for m in marks if m != str(foreign.get("unit").uid).encode()]
    problems: list[str] = []
    tried = with_foreign_id = 0
    for route in routes:
        table = fillers(route)
        assert table is not None, route.pattern  # test_every_route_is_filled says which
        values = {name: make(foreign) for name, make in table.items() if name in route.params}
        url = build_url(route, values)
        match = resolve(url.split("?")[0])
        assert match.func is route.callback or match.route == route.pattern, (url, route.pattern)
        names_foreign = any(
            v in foreign.uids or v in {str(o.pk) for o in foreign.objects.values()}
            for k, v in values.items()
            if k not in {"fmt", "step", "code", "kind", "rest", "path"}
        )
        public = is_public(route)
        for persona, (client, api_headers) in clients.items():
            headers = api_headers if route.is_api else {}
            for method in METHODS:
                tried += 1
                with_foreign_id += names_foreign or method == "get ?org"
                before = snapshot(tables)
                if method == "get":
                    r = client.get(url, **headers)
                elif method == "get ?org":  # a foreign organization as the query's filter
                    org = foreign.get("unit").code if route.is_api else foreign.get("unit").uid
                    r = client.get(url, {"org": str(org)}, **headers)
                elif route.is_api:
                    r = client.post(url, post_body, content_type="application/json", **headers)
                else:
                    r = client.post(url, post_body, **headers)
                after = snapshot(tables)
                where = f"{method.upper()} {url} as {persona} → {r.status_code}"
                method_label, method = method, method.split()[0]
                if method_label == "get":
                    plain_status = r.status_code
                elif method_label == "get ?org" and r.status_code not in {plain_status, 404}:
                    # the filter named an organization out of scope: that is a 404, always
                    problems.append(
                        f"{where}: a foreign ?org must be 404 (plain GET {plain_status})"
                    )
                body = b"".join(r) if r.streaming else r.content
                if route.pattern == "logout/" and method == "post" and persona != "anonymous":
                    client.force_login(getattr(personas, persona))  # signed out: sign in again
                own = route.pattern in OWN_WRITES and persona != "viewer"
                if after != before and not own:
                    problems.append(f"{where}: wrote {_diff(tables, before, after)}")
                if persona == "anonymous" and not public:
                    expected = 401 if route.is_api else 302
                    if r.status_code != expected:
                        problems.append(f"{where}: anonymous must get {expected}")
                    elif not route.is_api and "/login/" not in r["Location"]:
                        problems.append(f"{where}: anonymous must be sent to the login page")
                # one's own account (password, second factor): a leader may post there too; a
                # write it makes is still caught above
                own_account = (rule_of(route.callback) or DEFAULT_RULE).kind is Kind.ACCOUNT
                refused = r.status_code in {403, 405} or route.pattern == "logout/" or own_account
                if persona == "viewer" and method == "post" and not public and not refused:
                    problems.append(f"{where}: a read-only leader's write must be refused")
                if names_foreign and r.status_code == 200:
                    problems.append(f"{where}: a foreign object answered 200")
                # the ?org value echoed back (links keep the query) is not data; the foreign
                # unit's name (it carries MARK) would be
                seen = marks_but_org if method_label == "get ?org" else marks
                if r.status_code == 200 and any(m in body for m in seen):
                    problems.append(f"{where}: foreign data in the answer")
                if r.status_code >= 500:
                    problems.append(f"{where}: server error")
    figure = (
        f"{len(routes)} routes × {len(clients)} personas × {len(METHODS)} requests "
        f"(GET, GET ?org=<foreign>, POST) = {tried} requests, {with_foreign_id} of them "
        f"naming an id of district B ({len(foreign.objects)} foreign objects)"
    )
    with capsys.disabled():
        print(f"\nroute matrix: {figure}")
    assert not problems, f"{figure}; {len(problems)} problems:\n" + "\n".join(problems[:60])
    assert tried == len(routes) * len(clients) * len(METHODS), figure


def _diff(tables: list[str], before: tuple[int, ...], after: tuple[int, ...]) -> str:
    return ", ".join(
        f"{t} {a}→{b}" for t, a, b in zip(tables, before, after, strict=True) if a != b
    )


def _post_body(tree: Any, foreign: Foreign) -> dict[str, Any]:
    """A body that names foreign things wherever a form or serializer could take them."""
    unit, person = foreign.get("unit"), foreign.get("person")
    return {
        "org": str(unit.uid),
        "org_unit": str(unit.pk),
        "org_code": unit.code,
        "parent": str(unit.pk),
        "unit": str(unit.pk),
        "cell": str(unit.pk),
        "person": str(person.uid),
        "person_id": str(person.pk),
        "kept": str(person.pk),
        "duplicate": str(foreign.get("applicant").pk),
        "a": str(person.pk),
        "b": str(foreign.get("applicant").pk),
        "full_name": "Người Thử Ma Trận",
        "name": "Người Thử Ma Trận",
        "code": "ZZ-9",
        "kind": "admitted",
        "date": "2024-01-01",
        "on": "2024-04-01",
        "date_of_birth": "1990-01-01",
        "gender": "male",
        "year": "2024",
        "value": "1",
        "term_end": "2026-01-01",
        "term_start": "2024-01-01",
        "username": "matrix-new",
        "password": "mat-khau-rat-dai-123",
        "role": "org_board",
        "text": "note",
        "reason": "x",
        "number": "1",
        "to": "cancelled",
        "status": "received",
    }


def test_matrix_url_builder() -> None:
    routes = {r.pattern: r for r in all_routes()}
    uid = str(uuid.uuid4())
    url = build_url(routes["people/<uuid:uid>/"], {"uid": uid})
    assert url == f"/people/{uid}/"
    assert resolve(url).url_name == "detail"
