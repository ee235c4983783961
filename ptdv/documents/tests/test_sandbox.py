"""The sandbox of edited templates: attribute-walking payloads, settings, the request,
methods with side effects and imports are refused at save with a Vietnamese message, and
nothing leaks at render time even when a caller passes an object instead of plain data."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings as django_settings
from docx import Document
from jinja2.exceptions import SecurityError

from ptdv.audit.models import AuditEntry
from ptdv.core.errors import DomainError
from ptdv.documents import sandbox, services
from ptdv.documents.engine import MISSING, default_source
from ptdv.documents.models import DocumentTemplate
from ptdv.documents.render import _docxtpl_render, render_html_source

CODE = "training.certificate"
REFUSED = "bị từ chối"

HTML_PAYLOADS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ full_name.__class__.__mro__.1.__subclasses__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ date._meta }}",
    "{% if full_name.__class__ %}x{% endif %}",
    "{% debug %}",
    "{% load static %}",
    "{% load log %}{% get_admin_log 10 as log %}",
    "{% url 'admin:index' %}",
    "{% csrf_token %}",
    "{{ recipients|pprint }}",
    "{% with x=_private %}{{ x }}{% endwith %}",
]

DOCX_PAYLOADS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ full_name.__class__.__base__.__subclasses__() }}",
    "{{ full_name|attr('__class__') }}",
    "{{ recipients|map(attribute='__class__')|list }}",
    "{{ full_name['__class__'] }}",
    "{{ full_name.upper() }}",
    "{{ recipients.append('x') }}",
    "{{ self.__init__.__globals__ }}",
    "{% import 'os' as os %}",
    "{% from 'os' import system %}",
    "{% include 'settings.py' %}",
    "{% extends 'base.html' %}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ config.items() }}",
]


def _body_with(payload: str) -> str:
    body = default_source(CODE) or ""
    return body.replace("GIẤY CHỨNG NHẬN", "GIẤY CHỨNG NHẬN " + payload, 1)


def _docx_with(payload: str, *, in_header: bool = False) -> bytes:
    doc = Document()
    doc.add_paragraph("Họ và tên: {{ full_name }}")
    if in_header:
        doc.sections[0].header.paragraphs[0].text = payload
    else:
        doc.add_paragraph(payload)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- refused at save, nothing changed -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("payload", HTML_PAYLOADS)
def test_html_payload_refused_at_save(personas: Any, payload: str) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        services.template_save(
            code=CODE, body_html=_body_with(payload), actor=personas.district_officer
        )
    assert exc.value.field == "body_html"
    assert exc.value.code in {"template_refused", "template_syntax"}
    assert REFUSED in exc.value.message or "cú pháp" in exc.value.message
    assert not DocumentTemplate.objects.exists()
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("payload", DOCX_PAYLOADS)
@pytest.mark.parametrize("in_header", [False, True], ids=["body", "header"])
def test_docx_payload_refused_at_upload(
    personas: Any, settings: Any, tmp_path: Any, payload: str, in_header: bool
) -> None:
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(DomainError) as exc:
        services.template_save(
            code=CODE,
            body_html=default_source(CODE) or "",
            actor=personas.district_officer,
            docx=("mau.docx", _docx_with(payload, in_header=in_header)),
        )
    assert exc.value.field == "docx_file"
    assert exc.value.code == "template_refused", exc.value.message
    assert REFUSED in exc.value.message
    assert not DocumentTemplate.objects.exists()
    assert not list(tmp_path.rglob("*.docx"))


def test_refusal_message_is_vietnamese_and_names_the_construct() -> None:
    from django.utils import translation

    with translation.override("vi"), pytest.raises(DomainError) as exc:
        services.template_check(CODE, _body_with("{{ ''.__class__ }}"))
    assert "Mẫu bị từ chối" in exc.value.message
    assert "__class__" in exc.value.message


# --- nothing leaks at render time -----------------------------------------------------------------


@pytest.mark.django_db
def test_html_render_sees_only_plain_values(personas: Any) -> None:
    """A caller passing a model instance gives the template its text, not the object."""
    from django.contrib.auth import get_user_model

    user = personas.viewer
    body = (
        "[{{ full_name }}][{{ full_name.delete }}][{{ full_name.save }}]"
        "[{{ full_name.username }}][{{ settings.SECRET_KEY }}][{{ request.user }}]"
        "[{{ recipients.clear }}][{{ recipients.pop }}][{{ extra.clear }}][{{ extra.a }}]"
    )
    recipients = ["Như trên", "Lưu"]
    extra = {"a": "1"}
    html = render_html_source(
        body, CODE, {"full_name": user, "recipients": recipients, "extra": extra}
    )
    assert html.startswith(f"[{user}]")
    assert django_settings.SECRET_KEY not in html
    assert html.count(MISSING) == 8
    assert "[1]" in html
    assert get_user_model().objects.filter(pk=user.pk).exists()
    assert recipients == ["Như trên", "Lưu"] and extra == {"a": "1"}


def test_plain_values_are_read_only() -> None:
    import datetime as dt

    class Thing:
        def delete(self) -> None:  # pragma: no cover - must never be reachable
            raise AssertionError

    value = sandbox.plain(
        {"d": dt.date(2020, 1, 2), "xs": [1, Thing()], "m": {"k": [1]}, "t": Thing()}
    )
    assert value["d"] == dt.date(2020, 1, 2)
    assert isinstance(value["xs"], tuple) and isinstance(value["xs"][1], str)
    assert isinstance(value["t"], str)
    with pytest.raises(TypeError):
        value["m"]["k2"] = 1  # type: ignore[index]


def test_jinja_sandbox_refuses_at_parse_and_at_render() -> None:
    env = sandbox.jinja_env()
    assert env.globals == {}
    with pytest.raises(sandbox.TemplateRefused):
        env.from_string("{{ ''.__class__ }}")
    with pytest.raises(sandbox.TemplateRefused):
        env.from_string("{{ x.upper() }}")
    # a hidden name arriving as data is still refused by the sandbox itself
    with pytest.raises(SecurityError):
        env.from_string("{{ x|attr(y) }}").render(x="", y="__class__")
    # list.append would mutate: the immutable sandbox refuses it even when reached by data
    with pytest.raises(SecurityError):
        env.from_string("{{ (xs|attr(m))|string }}").render(xs=[], m="append")
    # plain printing, filters and loops work
    out = env.from_string(
        "{% for r in rs %}{{ loop.cycle('a', 'b') }}{{ r }};{% endfor %}{{ missing }}"
    ).render(rs=("x", "y"))
    assert out == f"ax;by;{MISSING}"


def test_docx_render_sees_only_plain_values(tmp_path: Any) -> None:
    path = tmp_path / "t.docx"
    path.write_bytes(_docx_with("[{{ full_name.username }}][{{ settings }}][{{ request }}]"))
    data = _docxtpl_render(str(path), {"full_name": object(), "settings": django_settings})
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert django_settings.SECRET_KEY not in text
    assert "[…………][" in text


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["save", "preview"])
def test_editor_shows_the_refusal(client: Any, personas: Any, action: str) -> None:
    from django.urls import reverse

    client.force_login(personas.district_officer)
    body = _body_with("{{ ''.__class__.__mro__ }}")
    resp = client.post(
        reverse("documents:template_edit", args=[CODE]), {"action": action, "body_html": body}
    )
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "Mẫu bị từ chối" in html and "__class__" in html
    assert not DocumentTemplate.objects.exists()


@pytest.mark.django_db
def test_editor_shows_a_refused_docx_upload(
    client: Any, personas: Any, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas.district_officer)
    upload = SimpleUploadedFile("mau.docx", _docx_with("{{ cycler.__init__.__globals__ }}"))
    resp = client.post(
        reverse("documents:template_edit", args=[CODE]),
        {"action": "save", "body_html": default_source(CODE) or "", "docx_file": upload},
    )
    assert resp.status_code == 400
    assert "Mẫu bị từ chối" in resp.content.decode()
    assert not DocumentTemplate.objects.exists() and not list(tmp_path.rglob("*.docx"))
