"""Undo of a classes batch (kind ``enrolments``), change by change, latest first: a row's
result is put back as it was (``training.services.result_restore``), its enrolment is
deleted (``enrolment_delete``), the class the import created is deleted
(``class_delete``) — each audited by the training services. Refused when the record was
changed after the import."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.core.errors import DomainError
from ptdv.exchange.models import ImportBatch, ImportChange
from ptdv.training import services as training
from ptdv.training.models import Enrolment, Result, TrainingClass


def changed_since(ch: ImportChange) -> DomainError:
    return DomainError(
        _(
            "Row %(row)s: the record was changed after the import; undo that change "
            "first or correct the data by hand."
        )
        % {"row": ch.row},
        code="changed_since",
    )


@contextmanager
def _on_row(ch: ImportChange) -> Iterator[None]:
    """A service's refusal during the undo, told with the row of the file it came from."""
    try:
        yield
    except DomainError as exc:
        raise DomainError(
            _("Row %(row)s: %(message)s") % {"row": ch.row, "message": exc.message},
            code=exc.code,
        ) from None


def undo_change(actor: Any, batch: ImportBatch, ch: ImportChange) -> None:
    """Undo one change of a classes batch (the batch's changes are undone latest first:
    a row's result, then its enrolment, then the class it created)."""
    since = batch.committed_at or timezone.now()
    if ch.target_type == "training.enrolment":
        _undo_enrolment(actor, batch, ch)
        return
    if ch.target_type == "training.result":
        result = Result.objects.filter(pk=ch.target_id).select_related("enrolment").first()
        if result is None and ch.action == ImportChange.Action.CREATED:
            return
        if result is None or result.updated_at > since:
            raise changed_since(ch)
        values = None if ch.action == ImportChange.Action.CREATED else ch.old["result"]
        with _on_row(ch):
            training.result_restore(actor=actor, enrolment=result.enrolment, values=values)
        return
    if ch.target_type == "training.trainingclass":
        klass = TrainingClass.objects.filter(pk=ch.target_id).first()
        if klass is None:
            return
        if (
            klass.updated_at > since
            or klass.sessions.filter(updated_at__gt=since).exists()
            or klass.sessions.filter(created_at__gt=since).exists()
        ):
            raise changed_since(ch)
        with _on_row(ch):
            training.class_delete(actor=actor, klass=klass)
        return
    raise DomainError(_("Unknown kind of data."), code="invalid_kind")


def _undo_enrolment(actor: Any, batch: ImportBatch, ch: ImportChange) -> None:
    """An enrolment made by the import goes away if nothing was recorded on it since."""
    enrolment = Enrolment.objects.filter(pk=ch.target_id).select_related("klass").first()
    if enrolment is None:
        return
    if (
        enrolment.attendance.exists()
        or hasattr(enrolment, "result")
        or enrolment.updated_at > (batch.committed_at or timezone.now())
    ):
        raise changed_since(ch)
    with _on_row(ch):
        training.enrolment_delete(
            actor=actor,
            enrolment=enrolment,
            reason=_("Import undone"),
            data={"batch": str(batch.uid), "row": ch.row},
        )
