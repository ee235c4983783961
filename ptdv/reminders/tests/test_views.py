"""The inbox, its unread badge and the preferences page, end to end."""

from __future__ import annotations

import datetime as dt

import pytest

from ptdv.reminders.models import Notification, Preference

pytestmark = pytest.mark.django_db


def _note(user, tree, **kw):
    fields = {
        "kind": "overdue",
        "event_key": "case:x:ceremony:2026-03-12",
        "source": "case",
        "what": "ceremony",
        "subject": "Lò Văn Lễ",
        "url": "/admissions/",
        "org_unit": tree.cell,
        "due_on": dt.date(2026, 3, 12),
        "created_on": dt.date(2026, 3, 13),
        "days_overdue": 1,
    }
    return Notification.objects.create(user=user, **{**fields, **kw})


def test_inbox_badge_and_mark_read(client, tree, personas):
    mine = _note(personas.cell_secretary, tree)
    _note(personas.district_officer, tree, subject="Người Khác")
    client.force_login(personas.cell_secretary)
    page = client.get("/inbox/").content.decode()
    assert "Lò Văn Lễ" in page and "Người Khác" not in page
    assert "Đã quá hạn" in page and "Hạn tổ chức lễ kết nạp" in page
    assert "13/03/2026" in page and "Chi bộ thôn Nà Pậu" in page
    assert 'id="inbox-unread">1<' in client.get("/inbox/badge/").content.decode()
    client.post("/inbox/read/", {"id": [mine.pk]})
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "inbox-unread" not in client.get("/inbox/badge/").content.decode()
    # someone else's reminder is not marked by guessing its id
    other = Notification.objects.exclude(pk=mine.pk).get()
    client.post("/inbox/read/", {"id": [other.pk]})
    other.refresh_from_db()
    assert other.read_at is None


def test_preferences_on_the_account_page(client, personas):
    client.force_login(personas.viewer)  # a read-only leader chooses too
    assert "/account/reminders/" in client.get("/account/").content.decode()
    page = client.get("/account/reminders/").content.decode()
    assert "Chỉ trong hộp thư" in page
    r = client.post("/account/reminders/", {})
    assert r.status_code == 200 and not Preference.objects.exists()
    r = client.post(
        "/account/reminders/",
        {"approaching": "off", "overdue": "inbox", "escalated": "inbox_email"},
    )
    assert r.status_code == 302
    pref = Preference.objects.get(user=personas.viewer)
    assert (pref.approaching, pref.overdue, pref.escalated) == ("off", "inbox", "inbox_email")
