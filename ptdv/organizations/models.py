"""The effective-dated organization tree (materialized path) and residential units."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ptdv.core.models import PublicIdModel

PATH_STEP = 6  # each level of the path is the pk in 6 base-36 digits, then "."


class OrgKind(models.TextChoices):
    PROVINCE = "province", _("Provincial party organization")
    COMMUNE = "commune", _("Commune/ward party organization")
    DISTRICT = "district", _("District party organization (former)")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots party cell")
    SUB_COMMITTEE = "sub_committee", _("Sub-committee")
    CELL = "cell", _("Subordinate party cell")
    GROUP = "group", _("Party group")


GRASSROOTS_KINDS = frozenset({OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL})
UPPER_KINDS = frozenset({OrgKind.PROVINCE, OrgKind.COMMUNE, OrgKind.DISTRICT})
# Units whose members meet as one cell (chi bộ): they hold members and vote admissions.
CELL_KINDS = frozenset({OrgKind.GRASSROOTS_CELL, OrgKind.CELL})


class OrgLevel(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial level")
    UPPER = "upper", _("Upper level (directly above grassroots)")
    GRASSROOTS = "grassroots", _("Grassroots level")
    BELOW_GRASSROOTS = "below_grassroots", _("Below grassroots")


class Sector(models.TextChoices):
    PARTY_STATE_BODY = "party_body", _("Party, state and mass organization bodies")
    COMMUNE_WARD = "commune_ward", _("Commune/ward")
    RESIDENTIAL = "residential", _("Village / residential group")
    ADMIN_AGENCY = "admin_agency", _("Administrative agency")
    PUBLIC_SERVICE = "public_service", _("Public service unit")
    NON_PUBLIC_SERVICE = "non_public_service", _("Non-public service unit")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    NON_STATE_ENTERPRISE = "non_state_enterprise", _("Non-state enterprise")
    ARMED_FORCES = "armed_forces", _("Armed forces")
    POLICE = "police", _("Police")
    OTHER = "other", _("Other")


def level_of(kind: str) -> OrgLevel:
    if kind == OrgKind.PROVINCE:
        return OrgLevel.PROVINCIAL
    if kind in UPPER_KINDS:
        return OrgLevel.UPPER
    if kind in GRASSROOTS_KINDS:
        return OrgLevel.GRASSROOTS
    return OrgLevel.BELOW_GRASSROOTS


class AreaFlags(models.Model):
    """Where a unit or village lies; used by the education exceptions of the rules."""

    mountainous = models.BooleanField(_("mountainous area"), default=False)
    border = models.BooleanField(_("border area"), default=False)
    island = models.BooleanField(_("island"), default=False)
    ethnic_minority_area = models.BooleanField(_("ethnic minority area"), default=False)
    especially_difficult = models.BooleanField(_("especially difficult area"), default=False)

    class Meta:
        abstract = True


class OrgUnit(PublicIdModel, AreaFlags):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    sort_key = models.CharField(max_length=255, db_index=True, editable=False, default="")
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices)
    sector = models.CharField(
        _("sector"), max_length=32, choices=Sector.choices, default=Sector.OTHER
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    authorised_to_admit = models.BooleanField(_("authorised to admit"), default=False)
    valid_from = models.DateField(_("valid from"), default=dt.date(1930, 2, 3))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> OrgLevel:
        return level_of(self.kind)

    @property
    def is_grassroots(self) -> bool:
        return self.kind in GRASSROOTS_KINDS

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def contains(self, other: OrgUnit) -> bool:
        return other.path.startswith(self.path)

    @property
    def ancestor_paths(self) -> list[str]:
        step = PATH_STEP + 1
        return [self.path[: i + step] for i in range(0, len(self.path), step)]


class OrgUnitVersion(models.Model):
    """One interval of a unit's life with the same name and place in the tree.

    The facts behind "the tree as of a date": a rename, move, merge or split ends the
    versions valid the day before its effective date and starts new ones; it never changes
    an interval that ended before. ``path`` is the materialized path (pk segments of the
    ancestors then) valid during the interval, so a subtree on a date is one prefix query.
    ``OrgUnit.name/parent/path/depth`` mirror the latest version."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(max_length=255)
    parent = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(max_length=255, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    restructuring = models.ForeignKey(
        "Restructuring", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["unit", "valid_from"]
        indexes = [
            models.Index(fields=["unit", "valid_from"]),
            models.Index(fields=["valid_from", "valid_to"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="orgunitversion_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="orgunitversion_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.valid_from:%d/%m/%Y}–{self.valid_to or ''}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Restructuring(PublicIdModel):
    """One dated operation on the tree with its decision; the unit of undo.

    ``payload`` keeps what the operation changed (versions ended, units closed, events
    written, records moved) so that undo restores exactly the state before."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Create")
        RENAME = "rename", _("Rename")
        MOVE = "move", _("Move under another organization")
        MERGE = "merge", _("Merge")
        SPLIT = "split", _("Split")
        DISSOLVE = "dissolve", _("Dissolve")
        PLAN = "plan", _("Restructuring plan")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("effective date"))
    decision_number = models.CharField(_("decision number"), max_length=120, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_body = models.CharField(_("issuing body"), max_length=255, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    parent_op = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="steps"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"

    @property
    def decision_label(self) -> str:
        parts = [self.decision_number]
        if self.decision_date:
            parts.append(self.decision_date.strftime("%d/%m/%Y"))
        if self.decision_body:
            parts.append(self.decision_body)
        return ", ".join(p for p in parts if p)


class OrgUnitLineage(models.Model):
    """A predecessor continued by a successor from ``date`` (merge or split)."""

    predecessor = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    successor = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    kind = models.CharField(max_length=16)
    restructuring = models.ForeignKey(
        Restructuring, null=True, blank=True, on_delete=models.CASCADE, related_name="lineage"
    )

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="orgunitlineage_unique"
            )
        ]


class OrgUnitChange(PublicIdModel):
    """A dated change of the tree kept for history: rename, move, merge, split, dissolve."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        RENAMED = "renamed", _("Renamed")
        MOVED = "moved", _("Moved")
        MERGED = "merged", _("Merged")
        SPLIT = "split", _("Split")
        DISSOLVED = "dissolved", _("Dissolved")

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    date = models.DateField()
    old_name = models.CharField(max_length=255, blank=True)
    new_name = models.CharField(max_length=255, blank=True)
    old_parent = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_parent = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    other = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=120, blank=True)
    restructuring = models.ForeignKey(
        "Restructuring", null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )

    class Meta:
        ordering = ["date", "id"]


class ResidentialUnit(PublicIdModel, AreaFlags):
    """A village (thôn), hamlet (bản) or residential group (tổ dân phố)."""

    class Kind(models.TextChoices):
        VILLAGE = "village", _("Village (thôn)")
        HAMLET = "hamlet", _("Hamlet (bản)")
        RESIDENTIAL_GROUP = "residential_group", _("Residential group (tổ dân phố)")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.VILLAGE)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("commune organization"),
        on_delete=models.PROTECT,
        related_name="residential_units",
    )
    own_cell = models.ForeignKey(
        OrgUnit,
        verbose_name=_("its own party cell"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"), default=dt.date(1930, 2, 3))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # ``org_unit`` is the commune organization the village belongs to since this date
    # (None: since the village exists); earlier attachments are ``ResidentialUnitLink``
    # rows, so a figure for a past date finds the village where it was then.
    linked_since = models.DateField(_("attached since"), null=True, blank=True)

    class Meta:
        ordering = ["org_unit__path", "name"]
        verbose_name = _("residential unit")
        verbose_name_plural = _("residential units")

    def __str__(self) -> str:
        return self.name


class ResidentialUnitLink(models.Model):
    """An earlier attachment of a village to a commune organization, ended by a
    restructuring (both dates inclusive)."""

    village = models.ForeignKey(
        ResidentialUnit, on_delete=models.CASCADE, related_name="past_links"
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))

    class Meta:
        ordering = ["village", "valid_from"]
        verbose_name = _("earlier attachment of a residential unit")


def villages_on_q(day: dt.date, units: QuerySet[Any] | list[int]) -> Q:
    """Villages that existed on ``day`` and belonged then to one of ``units`` (ids or a
    ``values("…id")`` queryset): the one dated test of a village's organization."""
    past = ResidentialUnitLink.objects.filter(
        village_id=OuterRef("pk"), org_unit_id__in=units, valid_from__lte=day, valid_to__gte=day
    )
    current = Q(org_unit_id__in=units) & (Q(linked_since__isnull=True) | Q(linked_since__lte=day))
    return (
        Q(valid_from__lte=day)
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        & (current | Q(Exists(past)))
    )


class AreaCategory(models.TextChoices):
    """What a decision's list says of the places it names (issue 15 point 2)."""

    ESPECIALLY_DIFFICULT = "especially_difficult", _("especially difficult area")
    ETHNIC_MINORITY = "ethnic_minority", _("ethnic minority and mountainous area")
    MOUNTAINOUS = "mountainous", _("mountainous area")
    BORDER = "border", _("border area")
    ISLAND = "island", _("island")


class AreaDecision(PublicIdModel):
    """A decision listing communes and villages as special areas (the education exception
    of the admission rules), in force from ``valid_from`` to ``valid_to`` (inclusive)."""

    number = models.CharField(_("number"), max_length=60)
    issuer = models.CharField(_("issued by"), max_length=160)
    signed_on = models.DateField(_("date signed"))
    title = models.CharField(_("subject"), max_length=500, blank=True)
    category = models.CharField(_("category"), max_length=24, choices=AreaCategory.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source_note = models.CharField(_("source note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-valid_from", "number"]
        verbose_name = _("special area decision")
        verbose_name_plural = _("special area decisions")
        constraints = [
            models.UniqueConstraint(fields=["number", "signed_on"], name="areadecision_unique")
        ]

    def __str__(self) -> str:
        return f"Quyết định {self.number} ngày {self.signed_on:%d/%m/%Y} của {self.issuer}"

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class AreaListing(models.Model):
    """One commune (its party organization) or one village named by a decision, with the
    name as the decision writes it."""

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("commune")
        VILLAGE = "village", _("village")

    decision = models.ForeignKey(AreaDecision, on_delete=models.CASCADE, related_name="listings")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    listed_name = models.CharField(_("name in the decision"), max_length=255)
    commune = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        ResidentialUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["decision", "kind", "listed_name"]
        verbose_name = _("listed place")
