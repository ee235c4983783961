"""Writes of the exchange app: import batches (upload, mapping, preview, commit, undo).

Every write of people and organizations goes through their own services (validated and
audited there); this module records the batch, audits it as a whole, and can undo it.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.access.permissions import has_perm
from ptdv.audit.labels import register
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.core.jobs import JobContext, start_job
from ptdv.core.models import Job
from ptdv.exchange import legacy, reader, undo
from ptdv.exchange.importer import Outcome, run_import
from ptdv.exchange.models import BatchStatus, ColumnMapping, ImportBatch
from ptdv.exchange.vocab import HEADERS, IGNORE, KIND_ALIASES, missing_required
from ptdv.organizations.models import OrgUnit

log = logging.getLogger(__name__)

register(
    {
        "exchange.batch.uploaded": gettext_lazy("Import file uploaded"),
        "exchange.batch.committed": gettext_lazy("Import committed"),
        "exchange.batch.undone": gettext_lazy("Import undone"),
        "exchange.person.removed_by_undo": gettext_lazy("Person removed (import undone)"),
        "exchange.unit.removed_by_undo": gettext_lazy("Organization closed (import undone)"),
        "exchange.export": gettext_lazy("Data exported"),
        "exchange.enrolment.removed_by_undo": gettext_lazy("Enrolment removed (import undone)"),
        "exchange.person.merged": gettext_lazy("Duplicate records merged"),
        "exchange.person.unmerged": gettext_lazy("Merge undone"),
        "exchange.duplicate.dismissed": gettext_lazy("Possible duplicate dismissed"),
        "exchange.token.created": gettext_lazy("API token created"),
        "exchange.token.revoked": gettext_lazy("API token revoked"),
        "exchange.value_alias.added": gettext_lazy("Spelling of a value added for imports"),
        "exchange.value_alias.deleted": gettext_lazy("Spelling of a value removed for imports"),
    }
)


def _require(actor: Any, perm: str, unit: OrgUnit) -> None:
    if not has_perm(actor, perm, unit):
        raise DomainError(_("You may not import data into this organization."), code="forbidden")


def batch_create_from_path(
    *, actor: Any, kind: str, org_unit: OrgUnit, path: Path, file_name: str
) -> ImportBatch:
    """Check the file, find its header and store it as a new batch (with the remembered
    or guessed column mapping). Nothing is imported yet."""
    _require(actor, "exchange.import", org_unit)
    kind = KIND_ALIASES.get(kind, kind)
    if kind not in HEADERS:
        raise DomainError(_("Unknown kind of data."), code="invalid_kind")
    if file_name.lower().endswith(".csv"):
        with tempfile.TemporaryDirectory() as tmp:
            converted = reader.csv_to_xlsx(path, Path(tmp) / "converted.xlsx")
            return batch_create_from_path(
                actor=actor,
                kind=kind,
                org_unit=org_unit,
                path=converted,
                file_name=file_name[:-4] + ".xlsx",
            )
    sha = reader.check_file(path, name=file_name)
    layout = reader.inspect(path, kind)
    remembered = ColumnMapping.objects.filter(kind=kind, signature=layout.signature).first()
    mapping = dict(remembered.mapping) if remembered else dict(layout.guessed)
    with transaction.atomic():
        batch = ImportBatch(
            kind=kind,
            user=actor if getattr(actor, "is_authenticated", False) else None,
            org_unit=org_unit,
            file_name=file_name[:255],
            file_sha256=sha,
            sheet=layout.sheet,
            header_rows=layout.header_rows,
            headers=layout.headers,
            signature=layout.signature,
            mapping=mapping,
            report={
                "remembered": remembered is not None,
                "encodings": reader.column_encodings(path, layout),
                "header_encoding": layout.header_encoding,
            },
        )
        with path.open("rb") as fh:
            batch.file.save(f"{sha[:16]}.xlsx", File(fh), save=False)
        batch.save()
        record(
            action="exchange.batch.uploaded",
            actor=actor,
            target=batch,
            org_unit=org_unit,
            data={"file": file_name, "kind": kind, "sha256": sha},
        )
    return batch


def batch_create_from_upload(
    *, actor: Any, kind: str, org_unit: OrgUnit, upload: Any
) -> ImportBatch:
    limit = reader.max_bytes()
    if upload.size > limit:
        raise reader.FileRefusedError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": f"{upload.size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"},
            code="file_too_large",
        )
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        return batch_create_from_path(
            actor=actor, kind=kind, org_unit=org_unit, path=Path(tmp.name), file_name=upload.name
        )


@transaction.atomic
def batch_set_mapping(
    *,
    actor: Any,
    batch: ImportBatch,
    mapping: dict[str, str],
    encodings: dict[str, str] | None = None,
) -> ImportBatch:
    """The column matching, and the user's choice of encoding per column (``encodings``:
    column index → "unicode" | "tcvn3" | "vni", or "" for the detected one)."""
    _require(actor, "exchange.import", batch.org_unit)
    if encodings is not None:
        override = {}
        for col, enc in encodings.items():
            if enc and enc not in legacy.ENCODINGS:
                raise DomainError(_("Unknown text encoding: %(enc)s.") % {"enc": enc})
            if enc:
                override[str(col)] = enc
        batch.report = dict(batch.report or {}) | {"encoding_override": override}
        ImportBatch.objects.filter(pk=batch.pk).update(report=batch.report)
    allowed = set(HEADERS[batch.kind])
    clean: dict[str, str] = {}
    used: dict[str, str] = {}
    for col, fname in mapping.items():
        if not fname or fname == IGNORE:
            continue
        if fname not in allowed:
            raise DomainError(_("Unknown field: %(field)s.") % {"field": fname})
        if fname in used:
            raise DomainError(
                _("Two columns are mapped to “%(field)s”.")
                % {"field": HEADERS[batch.kind][fname][0]}
            )
        used[fname] = col
        clean[str(col)] = fname
    missing = missing_required(batch.kind, set(used))
    if missing:
        raise DomainError(
            _("These columns are required: %(names)s.")
            % {"names": ", ".join(HEADERS[batch.kind][f][0] for f in missing)}
        )
    ImportBatch.objects.filter(pk=batch.pk).update(mapping=clean)
    batch.mapping = clean
    remembered, created = ColumnMapping.objects.get_or_create(
        kind=batch.kind,
        signature=batch.signature,
        defaults={"headers": batch.headers, "mapping": clean, "used_count": 1},
    )
    if not created:
        ColumnMapping.objects.filter(pk=remembered.pk).update(
            mapping=clean, used_count=F("used_count") + 1
        )
    return batch


def _local_copy(batch: ImportBatch) -> Path:
    """The stored file as a local path (storage may be remote)."""
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    with batch.file.open("rb") as src:
        shutil.copyfileobj(src, tmp)
    tmp.close()
    return Path(tmp.name)


def _save_report(batch: ImportBatch, outcome: Outcome, status: str) -> None:
    report = dict(batch.report) | outcome.as_dict()
    ImportBatch.objects.filter(pk=batch.pk).update(
        report=report,
        status=status,
        created_count=outcome.created,
        updated_count=outcome.updated,
        unchanged_count=outcome.unchanged,
    )


def batch_preview(
    *,
    actor: Any,
    batch: ImportBatch,
    progress: Any = None,
    confirmed_rows: list[int] | None = None,
) -> Outcome:
    """Run the import and undo it: every problem the import would meet. Confirmed rows
    (name + birth date matches accepted) are kept for the commit, as in ``batch_commit``."""
    if batch.status in {BatchStatus.COMMITTED, BatchStatus.UNDONE}:
        raise DomainError(_("This file has already been imported."), code="already_committed")
    if confirmed_rows is not None:
        batch.confirmed_rows = sorted({int(r) for r in confirmed_rows})
        ImportBatch.objects.filter(pk=batch.pk).update(confirmed_rows=batch.confirmed_rows)
    path = _local_copy(batch)
    try:
        outcome = run_import(batch=batch, actor=actor, commit=False, path=path, progress=progress)
    finally:
        path.unlink(missing_ok=True)
    _save_report(batch, outcome, BatchStatus.PREVIEWED)
    return outcome


def batch_commit(
    *,
    actor: Any,
    batch: ImportBatch,
    confirmed_rows: list[int] | None = None,
    progress: Any = None,
    new_rows: list[int] | None = None,
) -> Outcome:
    """Import all rows or none. Confirmed rows are the name + birth date matches the user
    accepted as the same person."""
    batch = ImportBatch.objects.get(pk=batch.pk)
    if batch.status in {BatchStatus.COMMITTED, BatchStatus.UNDONE}:
        raise DomainError(_("This file has already been imported."), code="already_committed")
    if confirmed_rows is not None:
        ImportBatch.objects.filter(pk=batch.pk).update(
            confirmed_rows=sorted({int(r) for r in confirmed_rows})
        )
        batch.confirmed_rows = sorted({int(r) for r in confirmed_rows})
    if new_rows is not None:
        # name + birth-date matches the user declared new people (never silently: an
        # undecided match is a problem of the commit)
        batch.report = dict(batch.report or {}) | {"new_rows": sorted({int(r) for r in new_rows})}
        ImportBatch.objects.filter(pk=batch.pk).update(report=batch.report)
    path = _local_copy(batch)
    try:
        with transaction.atomic():
            outcome = run_import(
                batch=batch, actor=actor, commit=True, path=path, progress=progress
            )
            if outcome.committed:
                _save_report(batch, outcome, BatchStatus.COMMITTED)
                ImportBatch.objects.filter(pk=batch.pk).update(committed_at=timezone.now())
                record(
                    action="exchange.batch.committed",
                    actor=actor,
                    target=batch,
                    org_unit=batch.org_unit,
                    data={
                        "file": batch.file_name,
                        "rows": outcome.rows,
                        "created": outcome.created,
                        "updated": outcome.updated,
                        "unchanged": outcome.unchanged,
                    },
                )
    finally:
        path.unlink(missing_ok=True)
    if not outcome.committed:
        _save_report(batch, outcome, BatchStatus.PREVIEWED)
    return outcome


# --- as background jobs ----------------------------------------------------------


def batch_url(batch: ImportBatch) -> str:
    return reverse("exchange:batch", args=[batch.uid])


class ProgressRelay:
    """The import's progress written to the job from another thread, hence from another
    database connection. The import runs in one transaction: a progress row written from
    its own connection would be seen by the polling page only at the commit, and the bar
    would jump from 0 to 100. The relay writes the latest value every ``interval``
    seconds, in autocommit; its failures (a busy database) never touch the import.
    Only on PostgreSQL: SQLite locks the whole database during the import's writes."""

    def __init__(self, report: Any, *, interval: float = 0.5, enabled: bool | None = None):
        from django.db import connection

        self.report = report
        self.interval = interval
        self.enabled = connection.vendor == "postgresql" if enabled is None else enabled
        self.latest: float | None = None
        self.sent: float | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ptdv-import-progress", daemon=True)

    def __call__(self, percent: float, message: str = "") -> None:
        if not self.enabled:
            self.report(percent, message)
            return
        self.latest = percent

    def __enter__(self) -> ProgressRelay:
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.enabled:
            self._done.set()
            self._thread.join(timeout=10)

    def _send(self) -> None:
        value = self.latest
        if value is not None and value != self.sent:
            try:
                self.report(value)
                self.sent = value
            except Exception:  # a busy database: the next tick tries again
                log.warning("import progress not written", exc_info=True)

    def _run(self) -> None:
        from django.db import connections

        try:
            while not self._done.wait(self.interval):
                self._send()
            self._send()
        finally:
            connections.close_all()  # this thread's own connections only


