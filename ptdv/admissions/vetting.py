"""Vetting of the applicant's background (thẩm tra, xác minh lý lịch; rules reference
§1.5, §2.1 item 4, §4.1 step 5): the requests to the places where the applicant and the
relatives live, their letters, due dates and replies, and the check that keeps the
cell's vote waiting for the grassroots committee's conclusion.

The conclusion itself is the step ``vetting`` (``services.vetting_record``), refused
while a request still awaits its reply. Writes here follow the services' rules: one
transaction, the case row locked, the right role, validated dates, audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.access.permissions import has_perm
from ptdv.admissions import selectors
from ptdv.admissions.models import AdmissionCase, Stage, VettingConclusion, VettingRequest
from ptdv.audit.labels import register
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.people.models import Relation, Relative
from ptdv.policy.types import Finding

register(
    {
        "admissions.vetting.requested": gettext_lazy("Vetting request sent"),
        "admissions.vetting.replied": gettext_lazy("Vetting reply recorded"),
    }
)

# The relatives whose background is verified in the field unless they are party members
# (rules reference §1.5: father, mother, parents-in-law or the person who raised the
# applicant, spouse, children of full age).
VETTED_RELATIONS = (
    Relation.FATHER,
    Relation.MOTHER,
    Relation.GUARDIAN,
    Relation.FATHER_IN_LAW,
    Relation.MOTHER_IN_LAW,
    Relation.SPOUSE,
    Relation.CHILD,
)
SOURCE = "01-HD/TW 3.4"

# Stages in which requests may be sent and answered: after the background form, before
# the conclusion (the step ``vetting``).
OPEN_FOR_REQUESTS = (Stage.BACKGROUND_DECLARED,)


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _today(today: dt.date | None) -> dt.date:
    from django.utils import timezone

    return today or timezone.localdate()


def vetting_unit(case: AdmissionCase, on: dt.date) -> Any:
    """The committee that sends the requests and concludes: the grassroots organization
    of the cell on that date (a grassroots cell itself)."""
    return selectors.committees_on(case, on).grassroots or case.org_unit


def may_request(user: Any, case: AdmissionCase, on: dt.date) -> bool:
    return has_perm(user, "admissions.act", vetting_unit(case, on))


def _check(actor: Any, case: AdmissionCase, on: dt.date, today: dt.date) -> AdmissionCase:
    case = AdmissionCase.objects.select_for_update().get(pk=case.pk)
    if not may_request(actor, case, on):
        raise DomainError(_("You may not send vetting requests for this case."), code="forbidden")
    if case.stage not in OPEN_FOR_REQUESTS:
        raise DomainError(
            _(
                "Vetting requests are recorded after the background form and before the "
                "grassroots committee's conclusion; the case is at the stage “%(stage)s”."
            )
            % {"stage": case.get_stage_display()},
            code="stage.out_of_order",
        )
    if on > today:
        raise DomainError(_("The date cannot be in the future."), code="date.future")
    return case


@transaction.atomic
def vetting_request_add(
    *,
    actor: Any,
    case: AdmissionCase,
    addressee: str,
    place: str,
    sent_on: dt.date,
    due_on: dt.date,
    relative: Relative | None = None,
    number: str = "",
    today: dt.date | None = None,
) -> VettingRequest:
    """A request to verify the applicant's (``relative`` None) or a relative's background
    at ``place``, sent to ``addressee`` on ``sent_on``, reply due ``due_on``."""
    case = _check(actor, case, sent_on, _today(today))
    addressee, place = addressee.strip(), place.strip()
    if not addressee or not place:
        raise DomainError(
            _("Enter the addressee and the place to verify."), field="addressee", code="required"
        )
    if sent_on < case.stage_on:
        raise DomainError(
            _("The request cannot be sent before the background form (%(date)s).")
            % {"date": _fmt(case.stage_on)},
            field="sent_on",
            code="date.before_previous",
        )
    if due_on < sent_on:
        raise DomainError(
            _("The reply cannot be due before the request is sent."),
            field="due_on",
            code="invalid",
        )
    if relative is not None and relative.person_id != case.person_id:
        raise DomainError(
            _("This relative is not the applicant's."), field="relative", code="invalid"
        )
    req = VettingRequest.objects.create(
        case=case,
        relative=relative,
        addressee=addressee,
        place=place,
        number=number.strip(),
        sent_on=sent_on,
        due_on=due_on,
    )
    record(
        action="admissions.vetting.requested",
        actor=actor,
        target=case,
        org_unit=case.org_unit,
        data={
            "subject": req.subject,
            "addressee": addressee,
            "place": place,
            "number": req.number,
            "sent_on": sent_on,
            "due_on": due_on,
        },
    )
    return req


@transaction.atomic
def vetting_reply_record(
    *,
    actor: Any,
    request: VettingRequest,
    replied_on: dt.date,
    result: str,
    note: str = "",
    today: dt.date | None = None,
) -> VettingRequest:
    """The reply to a request: its date, result (nothing against / problems found) and
    what it says. A reply may be corrected until the conclusion is recorded."""
    _check(actor, request.case, replied_on, _today(today))
    req = VettingRequest.objects.select_for_update().get(pk=request.pk)
    if result not in (VettingRequest.Result.CLEAR, VettingRequest.Result.CONCERN):
        raise DomainError(_("Choose the result of the reply."), field="result", code="invalid")
    if replied_on < req.sent_on:
        raise DomainError(
            _("The reply cannot be dated before the request (%(date)s).")
            % {"date": _fmt(req.sent_on)},
            field="replied_on",
            code="invalid",
        )
    if result == VettingRequest.Result.CONCERN and not note.strip():
        raise DomainError(_("Say what the reply found."), field="note", code="required")
    req.replied_on, req.result, req.reply_note = replied_on, result, note.strip()
    req.save(update_fields=["replied_on", "result", "reply_note", "updated_at"])
    record(
        action="admissions.vetting.replied",
        actor=actor,
        target=req.case,
        org_unit=req.case.org_unit,
        data={"subject": req.subject, "replied_on": replied_on, "result": result, "note": note},
    )
    return req


# --- checks (called by the services) ------------------------------------------------------


def conclusion_refusal(case: AdmissionCase) -> str:
    """Why the conclusion cannot be recorded yet ('' when it can): a request still awaits
    its reply."""
    pending = [
        r.subject
        for r in VettingRequest.objects.filter(
            case=case, result=VettingRequest.Result.PENDING
        ).select_related("relative", "case__person")
    ]
    if pending:
        return _("The vetting cannot be concluded while requests await their reply: %(names)s.") % {
            "names": ", ".join(pending)
        }
    return ""


def conclusion_record(
    case: AdmissionCase, *, on: dt.date, number: str, satisfactory: bool, text: str
) -> VettingConclusion:
    conclusion, _created = VettingConclusion.objects.update_or_create(
        case=case,
        defaults={"date": on, "number": number, "satisfactory": satisfactory, "text": text},
    )
    return conclusion


def vote_findings(case: AdmissionCase) -> list[Finding]:
    """The cell's vote waits for the grassroots committee's favourable conclusion."""
    return conclusion_findings(VettingConclusion.objects.filter(case=case).first())


def conclusion_findings(conclusion: VettingConclusion | None) -> list[Finding]:
    """The one rule of ``vote_findings`` on a conclusion already read (the source lists
    read the conclusions of all their entries at once)."""
    if conclusion is None:
        return [
            Finding(
                "vetting.no_conclusion",
                _(
                    "The grassroots committee has not concluded the vetting of the "
                    "applicant's background; the cell cannot vote yet."
                ),
                SOURCE,
            )
        ]
    if not conclusion.satisfactory:
        return [
            Finding(
                "vetting.unfavourable",
                _(
                    "The vetting concluded on %(date)s that the background does not meet "
                    "the standard; the cell cannot vote."
                )
                % {"date": _fmt(conclusion.date)},
                SOURCE,
            )
        ]
    return []


# --- reads ----------------------------------------------------------------------------


def requests_of(case: AdmissionCase) -> QuerySet[VettingRequest]:
    return VettingRequest.objects.filter(case=case).select_related("relative", "case__person")


def overdue_for(*, user: Any, today: dt.date) -> QuerySet[VettingRequest]:
    """Requests still unanswered after their due date, in the cases the user sees."""
    return (
        VettingRequest.objects.filter(
            case__in=selectors.cases_visible_to(user),
            result=VettingRequest.Result.PENDING,
            due_on__lt=today,
        )
        .select_related("case__person", "case__org_unit", "relative")
        .order_by("due_on", "id")
    )


def missing_subjects(case: AdmissionCase) -> list[str]:
    """Whom the guidance asks to verify and no request names yet: the applicant, and the
    relatives of ``VETTED_RELATIONS`` who are not party members."""
    asked = set(VettingRequest.objects.filter(case=case).values_list("relative_id", flat=True))
    out = [] if None in asked else [str(case.person)]
    for rel in Relative.objects.filter(person_id=case.person_id).order_by("relation", "id"):
        if rel.relation in VETTED_RELATIONS and not rel.party_member and rel.pk not in asked:
            if rel.deceased:
                continue
            out.append(str(rel))
    return out
