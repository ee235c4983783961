"""Merging two records of one person, and undoing it (the duplicate-merging tool).

Generic over the schema: every foreign key to ``Person`` in every installed app (found
with ``apps.get_models(include_auto_created=True)``, so many-to-many tables too) is moved
from the duplicate to the kept record, and the moved row ids are stored in a
``MergeRecord`` so that ``person_unmerge`` can move exactly them back. Derived
membership periods are recomputed, not moved. A merge whose combined membership history
is impossible (two admissions) is refused as a whole.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ptdv.access.permissions import has_perm
from ptdv.audit.services import record
from ptdv.core.errors import DomainError
from ptdv.people.models import DuplicateDismissal, MembershipPeriod, MergeRecord, Person

SKIP = {MembershipPeriod, MergeRecord, DuplicateDismissal}


def _person_fks() -> list[tuple[Any, Any]]:
    out = []
    for model in apps.get_models(include_auto_created=True):
        if model in SKIP:
            continue
        for f in model._meta.local_fields:
            rel = f.remote_field
            points_to_person = rel is not None and rel.model is Person
            if points_to_person and (f.many_to_one or f.one_to_one) and model is not Person:
                out.append((model, f))
    return out


def _check(actor: Any, person: Person) -> None:
    if not has_perm(actor, "exchange.merge", person.org_unit):
        raise DomainError(_("You may not merge records of this organization."), code="forbidden")


@transaction.atomic
def person_merge(*, actor: Any, kept: Person, duplicate: Person, reason: str = "") -> MergeRecord:
    from ptdv.people.services import refresh_membership

    if kept.pk == duplicate.pk:
        raise DomainError(_("A record cannot be merged with itself."), code="same_record")
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update()
        .filter(pk__in=[kept.pk, duplicate.pk])
        .select_related("org_unit")
    }
    kept, duplicate = locked[kept.pk], locked[duplicate.pk]
    for p in (kept, duplicate):
        _check(actor, p)
        if p.merged_into_id:
            raise DomainError(
                _("%(name)s has already been merged into another record.") % {"name": p},
                code="already_merged",
            )
    moved: list[dict[str, Any]] = []
    for model, f in _person_fks():
        manager = model._base_manager
        ids = list(manager.filter(**{f.attname: duplicate.pk}).values_list("pk", flat=True))
        if not ids:
            continue
        try:
            with transaction.atomic():
                manager.filter(pk__in=ids).update(**{f.attname: kept.pk})
        except IntegrityError:
            raise DomainError(
                _(
                    "Both records have a “%(what)s” for the same thing; remove one of them "
                    "before merging."
                )
                % {"what": model._meta.verbose_name},
                code="merge_conflict",
            )
        moved.append({"model": model._meta.label_lower, "field": f.name, "ids": ids})
    citizen_id = None
    if duplicate.citizen_id and not kept.citizen_id:
        citizen_id = duplicate.citizen_id
        Person.objects.filter(pk=duplicate.pk).update(citizen_id=None)
        Person.objects.filter(pk=kept.pk).update(citizen_id=citizen_id)
    try:
        refresh_membership(Person.objects.get(pk=kept.pk))
    except DomainError as exc:
        raise DomainError(
            _(
                "The two membership histories cannot be combined (%(why)s). Correct one "
                "record's events first."
            )
            % {"why": exc.message},
            code="merge_conflict",
        )
    Person.objects.filter(pk=duplicate.pk).update(merged_into=kept, updated_at=timezone.now())
    refresh_membership(Person.objects.get(pk=duplicate.pk))
    merge = MergeRecord.objects.create(
        kept=kept,
        duplicate=duplicate,
        moved=moved + ([{"citizen_id": citizen_id}] if citizen_id else []),
        user=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason[:255],
    )
    summary = {m["model"]: len(m["ids"]) for m in moved}
    record(
        action="exchange.person.merged",
        actor=actor,
        target=kept,
        org_unit=kept.org_unit,
        data={"kept": str(kept), "duplicate": str(duplicate), "moved": summary, "reason": reason},
    )
    return merge


@transaction.atomic
def person_unmerge(*, actor: Any, merge: MergeRecord) -> MergeRecord:
    from ptdv.people.services import refresh_membership

    merge = MergeRecord.objects.select_for_update().get(pk=merge.pk)
    if merge.unmerged_at is not None:
        raise DomainError(_("This merge has already been undone."), code="already_unmerged")
    kept = Person.objects.select_related("org_unit").get(pk=merge.kept_id)
    duplicate = Person.objects.select_related("org_unit").get(pk=merge.duplicate_id)
    _check(actor, kept)
    for item in merge.moved:
        if "citizen_id" in item:
            Person.objects.filter(pk=kept.pk).update(citizen_id=None)
            Person.objects.filter(pk=duplicate.pk).update(citizen_id=item["citizen_id"])
            continue
        model = apps.get_model(item["model"])
        f = model._meta.get_field(item["field"])
        model._base_manager.filter(pk__in=item["ids"], **{f.attname: kept.pk}).update(
            **{f.attname: duplicate.pk}
        )
    Person.objects.filter(pk=duplicate.pk).update(merged_into=None, updated_at=timezone.now())
    refresh_membership(Person.objects.get(pk=kept.pk))
    refresh_membership(Person.objects.get(pk=duplicate.pk))
    merge.unmerged_at = timezone.now()
    merge.unmerged_by = actor if getattr(actor, "is_authenticated", False) else None
    merge.save(update_fields=["unmerged_at", "unmerged_by", "updated_at"])
    record(
        action="exchange.person.unmerged",
        actor=actor,
        target=duplicate,
        org_unit=duplicate.org_unit,
        data={"kept": str(kept), "duplicate": str(duplicate)},
    )
    return merge


@transaction.atomic
def duplicate_dismiss(*, actor: Any, a: Person, b: Person) -> None:
    _check(actor, a)
    _check(actor, b)
    first, second = sorted([a, b], key=lambda p: p.pk)
    DuplicateDismissal.objects.get_or_create(
        person_a=first,
        person_b=second,
        defaults={"user": actor if getattr(actor, "is_authenticated", False) else None},
    )
    record(
        action="exchange.duplicate.dismissed",
        actor=actor,
        target=first,
        org_unit=first.org_unit,
        data={"a": str(first), "b": str(second)},
    )