def preview_job(ctx: JobContext) -> None:
    batch = ImportBatch.objects.select_related("org_unit").get(uid=ctx.params["batch"])
    ctx.progress(0, _("Checking the rows…"))
    with ProgressRelay(ctx.progress) as relay:
        batch_preview(actor=ctx.user, batch=batch, progress=relay)
    ctx.set_next(batch_url(batch))


def commit_job(ctx: JobContext) -> None:
    batch = ImportBatch.objects.select_related("org_unit").get(uid=ctx.params["batch"])
    ctx.progress(0, _("Importing…"))
    with ProgressRelay(ctx.progress) as relay:
        outcome = batch_commit(
            actor=ctx.user,
            batch=batch,
            confirmed_rows=ctx.params.get("confirmed"),
            new_rows=ctx.params.get("new_rows"),
            progress=relay,
        )
    ctx.set_next(batch_url(batch))
    if not outcome.committed:
        raise DomainError(
            _("Nothing was imported: %(n)s problems. See the list and correct the file.")
            % {"n": outcome.problem_count}
        )
    ctx.message(summary_text(outcome.created, outcome.updated))


def summary_text(created: int, updated: int) -> str:
    if created + updated == 0:
        return _("0 changes: everything in the file is already recorded.")
    return _("%(created)s created, %(updated)s updated.") % {
        "created": created,
        "updated": updated,
    }


