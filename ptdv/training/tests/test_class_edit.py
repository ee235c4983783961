"""Editing a class and its sessions, cancelling with a reason, course types: services
against the database and pages tried by every persona."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from ptdv.audit.models import AuditEntry
from ptdv.core.errors import DomainError, PermissionDeniedError
from ptdv.training import services as S
from ptdv.training.models import ClassSession, CourseType

from .conftest import run_class

D = dt.date
pytestmark = pytest.mark.django_db

# persona → can see the class of district A's centre / can manage it
EXPECT = {
    "cell_secretary": (True, False),
    "district_officer": (True, True),
    "sibling_officer": (False, False),
    "viewer": (True, False),
    "centre_staff": (True, True),
}
# persona → may configure course types (holds training.manage somewhere)
CONFIGURE = {
    "cell_secretary": False,
    "district_officer": True,
    "sibling_officer": True,
    "viewer": False,
    "centre_staff": True,
}


def _first(klass):
    return klass.sessions.order_by("date", "id").first()


# --- services -------------------------------------------------------------------------------


def test_session_update_and_audit(world, personas):
    s = _first(world.klass)
    S.session_update(
        actor=personas.centre_staff,
        klass=world.klass,
        session=s,
        date=D(2020, 3, 3),
        topic="  Lịch sử   Đảng ",
        lecturer="Nguyễn Văn A",
    )
    s.refresh_from_db()
    assert (s.date, s.topic, s.lecturer) == (D(2020, 3, 3), "Lịch sử Đảng", "Nguyễn Văn A")
    entry = AuditEntry.objects.get(action="training.session.updated")
    assert entry.data["topic"]["new"] == "Lịch sử Đảng"


@pytest.mark.parametrize("day", [D(2020, 3, 1), D(2020, 3, 7)])
def test_session_outside_class_dates_refused(world, personas, day):
    s = _first(world.klass)
    with pytest.raises(DomainError) as e:
        S.session_update(actor=personas.centre_staff, klass=world.klass, session=s, date=day)
    assert "nằm ngoài thời gian học của lớp" in e.value.message
    with pytest.raises(DomainError):
        S.session_add(actor=personas.centre_staff, klass=world.klass, date=day)
    s2 = ClassSession.objects.get(pk=s.pk)
    assert s2.date == s.date
    assert not AuditEntry.objects.filter(action__startswith="training.session.").exists()


def test_session_with_attendance_cannot_change(world, personas):
    S.enrol_bulk(actor=None, klass=world.klass, person_ids=[world.mass.pk])
    S.class_transition(actor=None, klass=world.klass, to="running", today=D(2020, 3, 2))
    s = _first(world.klass)
    e = world.klass.enrolments.get()
    S.attendance_record(
        actor=None, klass=world.klass, marks=[(e.pk, s.pk, True)], today=D(2020, 3, 2)
    )
    with pytest.raises(DomainError) as err:
        S.session_update(
            actor=personas.centre_staff, klass=world.klass, session=s, date=D(2020, 3, 4)
        )
    assert err.value.code == "attendance_recorded"
    with pytest.raises(DomainError):
        S.session_remove(actor=personas.centre_staff, klass=world.klass, session=s)
    assert ClassSession.objects.get(pk=s.pk).date == D(2020, 3, 2)
    # a session without attendance can still go
    other = world.klass.sessions.exclude(pk=s.pk).first()
    S.session_remove(actor=personas.centre_staff, klass=world.klass, session=other)
    assert not ClassSession.objects.filter(pk=other.pk).exists()
    assert AuditEntry.objects.filter(action="training.session.removed").count() == 1


def test_session_of_another_class_refused(world, personas):
    other = S.class_create(
        actor=None,
        institution=world.centre,
        course_type=world.awareness,
        code="NT-02/2020",
        start_on=D(2020, 3, 2),
        end_on=D(2020, 3, 6),
    )
    with pytest.raises(DomainError):
        S.session_remove(actor=personas.centre_staff, klass=world.klass, session=_first(other))
    assert ClassSession.objects.filter(klass=other).count() == other.sessions.count() > 0


def test_session_change_needs_manage(world, personas):
    with pytest.raises(PermissionDeniedError):
        S.session_remove(actor=personas.viewer, klass=world.klass, session=_first(world.klass))


def test_cancel_needs_reason_which_is_kept(world, personas):
    with pytest.raises(DomainError) as e:
        S.class_transition(actor=personas.centre_staff, klass=world.klass, to="cancelled")
    assert e.value.code == "reason_required"
    world.klass.refresh_from_db()
    assert world.klass.status == "open"
    S.class_transition(
        actor=personas.centre_staff, klass=world.klass, to="cancelled", reason="Bão lũ"
    )
    world.klass.refresh_from_db()
    assert world.klass.status == "cancelled" and "Bão lũ" in world.klass.note
    entry = AuditEntry.objects.filter(action="training.class.status_changed").latest("id")
    assert entry.data["reason"] == "Bão lũ"


def test_course_type_update_audited(world, personas):
    ct = world.awareness
    S.course_type_update(
        actor=personas.centre_staff, course_type=ct, usual_sessions=6, name="Nhận thức về Đảng"
    )
    ct.refresh_from_db()
    assert ct.usual_sessions == 6
    entry = AuditEntry.objects.get(action="training.course_type.updated")
    assert entry.data["usual_sessions"] == {"old": 5, "new": 6}
    assert entry.data["code"] == "awareness"
    assert entry.actor == personas.centre_staff


@pytest.mark.parametrize(
    "changes",
    [
        {"min_attendance_ratio": Decimal("1.5")},
        {"certificate_validity_months": 0},
        {"usual_sessions": 0},
        {"name": "  "},
        {"code": "x"},
    ],
)
def test_course_type_bad_input_changes_nothing(world, personas, changes):
    before = CourseType.objects.values().get(pk=world.awareness.pk)
    with pytest.raises(DomainError):
        S.course_type_update(actor=personas.centre_staff, course_type=world.awareness, **changes)
    assert CourseType.objects.values().get(pk=world.awareness.pk) == before
    assert not AuditEntry.objects.filter(action="training.course_type.updated").exists()


def test_course_type_update_needs_manage(world, personas):
    with pytest.raises(PermissionDeniedError):
        S.course_type_update(actor=personas.viewer, course_type=world.awareness, usual_days=3)


# --- views ----------------------------------------------------------------------------------


def _status(seen, manage):
    return 200 if manage else (403 if seen else 404)


@pytest.mark.parametrize("who", list(EXPECT))
def test_edit_pages_by_persona(client, world, personas, who):
    seen, manage = EXPECT[who]
    client.force_login(personas.all()[who])
    k = world.klass
    s = _first(k)
    for url in (
        reverse("training:edit", args=[k.uid]),
        reverse("training:sessions", args=[k.uid]),
        reverse("training:session_edit", args=[k.uid, s.pk]),
    ):
        assert client.get(url).status_code == _status(seen, manage), url
    page = client.get(reverse("training:detail", args=[k.uid]))
    if seen:
        html = page.content.decode()
        assert (reverse("training:edit", args=[k.uid]) in html) is manage
        assert (reverse("training:sessions", args=[k.uid]) in html) is manage
        assert ('id="cancel-form"' in html) is manage


@pytest.mark.parametrize("who", list(EXPECT))
def test_edit_class_post_by_persona(client, world, personas, tree, who):
    seen, manage = EXPECT[who]
    client.force_login(personas.all()[who])
    k = world.klass
    r = client.post(
        reverse("training:edit", args=[k.uid]),
        {
            "name": "Lớp mới",
            "start_on": "02/03/2020",
            "end_on": "06/03/2020",
            "venue": "Hội trường",
            "capacity": "5",
            "lecturers": "",
            "served_units": [tree.district.pk],
            "note": "",
        },
    )
    k.refresh_from_db()
    assert r.status_code == (302 if manage else (403 if seen else 404))
    assert (k.name == "Lớp mới" and k.capacity == 5) is manage


def test_edit_class_bad_dates_shows_vietnamese_error(client, world, personas, tree):
    client.force_login(personas.centre_staff)
    k = world.klass
    r = client.post(
        reverse("training:edit", args=[k.uid]),
        {"name": "X", "start_on": "04/03/2020", "end_on": "06/03/2020", "capacity": "3"},
    )
    assert r.status_code == 200
    assert "Buổi học ngày 02/03/2020 sẽ nằm ngoài thời gian học của lớp." in r.content.decode()
    k.refresh_from_db()
    assert k.start_on == D(2020, 3, 2) and k.name != "X"


@pytest.mark.parametrize("who", list(EXPECT))
def test_session_posts_by_persona(client, world, personas, who):
    seen, manage = EXPECT[who]
    client.force_login(personas.all()[who])
    k = world.klass
    n = k.sessions.count()
    s = _first(k)
    r = client.post(
        reverse("training:sessions", args=[k.uid]),
        {"date": "05/03/2020", "topic": "Chuyên đề thêm", "lecturer": "Trần B"},
    )
    assert r.status_code == (302 if manage else (403 if seen else 404))
    r = client.post(
        reverse("training:session_edit", args=[k.uid, s.pk]),
        {"date": "03/03/2020", "topic": "Sửa", "lecturer": ""},
    )
    assert r.status_code == (302 if manage else (403 if seen else 404))
    s.refresh_from_db()
    assert (s.topic == "Sửa") is manage
    r = client.post(reverse("training:session_remove", args=[k.uid, s.pk]))
    assert r.status_code == (302 if manage else (403 if seen else 404))
    assert k.sessions.count() == n  # one added, one removed, or nothing at all
    assert ClassSession.objects.filter(pk=s.pk).exists() is not manage


def test_session_add_outside_dates_shows_error(client, world, personas):
    client.force_login(personas.centre_staff)
    k = world.klass
    n = k.sessions.count()
    r = client.post(reverse("training:sessions", args=[k.uid]), {"date": "10/03/2020"})
    assert r.status_code == 200
    assert "10/03/2020" in r.content.decode()
    assert k.sessions.count() == n


def test_session_remove_after_attendance_shows_error(client, world, personas):
    k = run_class(world.klass, [world.mass])
    client.force_login(personas.centre_staff)
    s = _first(k)
    r = client.post(reverse("training:session_remove", args=[k.uid, s.pk]), follow=True)
    assert ClassSession.objects.filter(pk=s.pk).exists()
    assert r.status_code == 200


def test_cancel_without_reason_refused_in_view(client, world, personas):
    client.force_login(personas.centre_staff)
    r = client.post(
        reverse("training:status", args=[world.klass.uid]), {"to": "cancelled"}, follow=True
    )
    world.klass.refresh_from_db()
    assert world.klass.status == "open"
    assert "lý do" in r.content.decode().lower()


@pytest.mark.parametrize("who", list(CONFIGURE))
def test_course_type_pages_by_persona(client, world, personas, who):
    ok = CONFIGURE[who]
    client.force_login(personas.all()[who])
    assert client.get(reverse("training:course_types")).status_code == (200 if ok else 403)
    url = reverse("training:course_type_edit", args=[world.awareness.uid])
    assert client.get(url).status_code == (200 if ok else 403)
    data = {
        "name": "Bồi dưỡng nhận thức về Đảng",
        "audience": "masses",
        "certificate_validity_months": "48",
        "usual_sessions": "5",
        "usual_days": "5",
        "min_attendance_ratio": "0.80",
        "order": "1",
    }
    r = client.post(url, data)
    assert r.status_code == (302 if ok else 403)
    world.awareness.refresh_from_db()
    assert (world.awareness.certificate_validity_months == 48) is ok
    assert AuditEntry.objects.filter(action="training.course_type.updated").exists() is ok
    listing = client.get(reverse("training:list")).content.decode()
    assert (reverse("training:course_types") in listing) is ok


def test_course_type_admin_is_read_only(rf, world):
    from django.contrib.admin.sites import site

    admin = site._registry[CourseType]
    request = rf.get("/")
    assert not admin.has_change_permission(request, world.awareness)
    assert not admin.has_add_permission(request)
    assert not admin.has_delete_permission(request, world.awareness)


def test_sessions_and_course_type_pages_query_count_is_flat(
    client, world, personas, django_assert_max_num_queries
):
    client.force_login(personas.centre_staff)
    k = world.klass
    for i in range(8):
        S.session_add(actor=None, klass=k, date=D(2020, 3, 2 + i % 5), topic=f"Thêm {i}")
    with django_assert_max_num_queries(14):
        assert client.get(reverse("training:sessions", args=[k.uid])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("training:course_types")).status_code == 200


def test_edit_keeps_served_units_the_user_cannot_see(client, world, personas, tree):
    k = world.klass
    k.served_units.add(tree.sibling_grassroots)
    client.force_login(personas.centre_staff)
    r = client.post(
        reverse("training:edit", args=[k.uid]),
        {
            "name": "Lớp A",
            "start_on": "02/03/2020",
            "end_on": "06/03/2020",
            "capacity": "3",
            "served_units": [tree.grassroots.pk],
        },
    )
    assert r.status_code == 302
    assert set(k.served_units.all()) == {tree.grassroots, tree.sibling_grassroots}
    entry = AuditEntry.objects.get(action="training.class.updated")
    assert entry.data["name"]["new"] == "Lớp A"
