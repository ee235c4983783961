"""What the admission papers know beyond the case's own rows (issue 15 point 6): the
signature block from the positions held on the paper's date, "Nơi nhận", the 6-KNĐ
totals from the registry and the vote, the background form (2-KNĐ) with the relatives
and the vetting letters.

``finish(case, code, ctx)`` completes a context built by ``views.document_context``;
``background_context`` and ``vetting_letter_context`` build the two papers added here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone, translation

from ptdv.admissions.models import AdmissionCase, VettingRequest
from ptdv.organizations.models import OrgKind

_SECRETARY = re.compile(r"^((?:Phó )?Bí thư(?: Thường trực)?)\b", re.I)
# a position title typed where the signer's name belongs (a person's name never starts so)
_TITLE = re.compile(r"^(?:(?:Phó )?Bí thư|Ủy viên|Chủ nhiệm|Trưởng ban)\b", re.I)


def _on_behalf(unit: Any) -> str:
    """Who signs for the body: the cell as a whole, the grassroots committee, or the
    standing committee of a district, province or commune committee (36-HD/VPTW)."""
    if unit is None:
        return ""
    if unit.kind in (OrgKind.CELL, OrgKind.GRASSROOTS_CELL):
        return "T/M CHI BỘ"
    if unit.kind in (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.SUB_COMMITTEE):
        return "T/M ĐẢNG ỦY"
    return "T/M BAN THƯỜNG VỤ"


def signer_on(unit: Any, day: dt.date | None) -> dict[str, str]:
    """``signer_on_behalf``, ``signer_title`` and ``signer_name`` of a paper issued by
    ``unit`` on ``day``: the secretary (else a deputy) holding a position at the unit that
    day. The name is the account's name when it is a person's name, else left for the
    hand (``handwritten``)."""
    from ptdv.access.models import Position

    out = {"signer_on_behalf": _on_behalf(unit), "signer_title": "", "signer_name": ""}
    if unit is None:
        return out
    day = day or timezone.localdate()
    found: list[tuple[int, str, str]] = []
    for pos in Position.objects.filter(org_unit=unit).select_related("user"):
        if not pos.is_active_on(day):
            continue
        m = _SECRETARY.match(pos.title or "")
        if not m:
            continue
        title = m.group(1)
        name = pos.user.get_full_name().strip()
        if not name or name == pos.title:
            name = ""
        found.append((0 if title.lower() == "bí thư" else 1, title, name))
    if found:
        _rank, title, name = min(found)
        out["signer_title"] = title[0].upper() + title[1:]
        out["signer_name"] = name
    elif out["signer_on_behalf"] == "T/M CHI BỘ":
        out["signer_title"] = "Bí thư"
    return out


def _recipients(code: str, ctx: dict[str, Any]) -> list[str]:
    if code in {
        "admissions.admission_decision",
        "admissions.recognition_decision",
        "admissions.removal_decision",
    }:
        return ["Như Điều 3", "Lưu hồ sơ đảng viên"]
    if code in {"admissions.cell_resolution", "admissions.recognition_cell_resolution"}:
        return [x for x in (ctx.get("upper_committee"), "Lưu chi bộ") if x]
    if code == "admissions.vetting_letter":
        return [x for x in (ctx.get("addressee"), ctx.get("cell"), "Lưu hồ sơ") if x]
    return ["Lưu chi bộ"]


def finish(case: AdmissionCase, code: str, ctx: dict[str, Any], issuer: Any) -> dict[str, Any]:
    """Fill the signature block, "Nơi nhận" and the totals the system knows; a value
    already in ``ctx`` is kept, except a position title recorded as the signer's name: the
    name then comes from the position held that day."""
    day = ctx.get("date")
    if _TITLE.match(str(ctx.get("signer_name") or "")):
        ctx["signer_name"] = ""
    for key, value in signer_on(issuer, day).items():
        if not ctx.get(key):
            ctx[key] = value
    ctx.setdefault("recipients", _recipients(code, ctx))
    resolutions = {"admissions.cell_resolution", "admissions.recognition_cell_resolution"}
    if code in resolutions and day is not None:
        from ptdv.people.selectors import members_on

        ctx.setdefault("members_total", members_on(case.org_unit, day).count())
        # the vote records the official members only: the totals present are known when
        # the cell had no probationary member that day, else left for the hand
        if (
            ctx.get("present_official") is not None
            and ctx.get("members_official") == ctx["members_total"]
        ):
            ctx.setdefault("present", ctx["present_official"])
            ctx.setdefault("present_probationary", 0)
        if code == "admissions.cell_resolution":
            ctx.setdefault("background_note", _vetting_note(case))
    if code in resolutions | {"admissions.ceremony_minutes"}:
        ctx.setdefault("chair_title", ctx.get("signer_title") or "Bí thư chi bộ")
        if ctx.get("signer_name"):
            ctx.setdefault("chair_name", ctx["signer_name"])
    return ctx


def _vetting_note(case: AdmissionCase) -> str:
    conclusion = getattr(case, "vetting_conclusion", None) if _has_conclusion(case) else None
    if conclusion is None:
        return ""
    number = f" số {conclusion.number}" if conclusion.number else ""
    verdict = "đạt" if conclusion.satisfactory else "không đạt"
    return (
        f"Lý lịch đã được thẩm tra, xác minh; kết luận{number} ngày "
        f"{conclusion.date:%d/%m/%Y} của cấp ủy: lý lịch {verdict} tiêu chuẩn."
    )


def _has_conclusion(case: AdmissionCase) -> bool:
    from ptdv.admissions.models import VettingConclusion

    return VettingConclusion.objects.filter(case=case).exists()


# --- the background form (2-KNĐ) ------------------------------------------------------


def background_context(case: AdmissionCase, common: dict[str, Any]) -> dict[str, Any]:
    """Mẫu 2-KNĐ prefilled from the registry and the relatives; the applicant signs it
    (no issuing body's number), dated the day the form was recorded."""
    with translation.override("vi"):  # the paper is Vietnamese whatever the UI language
        return _background_context(case, common)


def _background_context(case: AdmissionCase, common: dict[str, Any]) -> dict[str, Any]:
    from ptdv.admissions.models import DocumentKind

    person = case.person
    item = case.dossier.filter(kind=DocumentKind.BACKGROUND).order_by("-issued_on").first()
    relatives = [
        {
            "relation": r.get_relation_display(),
            "full_name": r.full_name,
            "birth_year": str(r.birth_year or ""),
            "hometown": r.hometown,
            "residence": r.residence + (" (nước ngoài)" if r.abroad else ""),
            "occupation": r.occupation + (" (đã mất)" if r.deceased else ""),
            "political_history": r.political_history + ("; đảng viên" if r.party_member else ""),
        }
        for r in person.relatives.order_by("relation", "birth_year", "id")
    ]
    return {
        **common,
        "issuer_parent": "",
        "issuer": "",
        "date": item.issued_on if item else None,
        "place": _place_name(case),
        "gender": person.get_gender_display(),
        "citizen_id": person.citizen_id or "",
        "other_names": person.other_names,
        "workplace": person.workplace,
        "professional": person.get_education_professional_display(),
        "political_theory": person.get_political_theory_display(),
        "youth_union": "Có" if person.youth_union_member else "Không",
        "relatives": relatives,
        "signer_on_behalf": "",
        "signer_title": "Người khai",
        "signer_name": person.full_name,
        "recipients": [],
    }


def _place_name(case: AdmissionCase) -> str:
    from ptdv.documents.headers import header_context

    return header_context(case.org_unit).get("place", "")


# --- the vetting letters --------------------------------------------------------------


def vetting_letter_context(
    case: AdmissionCase, req: VettingRequest, common: dict[str, Any]
) -> dict[str, Any]:
    """The grassroots committee's letter asking ``req.addressee`` to verify a background."""
    with translation.override("vi"):
        return _vetting_letter_context(case, req, common)


def _vetting_letter_context(
    case: AdmissionCase, req: VettingRequest, common: dict[str, Any]
) -> dict[str, Any]:
    from ptdv.admissions.vetting import vetting_unit
    from ptdv.documents.headers import header_context

    unit = vetting_unit(case, req.sent_on)
    rel = req.relative
    ctx = {
        **common,
        **header_context(unit, doc_abbrev="CV"),
        "number": req.number,
        "date": req.sent_on,
        "addressee": req.addressee,
        "place_to_verify": req.place,
        "due_date": req.due_on,
        "subject_relation": rel.get_relation_display().lower() if rel else "",
        "subject_name": rel.full_name if rel else case.person.full_name,
        "subject_birth_year": str(rel.birth_year or "")
        if rel
        else str(case.person.date_of_birth.year),
        "subject_residence": (rel.residence if rel else common.get("residence", "")) or req.place,
    }
    return finish(case, "admissions.vetting_letter", ctx, unit)


# --- the other papers of the dossier ----------------------------------------------------


def _item_date(case: AdmissionCase, kind: str) -> dt.date | None:
    item = case.dossier.filter(kind=kind).order_by("-issued_on").first()
    return item.issued_on if item else None


def probation_context(case: AdmissionCase) -> dict[str, Any]:
    from ptdv.admissions.models import Decision

    admission = Decision.objects.filter(case=case, kind=Decision.Kind.ADMISSION).first()
    return {
        "admission_decision_number": admission.number if admission else "",
        "admission_decision_date": admission.date if admission else None,
        "ceremony_date": case.ceremony_on,
        "official_date": case.official_on,
        "helpers_text": ", ".join(h.full_name for h in case.helpers.order_by("sort_key")),
    }


def _vote(case: AdmissionCase, body: str, purpose: str) -> Any:
    from ptdv.admissions.models import Vote

    return Vote.objects.filter(case=case, body=body, purpose=purpose, passed=True).last()


def _committee_resolution(
    case: AdmissionCase, common: dict[str, Any], purpose: str
) -> tuple[dict[str, Any], Any]:
    from ptdv.admissions.selectors import committees_on
    from ptdv.documents import rules as doc_rules
    from ptdv.documents.headers import header_context

    gv = _vote(case, "grassroots", purpose)
    cv = _vote(case, "cell", purpose)
    day = gv.date if gv else None
    units = committees_on(case, day or timezone.localdate())
    unit = units.grassroots or case.org_unit
    deciding = units.deciding
    ctx = {
        **common,
        **header_context(unit, doc_abbrev="NQ"),
        "purpose": purpose,
        "number": gv.resolution_number if gv else "",
        "date": day,
        "meeting_date": day,
        "cell_resolution_number": cv.resolution_number if cv else "",
        "cell_resolution_date": cv.date if cv else None,
        "cell_votes_for": cv.in_favour if cv else None,
        "cell_members_official": cv.expected if cv else None,
        "vetting_note": _vetting_note(case),
        "committee_total": gv.expected if gv else None,
        "committee_present": gv.present if gv else None,
        "votes_for": gv.in_favour if gv else None,
        "votes_against": gv.against if gv else None,
        "deciding_body": f"Ban Thường vụ {doc_rules.committee_name(deciding.name)}"
        if deciding
        else "",
        "recipients": [
            x
            for x in (
                f"Ban Thường vụ {doc_rules.committee_name(deciding.name)}" if deciding else "",
                case.org_unit.name,
                "Lưu hồ sơ",
            )
            if x
        ],
        **(probation_context(case) if purpose == "recognition" else {}),
    }
    return ctx, unit


def extra_context(case: AdmissionCase, code: str, common: dict[str, Any]) -> Any:
    """The context of the papers added here: a dict, or a list of dicts (one paper per
    introducer or helper), with the unit that issues it; None for another code."""
    from ptdv.admissions.models import DocumentKind, Introduction
    from ptdv.admissions.models import Purpose as Pu

    with translation.override("vi"):
        place = _place_name(case)
        # the applicant / probationer signs the papers they write
        base = {**common, "place": place, "recipients": [], "signer_name": common["full_name"]}
        if code == "admissions.application":
            from ptdv.admissions.checks import awareness_certificate_issued_on

            day = _item_date(case, DocumentKind.APPLICATION)
            return {
                **base,
                "date": day,
                "certificate_date": awareness_certificate_issued_on(
                    case, day or timezone.localdate()
                ),
            }
        if code == "admissions.introduction":
            rows = case.introductions.filter(
                active=True, kind=Introduction.Kind.MEMBER, introducer__isnull=False
            ).select_related("introducer")
            out = [
                {
                    **base,
                    "date": i.issued_on,
                    "introducer_name": _introducer(i).full_name,
                    "introducer_birth": _introducer(i).date_of_birth,
                    "introducer_admitted": _introducer(i).admitted_on,
                    "introducer_official": _introducer(i).official_on,
                    "cowork_since": i.cowork_since,
                }
                for i in rows
            ]
            return out or [base]
        if code == "admissions.union_introduction":
            row = case.introductions.filter(
                active=True,
                kind__in=[Introduction.Kind.YOUTH_UNION, Introduction.Kind.TRADE_UNION],
            ).first()
            trade = row is not None and row.kind == Introduction.Kind.TRADE_UNION
            return {
                **base,
                "date": row.issued_on if row else None,
                "union_motto": "CÔNG ĐOÀN VIỆT NAM" if trade else "ĐOÀN TNCS HỒ CHÍ MINH",
                "union_member_word": "đoàn viên công đoàn" if trade else "đoàn viên",
                "signer_name": "",
                "signer_title": "Chủ tịch" if trade else "Bí thư",
            }
        if code == "admissions.comments":
            from ptdv.documents.headers import header_context

            ctx = {
                **base,
                **header_context(case.org_unit, doc_abbrev="BC"),
                "date": _item_date(case, DocumentKind.COMMENTS),
                "recipients": ["Lưu hồ sơ"],
            }
            ctx.pop("signer_name")
            ctx = finish(case, code, ctx, case.org_unit)
            ctx["signer_on_behalf"] = "T/M CHI ỦY"
            return ctx
        if code == "admissions.grassroots_resolution":
            ctx, unit = _committee_resolution(case, common, Pu.ADMISSION)
            return finish(case, code, ctx, unit)
        if code == "admissions.recognition_grassroots_resolution":
            ctx, unit = _committee_resolution(case, common, Pu.RECOGNITION)
            return finish(case, code, ctx, unit)
        if code == "admissions.self_review":
            return {
                **base,
                **probation_context(case),
                "date": _item_date(case, DocumentKind.SELF_REVIEW),
            }
        if code == "admissions.helper_comment":
            prob = probation_context(case)
            day = _item_date(case, DocumentKind.HELPER_COMMENT)
            helpers = [h.full_name for h in case.helpers.order_by("sort_key")]
            out = [{**base, **prob, "date": day, "helper_name": h} for h in helpers]
            return out or [{**base, **prob, "date": day}]
    return None


# --- what remains for the hand ----------------------------------------------------------

_HAND_KEYS = ("date", "number", "signer_title", "signer_name")


def blanks(code: str, ctx: Any) -> list[str]:
    """What a paper leaves blank (the description of each key of its spec whose value is
    empty), shown on the case page before printing: those are written by hand."""
    from ptdv.documents.registry import COMMON_KEYS, SPECS

    spec = SPECS.get(code)
    if spec is None:
        return []
    contexts = ctx if isinstance(ctx, list) else [ctx]
    out: list[str] = []
    described = {**{k: COMMON_KEYS[k] for k in _HAND_KEYS}, **spec.keys}
    for key, description in described.items():
        names = [k.strip() for k in key.split("/")]
        if any(n.startswith("(") or n.endswith("_percent") for n in names):
            continue
        for raw in contexts:
            c = dict(raw)
            if spec.prepare is not None:
                spec.prepare(c)
            if any(n in c and c[n] in (None, "", []) for n in names) or any(
                n not in c and n in spec.keys for n in names
            ):
                if description not in out:
                    out.append(description)
                break
    return out


def _introducer(intro: Any) -> Any:
    """The introducing member (the query keeps only introductions that have one)."""
    return intro.introducer
