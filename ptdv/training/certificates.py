"""Printing certificates through the documents app (template ``training.certificate``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from ptdv.documents.render import document_response, render_document, render_many
from ptdv.people.choices import ETHNIC_GROUPS
from ptdv.training import rules
from ptdv.training.models import Certificate

CODE = "training.certificate"
ETHNICITY = dict(ETHNIC_GROUPS)
COURSE_NAMES = {
    "awareness": "bồi dưỡng nhận thức về Đảng",
    "new_member": "lý luận chính trị dành cho đảng viên mới",
    "cadre_skills": "bồi dưỡng nghiệp vụ công tác đảng cho cấp ủy viên cơ sở và bí thư chi bộ",
}


PREFIXES = [
    ("Đảng bộ huyện ", "Huyện ủy "),
    ("Đảng bộ tỉnh ", "Tỉnh ủy "),
    ("Đảng bộ thị xã ", "Thị ủy "),
    ("Đảng bộ thành phố ", "Thành ủy "),
    ("Đảng bộ xã ", "Đảng ủy xã "),
    ("Đảng bộ phường ", "Đảng ủy phường "),
]


def committee_and_place(org_name: str) -> tuple[str, str]:
    """ "Đảng bộ huyện Chợ Đồn" → ("Huyện ủy Chợ Đồn", "Chợ Đồn")."""
    for prefix, committee in PREFIXES:
        if org_name.startswith(prefix):
            place = org_name[len(prefix) :]
            return committee + place, place
    return org_name, ""


def certificate_context(cert: Certificate) -> dict[str, Any]:
    """The documents app's context for one certificate (keys: documents/README.md)."""
    klass = cert.klass
    inst = cert.institution
    person = cert.person
    result = getattr(cert.enrolment, "result", None)
    grade = ""
    if result is not None:
        grade = result.grade or rules.grade_of_score(result.score)
    committee, place = committee_and_place(inst.org_unit.name)
    ctx: dict[str, Any] = {
        "issuer_parent": committee,
        "issuer": inst.name,
        "number": cert.number,
        "place": place,
        "date": cert.issued_on,
        "institution": inst.name,
        "course_kind": cert.course_type.code,
        "course_name": COURSE_NAMES.get(cert.course_type.code, cert.course_type.name),
        "class_code": klass.code,
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth,
        "ethnicity": ETHNICITY.get(person.ethnicity, ""),
        "unit": person.org_unit.name,
        "start_date": klass.start_on,
        "end_date": klass.end_on,
        "venue": klass.venue or inst.name,
        "result": grade or "Đạt",
        "valid_until": cert.valid_until,
        "register_number": f"{cert.seq}/{cert.year}",
        "signer_title": "Giám đốc",
        "signer_name": cert.signer,
    }
    if person.hometown:  # otherwise the form's dotted blank, to fill in by hand
        ctx["hometown"] = person.hometown
    return ctx


def _prefetched(certs: list[Certificate]) -> list[Certificate]:
    ids = [c.pk for c in certs]
    found = Certificate.objects.filter(pk__in=ids).select_related(
        "klass", "institution__org_unit", "person__org_unit", "course_type", "enrolment__result"
    )
    by_id = {c.pk: c for c in found}
    return [by_id[i] for i in ids]


def render_certificates(certs: list[Certificate], fmt: str = "pdf") -> bytes:
    contexts = [certificate_context(c) for c in _prefetched(certs)]
    if len(contexts) == 1:
        return render_document(CODE, contexts[0], fmt)
    return render_many(CODE, contexts, fmt)


def certificates_response(
    certs: list[Certificate], fmt: str, *, filename: str | None = None
) -> HttpResponse:
    contexts = [certificate_context(c) for c in _prefetched(certs)]
    payload: Any = contexts[0] if len(contexts) == 1 else contexts
    return document_response(CODE, payload, fmt, inline=fmt == "pdf", filename=filename)