def start_preview(*, actor: Any, batch: ImportBatch) -> Job:
    return start_job(
        "exchange.preview", actor, "ptdv.exchange.services.preview_job", {"batch": str(batch.uid)}
    )


def start_commit(
    *, actor: Any, batch: ImportBatch, confirmed: list[int], new_rows: list[int] | None = None
) -> Job:
    _require(actor, "exchange.import", batch.org_unit)
    return start_job(
        "exchange.import",
        actor,
        "ptdv.exchange.services.commit_job",
        {"batch": str(batch.uid), "confirmed": confirmed, "new_rows": new_rows or []},
    )


# --- undo ------------------------------------------------------------------------


@transaction.atomic
def batch_undo(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Undo a committed batch as a whole, through the services of the apps that own the
    records (``undo.py``), then mark it undone and audit it."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    rows = undo.batch_rows_undo(actor=actor, batch=batch)
    batch.status = BatchStatus.UNDONE
    batch.undone_at = timezone.now()
    batch.undone_by = actor if getattr(actor, "is_authenticated", False) else None
    batch.save(update_fields=["status", "undone_at", "undone_by", "updated_at"])
    record(
        action="exchange.batch.undone",
        actor=actor,
        target=batch,
        org_unit=batch.org_unit,
        data={"file": batch.file_name, "rows": rows},
    )
    return batch


# --- spellings of list values (ValueAlias) -------------------------------------------


def _may_edit_values(actor: Any) -> None:
    from ptdv.access.permissions import has_perm_anywhere

    if not has_perm_anywhere(actor, "exchange.import"):
        raise DomainError(_("You may not change the values read from files."), code="forbidden")


@transaction.atomic
def value_alias_add(*, actor: Any, field: str, text: str, value: str) -> Any:
    """Teach the imports a way of writing a list value ("Cán bộ địa chính" → cadre / civil
    servant). Refused when the spelling already means something in that column."""
    from ptdv.exchange import vocab
    from ptdv.exchange.models import ValueAlias

    _may_edit_values(actor)
    if field not in vocab.EXTENSIBLE:
        raise DomainError(_("Unknown field: %(field)s.") % {"field": field}, field="field")
    allowed: Any = vocab.VALUE_LISTS[field]
    choices = {str(k): k for k in allowed}
    if value not in choices:
        raise DomainError(_("Choose the value it stands for."), field="value")
    text = " ".join((text or "").split())
    folded = vocab.alias_key(text)
    if not folded:
        raise DomainError(_("Write the text as it appears in the files."), field="text")
    if len(text) > 200:
        raise DomainError(_("The text is too long (at most 200 characters)."), field="text")
    known = vocab.lookup(field, text)
    if known is None:
        existing = ValueAlias.objects.filter(field=field, folded=folded).first()
        known = existing.value if existing else None
    if known is not None:
        raise DomainError(
            _("“%(text)s” is already read as “%(value)s” in this column.")
            % {"text": text, "value": vocab.label(field, known)},
            field="text",
        )
    alias = ValueAlias.objects.create(
        field=field,
        text=text,
        folded=folded,
        value=value,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(
        action="exchange.value_alias.added",
        actor=actor,
        target=alias,
        data={"field": field, "text": text, "value": value},
    )
    return alias


@transaction.atomic
def value_alias_delete(*, actor: Any, alias: Any) -> None:
    _may_edit_values(actor)
    record(
        action="exchange.value_alias.deleted",
        actor=actor,
        target=alias,
        data={"field": alias.field, "text": alias.text, "value": alias.value},
    )
    alias.delete()
