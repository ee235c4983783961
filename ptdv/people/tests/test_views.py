"""Registry views end to end, every permission-sensitive view tried by every persona."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ptdv.audit.models import AuditEntry
from ptdv.people.models import MembershipEvent, Person
from ptdv.people.tests.conftest import make_person

D = dt.date
PERSONAS = ["cell_secretary", "district_officer", "sibling_officer", "viewer", "centre_staff"]


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


# persona → expected status for the member of tree.cell
DETAIL = {
    "cell_secretary": 200,
    "district_officer": 200,
    "sibling_officer": 404,
    "viewer": 200,
    "centre_staff": 200,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_person_detail(personas: Any, registry: Any, persona: str) -> None:
    r = client_for(personas.all()[persona]).get(
        reverse("people:detail", args=[registry.member.uid])
    )
    assert r.status_code == DETAIL[persona]
    if r.status_code == 200:
        html = r.content.decode()
        assert "Nguyễn Văn Ánh" in html
        assert "006090001234" not in html  # masked
        assert "••••••••1234" in html
        assert "01/05/1990" in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_person_of_another_cell(personas: Any, registry: Any, persona: str) -> None:
    r = client_for(personas.all()[persona]).get(
        reverse("people:detail", args=[registry.masses.uid])
    )
    expected = 404 if persona in {"cell_secretary", "sibling_officer"} else 200
    assert r.status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_person_list_shows_only_scope(personas: Any, registry: Any, persona: str) -> None:
    r = client_for(personas.all()[persona]).get(reverse("people:list"))
    assert r.status_code == 200
    html = r.content.decode()
    assert ("Nguyễn Văn Bình" in html) is (persona == "sibling_officer")
    assert ("Nguyễn Văn Ánh" in html) is (persona != "sibling_officer")
    assert "006090001234" not in html


def test_person_list_search_htmx_fragment(personas: Any, registry: Any) -> None:
    r = client_for(personas.district_officer).get(
        reverse("people:list"),
        {"q": "nguyen van"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="people-results",
    )
    html = r.content.decode()
    assert "Nguyễn Văn Ánh" in html and "Hoàng Thị Đào" not in html
    assert "<html" not in html


def test_person_list_empty_result_says_what_to_do(personas: Any, registry: Any) -> None:
    html = client_for(personas.district_officer).get(reverse("people:list"), {"q": "zzzz"})
    text = html.content.decode()
    assert 'id="people-empty"' in text and "không cần gõ dấu" in text
    assert f'href="{reverse("people:list")}"' in text


def test_person_list_opens_on_current_people_and_search_finds_everyone(
    personas: Any, tree: Any
) -> None:
    from ptdv.people.services import membership_event_add
    from ptdv.people.tests.conftest import make_member

    make_person(tree.cell, "Lò Văn Sống")
    make_member(tree.cell, "Lò Văn Viên", admitted=D(2015, 3, 1))
    gone = make_member(tree.cell, "Lò Văn Mất", admitted=D(2015, 3, 1))
    membership_event_add(actor=None, person=gone, kind="died", date=D(2024, 1, 2))
    c = client_for(personas.district_officer)
    url = reverse("people:list")

    def names(params: dict[str, str]) -> set[str]:
        r = c.get(url, params)
        assert r.status_code == 200
        return {n for n in ("Lò Văn Sống", "Lò Văn Viên", "Lò Văn Mất") if n in r.content.decode()}

    assert names({}) == {"Lò Văn Sống", "Lò Văn Viên"}
    assert names({"page": "1"}) == {"Lò Văn Sống", "Lò Văn Viên"}  # the next pages too
    r = c.get(url)
    assert '<option value="current" selected>' in r.content.decode()
    assert names({"status": ""}) == {"Lò Văn Sống", "Lò Văn Viên", "Lò Văn Mất"}
    assert names({"status": "died"}) == {"Lò Văn Mất"}
    assert names({"q": "lo van mat"}) == {"Lò Văn Mất"}  # a search looks at everyone
    assert names({"q": "lo van", "status": "current"}) == {"Lò Văn Sống", "Lò Văn Viên"}


def test_person_list_query_count(
    personas: Any, tree: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(60):
        make_person(tree.cell if i % 2 else tree.other_cell, f"Nguyễn Văn Tư {i}")
    c = client_for(personas.district_officer)
    with django_assert_max_num_queries(8):
        r = c.get(reverse("people:list"), {"page": 2})
    assert r.status_code == 200
    assert r.content.decode().count('data-label="CCCD"') + r.content.decode().count("cccd") >= 10


EDIT = {
    "cell_secretary": 302,
    "district_officer": 302,
    "sibling_officer": 404,
    "viewer": 403,
    "centre_staff": 403,
}


def person_post_data(person: Person, **changes: Any) -> dict[str, Any]:
    data = {
        "full_name": person.full_name,
        "other_names": "",
        "date_of_birth": person.date_of_birth.strftime("%d/%m/%Y"),
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "religion": person.religion,
        "citizen_id": person.citizen_id or "",
        "hometown": "",
        "education_general": person.education_general,
        "education_professional": person.education_professional,
        "political_theory": person.political_theory,
        "occupation": person.occupation,
        "workplace": "",
        "phone": "",
        "org_unit": str(person.org_unit.uid),
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("persona", PERSONAS)
def test_person_edit(personas: Any, registry: Any, persona: str) -> None:
    url = reverse("people:edit", args=[registry.member.uid])
    r = client_for(personas.all()[persona]).post(
        url, person_post_data(registry.member, phone="0912345678")
    )
    assert r.status_code == EDIT[persona]
    changed = Person.objects.get(pk=registry.member.pk).phone == "0912345678"
    assert changed is (EDIT[persona] == 302)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"citizen_id": "12345"}, "citizen_id", "12 chữ số"),
        ({"citizen_id": "001190012345"}, "citizen_id", "năm sinh"),  # female digit, male person
        ({"date_of_birth": "01/01/2099"}, "date_of_birth", "tương lai"),
        ({"ethnicity": "99"}, "ethnicity", "Dân tộc"),
        ({"date_of_birth": "31/02/1990"}, "date_of_birth", "dd/mm/yyyy"),
    ],
)
def test_create_with_bad_input_shows_message_on_field(
    personas: Any, registry: Any, tree: Any, changes: dict[str, str], field: str, message: str
) -> None:
    n = Person.objects.count()
    data = person_post_data(registry.member, citizen_id="", full_name="Lý Văn Cường") | changes
    r = client_for(personas.district_officer).post(reverse("people:create"), data)
    assert r.status_code == 200
    form = r.context["form"]
    assert field in form.errors, form.errors
    assert message.lower() in " ".join(form.errors[field]).lower()
    assert Person.objects.count() == n


def test_create_duplicate_cccd(personas: Any, registry: Any) -> None:
    data = person_post_data(registry.member, full_name="Lý Văn Cường")
    r = client_for(personas.district_officer).post(reverse("people:create"), data)
    assert "đã có số CCCD" in " ".join(r.context["form"].errors["citizen_id"])


def test_create_redirects_to_the_new_person(personas: Any, registry: Any, tree: Any) -> None:
    data = person_post_data(
        registry.member,
        full_name="Lý Văn Cường",
        citizen_id="006090009999",
        org_unit=str(tree.other_cell.uid),
    )
    r = client_for(personas.district_officer).post(reverse("people:create"), data)
    p = Person.objects.get(full_name="Lý Văn Cường")
    assert r.status_code == 302 and r["Location"] == reverse("people:detail", args=[p.uid])


def test_cell_secretary_cannot_create_in_another_cell(
    personas: Any, registry: Any, tree: Any
) -> None:
    data = person_post_data(
        registry.member, full_name="Lý Văn Cường", citizen_id="", org_unit=str(tree.other_cell.uid)
    )
    r = client_for(personas.cell_secretary).post(reverse("people:create"), data)
    assert r.status_code == 200 and "org_unit" in r.context["form"].errors
    assert not Person.objects.filter(full_name="Lý Văn Cường").exists()


CREATE_GET = {
    "cell_secretary": 200,
    "district_officer": 200,
    "sibling_officer": 200,
    "viewer": 403,
    "centre_staff": 403,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_page_access(personas: Any, persona: str) -> None:
    r = client_for(personas.all()[persona]).get(reverse("people:create"))
    assert r.status_code == CREATE_GET[persona]


EVENT = {
    "cell_secretary": 302,  # a move is within the committee's reach
    "district_officer": 302,
    "sibling_officer": 404,
    "viewer": 403,
    "centre_staff": 403,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_event_add(personas: Any, registry: Any, tree: Any, persona: str) -> None:
    url = reverse("people:event_add", args=[registry.member.uid])
    r = client_for(personas.all()[persona]).post(
        url, {"kind": "card_issued", "date": "01/06/2016", "card_number": "06001234"}
    )
    assert r.status_code == EVENT[persona]
    issued = MembershipEvent.objects.filter(person=registry.member, kind="card_issued").exists()
    assert issued is (EVENT[persona] == 302)


def test_committee_cannot_record_a_decision_event(personas: Any, registry: Any) -> None:
    url = reverse("people:event_add", args=[registry.member.uid])
    r = client_for(personas.cell_secretary).post(url, {"kind": "expelled", "date": "01/06/2020"})
    assert r.status_code == 200 and "kind" in r.context["form"].errors
    assert Person.objects.get(pk=registry.member.pk).status == "official"


def test_event_add_error_from_service_on_field(personas: Any, registry: Any) -> None:
    url = reverse("people:event_add", args=[registry.member.uid])
    r = client_for(personas.district_officer).post(
        url, {"kind": "recognized", "date": "01/06/2020"}
    )
    assert r.status_code == 200
    assert "kind" in r.context["form"].errors


REVEAL = {
    "cell_secretary": 403,
    "district_officer": 200,
    "sibling_officer": 404,
    "viewer": 403,
    "centre_staff": 403,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_reveal_citizen_id(personas: Any, registry: Any, persona: str) -> None:
    url = reverse("people:reveal_citizen_id", args=[registry.member.uid])
    r = client_for(personas.all()[persona]).post(url, HTTP_HX_REQUEST="true")
    assert r.status_code == REVEAL[persona]
    logged = AuditEntry.objects.filter(action="people.person.citizen_id_revealed").count()
    assert logged == (1 if REVEAL[persona] == 200 else 0)
    if r.status_code == 200:
        assert "006090001234" in r.content.decode()
        assert 'id="cccd-value"' in r.content.decode()


def test_reveal_needs_post(personas: Any, registry: Any) -> None:
    url = reverse("people:reveal_citizen_id", args=[registry.member.uid])
    assert client_for(personas.district_officer).get(url).status_code == 405


def test_person_page_shows_events_and_history(personas: Any, registry: Any) -> None:
    c = client_for(personas.district_officer)
    c.post(
        reverse("people:edit", args=[registry.member.uid]),
        person_post_data(registry.member, phone="0912345678"),
    )
    html = c.get(reverse("people:detail", args=[registry.member.uid])).content.decode()
    assert "01/03/2015" in html and "01/03/2016" in html  # admitted, recognized
    assert "0912345678" in html
    assert "→ 0912345678" in html  # old → new in the audit history


def _many_cells(parent: Any, n: int, prefix: str = "Chi bộ thôn") -> list[Any]:
    from ptdv.organizations.services import org_unit_create

    return [
        org_unit_create(
            actor=None,
            code=f"{parent.code}-N{i}",
            name=f"{prefix} {i}",
            kind="grassroots_cell",
            parent=parent,
            valid_from=D(2000, 1, 1),
        )
        for i in range(n)
    ]


def test_person_list_unit_filter_does_not_list_the_whole_tree(personas: Any, tree: Any) -> None:
    """The organization filter lists the top of the scope and the level below it; deeper
    units are found by name (``people:unit_options``) and a chosen one stays listed."""
    cells = _many_cells(tree.grassroots, 30, prefix="Chi bộ Nậm Cắt")
    c = client_for(personas.district_officer)
    html = c.get(reverse("people:list")).content.decode()
    select = html[html.index('name="org"') : html.index("</select>", html.index('name="org"'))]
    assert tree.grassroots.name in select  # the level below the district
    assert "Nậm Cắt" not in select  # the cells below it are searched for
    chosen = cells[17]
    html = c.get(reverse("people:list"), {"org": str(chosen.uid)}).content.decode()
    assert f'<option value="{chosen.uid}" selected>' in html
    found = c.get(
        reverse("people:unit_options"), {"unit_q": "nam cat 17", "org": ""}
    ).content.decode()
    assert f'value="{chosen.uid}"' in found and "Nậm Cắt 16" not in found
    assert '<option value="">' in found  # "All" stays first
    # out of scope: the sibling district's officer finds none of them
    other = client_for(personas.sibling_officer)
    assert (
        "Nậm Cắt"
        not in other.get(reverse("people:unit_options"), {"unit_q": "nam cat"}).content.decode()
    )


def test_person_list_size_does_not_grow_with_the_tree(
    personas: Any, tree: Any, django_assert_max_num_queries: Any
) -> None:
    """Page bytes and queries of the people list are the same with 10 and 40 cells."""
    c = client_for(personas.district_officer)
    _many_cells(tree.grassroots, 10)
    small = len(c.get(reverse("people:list")).content)
    from ptdv.organizations.services import org_unit_create

    more = org_unit_create(
        actor=None,
        code="A-Y2",
        name="Đảng bộ xã Mới",
        kind="grassroots_committee",
        parent=tree.district,
        valid_from=D(2000, 1, 1),
    )
    _many_cells(more, 30)
    with django_assert_max_num_queries(9):
        big = len(c.get(reverse("people:list")).content)
    assert big - small < 400  # one more option line (the new commune), not 30 cells


def test_person_list_pages_by_keyset(personas: Any, tree: Any) -> None:
    """Following "next" walks every person once, in the list's order, without an OFFSET;
    "previous" comes back to the page before; the query count does not depend on the page."""
    import re
    from html import unescape

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ptdv.core.http import PER_PAGE

    for i in range(2 * PER_PAGE + 7):
        make_person(tree.cell, f"Lò Văn Trang {i:03d}")
    c = client_for(personas.district_officer)
    url = reverse("people:list")

    def names(html: str) -> list[str]:
        return re.findall(r"Lò Văn Trang \d{3}", html)

    def link(html: str, rel: str) -> str | None:
        m = re.search(rf'rel="{rel}" href="\?([^"]+)"', html)
        return unescape(m.group(1)) if m else None

    seen: list[str] = []
    pages: list[str] = []
    query: str | None = "q=lo+van+trang"
    counts = []
    while query is not None:
        with CaptureQueriesContext(connection) as ctx:
            html = c.get(f"{url}?{query}").content.decode()
        counts.append(len(ctx.captured_queries))
        if "after=" in query:
            assert not any("OFFSET" in q["sql"].upper() for q in ctx.captured_queries)
        pages.append(html)
        seen += names(html)
        query = link(html, "next")
    expected = sorted(f"Lò Văn Trang {i:03d}" for i in range(2 * PER_PAGE + 7))
    assert seen == expected and len(pages) == 3
    assert len(set(counts)) == 1  # page 3 costs what page 1 does
    back = c.get(f"{url}?{link(pages[-1], 'prev')}").content.decode()
    assert names(back) == names(pages[1])
    # a cursor that is not ours opens the first page
    assert names(c.get(url, {"q": "lo van trang", "after": "!!"}).content.decode()) == names(
        pages[0]
    )


def test_person_list_count_stops_at_the_cap(personas: Any, tree: Any, monkeypatch: Any) -> None:
    """Over millions the count above the list stops at the cap ("more than …") and reads
    no more rows than that; the pages still walk every person by cursor, numbered on."""
    import re
    from html import unescape

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ptdv.core import keyset
    from ptdv.core.http import PER_PAGE

    monkeypatch.setattr(keyset, "COUNT_CAP", PER_PAGE + 5)
    for i in range(2 * PER_PAGE + 7):
        make_person(tree.cell, f"Lò Văn Trang {i:03d}")
    c = client_for(personas.district_officer)
    url = reverse("people:list")
    with CaptureQueriesContext(connection) as ctx:
        html = c.get(url, {"q": "lo van trang"}).content.decode()
    counting = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counting) == 1 and "LIMIT" in counting[0].upper()
    assert f"Hơn {PER_PAGE + 5} người" in html
    assert "Trang 1</span>" in html and " của " not in html.split('class="pagination"')[1]
    seen = re.findall(r"Lò Văn Trang \d{3}", html)
    numbers = []
    while m := re.search(r'rel="next" href="\?([^"]+)"', html):
        html = c.get(f"{url}?{unescape(m.group(1))}").content.decode()
        seen += re.findall(r"Lò Văn Trang \d{3}", html)
        numbers += re.findall(r"Trang (\d+)</span>", html)
    assert seen == sorted(f"Lò Văn Trang {i:03d}" for i in range(2 * PER_PAGE + 7))
    assert numbers == ["2", "3"]
    # below the cap the count is exact
    few = c.get(url, {"q": "lo van trang 00"}).content.decode()  # 000–009 and 100
    assert "11 người" in few and "Hơn" not in few
    assert len(re.findall(r"Lò Văn Trang \d{3}", few)) == 11
