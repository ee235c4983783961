"""Import of classes with their enrolments and results (kind ``enrolments``, also called
``classes``: issue 6).

Each row enrols a recorded person in a class of a political centre and may record the
person's final result. Everything goes through ``ptdv.training.services``:

- the class is found by its code (and the code of its institution when given). When the
  institution has no class with that code and the row gives the course type, the start
  date and the end date, the class is created (``class_create``) once; the later rows of
  the same class must give the same course type, dates and name (or leave them empty);
- the person is enrolled by ``enrol_bulk`` (eligibility, capacity and class status are the
  training app's). A class created by the import grows its capacity when the file holds
  more people than it (``class_update``, audited);
- a result (Kết quả, Điểm, Xếp loại) is recorded by ``result_record`` while the class is
  running or finished. A class created by the import is moved open → running
  (``class_transition``) when a row records a result and its start date has come; at the
  end of the file every class the import created is brought to the status of its dates
  (running once started, finished once its end date has come). A class that was already
  recorded is never moved by an import. Completion and certificates stay the training
  app's: the sessions attended are not imported (``Result.attended`` counts the attendance
  marks of the class page, which a file cannot state truthfully), so nobody completes a
  class by an import alone and no certificate is issued.

Undo (``undo_classes.py``): results are put back as they were (``result_restore``), the
enrolments and the classes the import made are removed (``class_delete``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.access.permissions import has_perm
from ptdv.core.errors import BulkError, DomainError
from ptdv.core.text import fold, normalize_spaces
from ptdv.exchange import vocab
from ptdv.exchange.context import ImportContext, RowProblemError
from ptdv.exchange.models import ImportChange
from ptdv.exchange.vocab import HEADERS, REQUIRED

if TYPE_CHECKING:
    from ptdv.training.models import CourseType, TrainingClass, TrainingInstitution

CLASS_COLUMNS = ("course_type", "start_on", "end_on", "class_name")
RESULT_COLUMNS = ("passed", "score", "grade")
CAPACITY_STEP = 80  # a class created by the import grows by this many places when full


@dataclass
class _FileClass:
    klass: TrainingClass
    row: int  # the row that created it, 0 when it was already recorded
    created: bool


def _problem(message: str, field: str) -> DomainError:
    return RowProblemError(message, field=field)


def _column(ctx: ImportContext, name: str) -> str:
    return ctx.headers.get(name) or HEADERS["enrolments"][name][0]


def _state(ctx: ImportContext) -> dict[str, Any]:
    return ctx.kind_state.setdefault("classes", {"classes": {}, "institutions": {}, "types": None})


# --- the class ---------------------------------------------------------------------------


def _course_type(ctx: ImportContext, text: str) -> CourseType:
    from ptdv.training.models import CourseType

    state = _state(ctx)
    if state["types"] is None:
        table: dict[str, CourseType] = {}
        types = list(CourseType.objects.all())
        for ct in types:
            for name in (ct.code, ct.name, *vocab.COURSE_TYPE_ALIASES.get(ct.code, ())):
                table.setdefault(fold(name).strip(" ."), ct)
        state["types"] = (table, ", ".join(ct.name for ct in types))
    table, names = state["types"]
    found = table.get(fold(text).strip(" ."))
    if found is None:
        raise _problem(
            _("“%(value)s” is not a known course type; use one of: %(names)s.")
            % {"value": text, "names": names},
            "course_type",
        )
    return found


def _institution(ctx: ImportContext, code: str) -> TrainingInstitution:
    from ptdv.training.models import TrainingInstitution

    known = _state(ctx)["institutions"]
    if code not in known:
        known[code] = (
            TrainingInstitution.objects.select_related("org_unit").filter(code=code).first()
        )
    inst = known[code]
    if inst is None:
        raise _problem(
            _("There is no training institution with code “%(code)s”.") % {"code": code},
            "institution_code",
        )
    if not has_perm(ctx.actor, "training.manage", inst.org_unit):
        raise _problem(
            _("You do not manage the classes of %(inst)s (%(code)s).")
            % {"inst": inst.name, "code": code},
            "institution_code",
        )
    return inst


@dataclass(frozen=True)
class _Spec:
    course_type: CourseType | None
    start_on: dt.date | None
    end_on: dt.date | None
    name: str

    @property
    def complete(self) -> bool:
        return bool(self.course_type and self.start_on and self.end_on)


def _spec(ctx: ImportContext, v: dict[str, Any]) -> _Spec:
    start, end = v.get("start_on"), v.get("end_on")
    if start and end and end < start:
        raise _problem(
            _("The end date (%(end)s) is before the start date (%(start)s).")
            % {"end": f"{end:%d/%m/%Y}", "start": f"{start:%d/%m/%Y}"},
            "end_on",
        )
    text = v.get("course_type") or ""
    return _Spec(
        course_type=_course_type(ctx, text) if text else None,
        start_on=start,
        end_on=end,
        name=normalize_spaces(v.get("class_name") or ""),
    )


def _disagreement(ctx: ImportContext, fc: _FileClass, spec: _Spec) -> None:
    """The class columns of a row, when given, must be those of the class."""
    k = fc.klass
    pairs: list[tuple[str, Any, Any, Callable[[Any], str]]] = [
        ("course_type", spec.course_type, k.course_type, lambda x: x.name),
        ("start_on", spec.start_on, k.start_on, lambda x: f"{x:%d/%m/%Y}"),
        ("end_on", spec.end_on, k.end_on, lambda x: f"{x:%d/%m/%Y}"),
        ("class_name", spec.name, k.name, str),
    ]
    for name, given, recorded, shown in pairs:
        if not given or given == recorded:
            continue
        values = {
            "code": k.code,
            "column": _column(ctx, name),
            "value": shown(recorded),
            "given": shown(given),
            "row": fc.row,
        }
        if fc.created:
            message = _(
                "Row %(row)s gives the class %(code)s the «%(column)s» %(value)s; this row "
                "says %(given)s. The rows of one class must agree."
            )
        else:
            message = _(
                "The class %(code)s is recorded with «%(column)s» %(value)s; the file says "
                "%(given)s. Correct the file, or change the class on its page."
            )
        raise _problem(message % values, name)


def _find_class(
    ctx: ImportContext, v: dict[str, Any], spec: _Spec
) -> tuple[_FileClass | None, Any]:
    """The class of the row, or (None, institution) when it is to be created."""
    from ptdv.training.models import TrainingClass
    from ptdv.training.selectors import classes_visible_to

    code = v["class_code"]
    classes: dict[Any, _FileClass] = _state(ctx)["classes"]
    inst_code = v.get("institution_code")
    if inst_code:
        inst = _institution(ctx, inst_code)
        fc = classes.get((inst.pk, code))
        if fc is None:
            klass = (
                TrainingClass.objects.select_related("institution__org_unit", "course_type")
                .filter(institution=inst, code=code)
                .first()
            )
            if klass is None:
                if not spec.complete:
                    raise _problem(
                        _(
                            "%(inst)s has no class with code “%(code)s”. To create it, fill "
                            "in «%(type)s», «%(start)s» and «%(end)s»."
                        )
                        % {
                            "inst": inst.name,
                            "code": code,
                            "type": _column(ctx, "course_type"),
                            "start": _column(ctx, "start_on"),
                            "end": _column(ctx, "end_on"),
                        },
                        "class_code",
                    )
                return None, inst
            fc = classes[(inst.pk, code)] = _FileClass(klass, 0, False)
    else:
        found = list(
            classes_visible_to(ctx.actor, perm="training.manage")
            .filter(code=code)
            .select_related("institution__org_unit", "course_type")[:2]
        )
        if len(found) != 1:
            if not found and spec.complete:
                message = _(
                    "No class with code “%(code)s” that you manage. To create it, fill in "
                    "«%(inst)s» too."
                )
            elif not found:
                message = _("No class with code “%(code)s” that you manage.")
            else:
                message = _("Several classes have the code “%(code)s”; add the institution code.")
            raise _problem(
                message % {"code": code, "inst": _column(ctx, "institution_code")}, "class_code"
            )
        key = (found[0].institution_id, code)
        fc = classes.setdefault(key, _FileClass(found[0], 0, False))
    _disagreement(ctx, fc, spec)
    return fc, None


def _create_class(
    ctx: ImportContext, rownum: int, v: dict[str, Any], inst: Any, spec: _Spec
) -> _FileClass:
    from ptdv.training import services as training

    assert spec.course_type and spec.start_on and spec.end_on  # noqa: S101 - spec.complete
    klass = training.class_create(
        actor=ctx.actor,
        institution=inst,
        course_type=spec.course_type,
        code=v["class_code"],
        start_on=spec.start_on,
        end_on=spec.end_on,
        name=spec.name,
    )
    klass = (
        type(klass).objects.select_related("institution__org_unit", "course_type").get(pk=klass.pk)
    )
    fc = _FileClass(klass, rownum, True)
    _state(ctx)["classes"][(inst.pk, klass.code)] = fc
    ctx.changed(
        rownum,
        ImportChange.Action.CREATED,
        klass,
        new={
            "institution": inst.code,
            "code": klass.code,
            "name": klass.name,
            "course_type": spec.course_type.code,
            "start_on": spec.start_on.isoformat(),
            "end_on": spec.end_on.isoformat(),
        },
    )
    return fc


def _advance(ctx: ImportContext, klass: TrainingClass, wanted: str) -> None:
    """Move a class the import created along planned → open → running → finished."""
    from ptdv.training import services as training
    from ptdv.training.models import ClassStatus

    steps: list[str] = [
        ClassStatus.PLANNED,
        ClassStatus.OPEN,
        ClassStatus.RUNNING,
        ClassStatus.FINISHED,
    ]
    while klass.status in steps and steps.index(klass.status) < steps.index(wanted):
        training.class_transition(
            actor=ctx.actor, klass=klass, to=steps[steps.index(klass.status) + 1]
        )


def _ready_for_results(ctx: ImportContext, fc: _FileClass) -> None:
    from ptdv.training import rules
    from ptdv.training.models import ClassStatus

    klass = fc.klass
    if klass.status in rules.RECORDING:
        return
    if not fc.created or klass.status not in {ClassStatus.PLANNED, ClassStatus.OPEN}:
        raise _problem(
            _(
                "The class %(code)s is %(status)s: results are recorded once it is running. "
                "Start the class on its page first."
            )
            % {"code": klass.code, "status": klass.get_status_display().lower()},
            "passed",
        )
    if timezone.localdate() < klass.start_on:
        raise _problem(
            _("The class %(code)s starts on %(date)s: results are recorded once it has started.")
            % {"code": klass.code, "date": f"{klass.start_on:%d/%m/%Y}"},
            "passed",
        )
    _advance(ctx, klass, ClassStatus.RUNNING)


def finish_classes(ctx: ImportContext) -> None:
    """At the end of the file: each class the import created takes the status of its
    dates (running once started, finished once its end date has come)."""
    from ptdv.training.models import ClassStatus

    today = timezone.localdate()
    for fc in _state(ctx)["classes"].values():
        if not fc.created:
            continue
        klass = fc.klass
        klass.refresh_from_db(fields=["status"])
        wanted = (
            ClassStatus.FINISHED
            if klass.end_on <= today
            else ClassStatus.RUNNING
            if klass.start_on <= today
            else None
        )
        if wanted is None:
            continue
        try:
            _advance(ctx, klass, wanted)
        except DomainError as exc:
            ctx.outcome.problem(fc.row, _column(ctx, "class_code"), exc.message)


# --- the row -----------------------------------------------------------------------------


def _find_person(ctx: ImportContext, v: dict[str, Any]) -> Any:
    from ptdv.people.selectors import people_visible_to

    people = people_visible_to(ctx.actor)
    if v.get("citizen_id"):
        people = people.filter(citizen_id=v["citizen_id"])
    else:
        people = people.filter(
            name_folded=fold(v["full_name"])[:120], date_of_birth=v["date_of_birth"]
        )
    matches = list(people[:2])
    if len(matches) != 1:
        raise _problem(
            (
                _("This person is not recorded in your scope; import the people first.")
                if not matches
                else _("Several people have this name and date of birth; add the citizen ID.")
            ),
            "citizen_id" if v.get("citizen_id") else "full_name",
        )
    return matches[0]


def _wanted_result(
    ctx: ImportContext, v: dict[str, Any]
) -> tuple[bool, Decimal | None, str] | None:
    passed, score, grade = v.get("passed"), v.get("score"), normalize_spaces(v.get("grade") or "")
    if passed is None:
        if score is not None or grade:
            raise _problem(
                _("Fill in «%(column)s» (Đạt / Không đạt) with the score or the grade.")
                % {"column": _column(ctx, "passed")},
                "passed",
            )
        return None
    return bool(passed), score, grade


def apply_enrolment(ctx: ImportContext, rownum: int, v: dict[str, Any]) -> None:
    """Enrol a recorded person in a class (created when needed) and record the result."""
    for required in REQUIRED["enrolments"]:
        if not v.get(required):
            raise _problem(
                _("“%(column)s” is empty.") % {"column": ctx.headers[required]}, required
            )
    spec = _spec(ctx, v)
    result = _wanted_result(ctx, v)
    fc, inst = _find_class(ctx, v, spec)
    person = _find_person(ctx, v)
    key = (fc.klass.pk if fc else ("new", inst.pk, v["class_code"]), person.pk)
    if key in ctx.seen:
        raise _problem(
            _("The same person is also on row %(row)s for this class.") % {"row": ctx.seen[key]},
            "full_name",
        )
    ctx.seen[key] = rownum
    if fc is None:
        try:
            fc = _create_class(ctx, rownum, v, inst, spec)
            ctx.seen[(fc.klass.pk, person.pk)] = rownum
            _enrol_and_record(ctx, rownum, fc, person, result)
        except DomainError:
            # the row's savepoint takes the class back: a later row creates it again
            _state(ctx)["classes"].pop((inst.pk, v["class_code"]), None)
            raise
        return
    fc.klass.refresh_from_db(fields=["status", "capacity"])  # a failed row rolled back
    if not _enrol_and_record(ctx, rownum, fc, person, result):
        ctx.outcome.unchanged += 1


def _enrol_and_record(
    ctx: ImportContext,
    rownum: int,
    fc: _FileClass,
    person: Any,
    result: tuple[bool, Decimal | None, str] | None,
) -> bool:
    """Enrol the person unless enrolled, record the result unless the same; True when
    something changed."""
    from ptdv.training import services as training
    from ptdv.training.models import Enrolment, EnrolmentStatus, Result

    klass = fc.klass
    changed = False
    enrolment = Enrolment.objects.filter(klass=klass, person=person).first()
    if enrolment is None:
        if fc.created and klass.enrolments.filter(status=EnrolmentStatus.ACCEPTED).count() >= (
            klass.capacity
        ):
            training.class_update(
                actor=ctx.actor, klass=klass, capacity=klass.capacity + CAPACITY_STEP
            )
        try:
            enrolment = training.enrol_bulk(actor=ctx.actor, klass=klass, person_ids=[person.pk])[0]
        except BulkError as exc:
            raise _problem(exc.rows[0].message if exc.rows else exc.message, "full_name") from None
        ctx.changed(
            rownum,
            ImportChange.Action.CREATED,
            enrolment,
            new={"class": klass.code, "person": person.full_name},
        )
        changed = True
    if result is None:
        return changed
    passed, score, grade = result
    current = Result.objects.filter(enrolment=enrolment).first()
    if (
        current is not None
        and current.passed == passed
        and current.score == score
        and current.grade == grade
    ):
        return changed
    _ready_for_results(ctx, fc)
    old = training.result_values(current) if current is not None else None
    try:
        training.result_record(
            actor=ctx.actor,
            klass=klass,
            rows=[training.ResultRow(enrolment.pk, passed, score, grade)],
        )
    except BulkError as exc:
        raise _problem(exc.rows[0].message if exc.rows else exc.message, "passed") from None
    recorded = Result.objects.get(enrolment=enrolment)
    new = {
        "class": klass.code,
        "person": person.full_name,
        "passed": passed,
        "score": None if score is None else str(score),
        "grade": grade,
    }
    if old is None:
        ctx.changed(rownum, ImportChange.Action.CREATED, recorded, new=new)
    else:
        ctx.changed(rownum, ImportChange.Action.UPDATED, recorded, new=new, old={"result": old})
    return True
