"""One record per person; party membership as a history of dated events.

``MembershipEvent`` rows are the facts. ``Person.status`` and friends, and the
``MembershipPeriod`` rows (one per interval of unchanged status and cell), are derived
from them by ``people.rules.derive`` and kept in step by the service that writes events,
so that "members as of a date" is one indexed query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ptdv.core.models import PublicIdModel
from ptdv.people.choices import (
    ETHNIC_GROUPS,
    Gender,
    GeneralEducation,
    Occupation,
    PoliticalTheory,
    ProfessionalEducation,
    Religion,
)


class MembershipStatus(models.TextChoices):
    NONE = "none", _("Not a member (masses)")
    PROBATIONARY = "probationary", _("Probationary member")
    OFFICIAL = "official", _("Official member")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    REMOVED = "removed", _("Removed from the party")
    EXPELLED = "expelled", _("Expelled")
    LEFT = "left", _("Left the party")
    DIED = "died", _("Deceased")


MEMBER_STATUSES = frozenset({MembershipStatus.PROBATIONARY, MembershipStatus.OFFICIAL})


class EventKind(models.TextChoices):
    ADMITTED = "admitted", _("Admitted (probationary)")
    RECOGNIZED = "recognized", _("Recognized as official member")
    TRANSFERRED_IN = "transferred_in", _("Transferred in")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    MOVED = "moved", _("Moved to another cell")
    REMOVED = "removed", _("Removed (xóa tên)")
    REMOVED_PROBATIONARY = "removed_probationary", _("Removed from the probationary list")
    EXPELLED = "expelled", _("Expelled")
    LEFT = "left", _("Left the party")
    DIED = "died", _("Died")
    READMITTED = "readmitted", _("Readmitted (probationary)")
    CARD_ISSUED = "card_issued", _("Party card issued")


class Person(PublicIdModel):
    full_name = models.CharField(_("full name"), max_length=120)
    name_folded = models.CharField(max_length=120, db_index=True, editable=False, default="")
    sort_key = models.CharField(max_length=255, db_index=True, editable=False, default="")
    other_names = models.CharField(_("other names"), max_length=120, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNIC_GROUPS, default="01")
    religion = models.CharField(
        _("religion"), max_length=16, choices=Religion.choices, default=Religion.NONE
    )
    citizen_id = models.CharField(
        _("citizen ID (CCCD)"), max_length=12, null=True, blank=True, unique=True
    )
    hometown = models.CharField(_("home town"), max_length=255, blank=True)
    education_general = models.CharField(
        _("general education"),
        max_length=16,
        choices=GeneralEducation.choices,
        default=GeneralEducation.UPPER_SECONDARY,
    )
    education_professional = models.CharField(
        _("professional qualification"),
        max_length=16,
        choices=ProfessionalEducation.choices,
        default=ProfessionalEducation.NONE,
    )
    political_theory = models.CharField(
        _("political theory"),
        max_length=16,
        choices=PoliticalTheory.choices,
        default=PoliticalTheory.NONE,
    )
    occupation = models.CharField(
        _("occupation"), max_length=24, choices=Occupation.choices, default=Occupation.OTHER
    )
    workplace = models.CharField(_("workplace"), max_length=255, blank=True)
    residential_unit = models.ForeignKey(
        "organizations.ResidentialUnit",
        verbose_name=_("residential unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    youth_union_member = models.BooleanField(_("Youth Union member"), default=False)
    # The organization that keeps this person: their cell for members, the cell or
    # grassroots organization that sources them for the masses. Derived for members.
    org_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name=_("party organization"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    # Derived from the membership events (people.rules.derive); only services write them.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.NONE,
        db_index=True,
    )
    admitted_on = models.DateField(_("admission date"), null=True, blank=True)
    official_on = models.DateField(_("official date"), null=True, blank=True)
    party_age_from = models.DateField(_("party age counted from"), null=True, blank=True)
    card_number = models.CharField(_("party card number"), max_length=20, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    class Meta:
        ordering = ["sort_key", "date_of_birth", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["org_unit", "status"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def masked_citizen_id(self) -> str:
        if not self.citizen_id:
            return ""
        return "•" * 8 + self.citizen_id[-4:]

    @property
    def is_member(self) -> bool:
        return self.status in MEMBER_STATUSES


class MembershipEvent(PublicIdModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=24, choices=EventKind.choices)
    date = models.DateField(_("date"), db_index=True)
    org_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name=_("party organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="membership_events",
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    card_number = models.CharField(_("party card number"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(max_length=60, blank=True)  # e.g. "admissions.case:<uid>"
    # For a transfer in of someone with no history here: the status they arrive with.
    arrives_as = models.CharField(
        max_length=20,
        blank=True,
        choices=[("official", _("Official member")), ("probationary", _("Probationary member"))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["kind", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class MembershipPeriod(models.Model):
    """Derived: the person had ``status`` in ``org_unit`` from ``start`` (inclusive) to
    ``end`` (exclusive, null = still), while the unit stood at ``path`` in the tree."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="periods")
    org_unit = models.ForeignKey(
        "organizations.OrgUnit", null=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=MembershipStatus.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    # The unit's materialized path during the period: periods are cut where the unit's
    # place in the tree changes (organizations.history), so a subtree on any date is a
    # prefix of this column over the tree valid then.
    path = models.CharField(max_length=255, default="", db_index=True)

    class Meta:
        ordering = ["person", "start"]
        indexes = [
            models.Index(fields=["status", "start", "end"]),
            # the periods ending in the first days of a month (people.flows.counts_on)
            models.Index(fields=["status", "end"], name="people_period_status_end"),
        ]


class MemberFlow(models.Model):
    """Derived, by database triggers only (``people.flows``): the membership periods of a
    ``status`` whose path cut to its first ``level`` levels is ``key`` that started
    (``starts``) and ended (``ends``) in the month beginning on ``month``. Rows are only
    added; several rows of one (month, level, key, status) add up."""

    month = models.DateField()
    level = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=MembershipStatus.choices)
    starts = models.IntegerField(default=0)
    ends = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["level", "key", "status", "month"],
                name="people_flow_level_key",
                opclasses=["int2_ops", "varchar_pattern_ops", "varchar_pattern_ops", "date_ops"],
            )
        ]


class TransferKind(models.TextChoices):
    OFFICIAL = "official", _("Official transfer")
    TEMPORARY = "temporary", _("Temporary activity")


class TransferStatus(models.TextChoices):
    ISSUED = "issued", _("In transit")
    RECEIVED = "received", _("Received")
    ENDED = "ended", _("Temporary activity ended")
    CANCELLED = "cancelled", _("Cancelled")


class Transfer(PublicIdModel):
    """A transfer of party activity (chuyển sinh hoạt đảng) and its introduction letter
    (giấy giới thiệu sinh hoạt đảng). One side may lie outside the installation: then its
    unit is null and ``*_outside`` names it. Only ``people.transfers.services`` writes."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("kind"), max_length=12, choices=TransferKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=TransferStatus.choices, db_index=True
    )
    from_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name=_("sending organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    from_outside = models.CharField(_("sending organization (outside)"), max_length=255, blank=True)
    to_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name=_("receiving organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    to_outside = models.CharField(_("receiving organization (outside)"), max_length=255, blank=True)
    # the cell the receiving side placed the member in (official transfers inside)
    received_in = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name=_("received in cell"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    letter_number = models.CharField(_("letter number"), max_length=60)
    letter_date = models.DateField(_("letter date"))
    issued_on = models.DateField(_("issued on"), db_index=True)
    due_on = models.DateField(_("to be received by"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    temporary_until = models.DateField(_("temporary until"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    policy_code = models.CharField(max_length=20, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        verbose_name = _("transfer of party activity")

    def __str__(self) -> str:
        return f"{self.letter_number} {self.person}"

    @property
    def from_name(self) -> str:
        return self.from_unit.name if self.from_unit is not None else self.from_outside

    @property
    def to_name(self) -> str:
        return self.to_unit.name if self.to_unit is not None else self.to_outside

    @property
    def is_open(self) -> bool:
        return self.status == TransferStatus.ISSUED


class Exemption(PublicIdModel):
    """Exemption from work and party activity (miễn công tác và sinh hoạt đảng), dated,
    with its decision; ``start`` and ``end`` are both exempted days (``end`` null: still)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="exemptions")
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    decision_body = models.CharField(_("deciding body"), max_length=255)
    reason = models.CharField(_("reason"), max_length=255)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["person", "start"]
        verbose_name = _("exemption from party activity")


class Relation(models.TextChoices):
    """The relatives the background form (2-KNĐ) asks about, in the form's order."""

    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    GUARDIAN = "guardian", _("Person who raised the applicant")
    FATHER_IN_LAW = "father_in_law", _("Father-in-law")
    MOTHER_IN_LAW = "mother_in_law", _("Mother-in-law")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Sibling")


RELATION_ORDER = {value: i for i, value in enumerate(Relation.values)}


class Relative(PublicIdModel):
    """A relative of a person, with what the background form (2-KNĐ) asks about them.

    Kept on the person (not on an admission case): a second case or the party-member
    record reuses them. Written only by ``people.services.relative_*``."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relatives")
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    full_name = models.CharField(_("full name"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    deceased = models.BooleanField(_("deceased"), default=False)
    hometown = models.CharField(_("home town"), max_length=255, blank=True)
    residence = models.CharField(_("place of residence"), max_length=255, blank=True)
    occupation = models.CharField(_("occupation"), max_length=255, blank=True)
    political_history = models.TextField(_("political history"), blank=True)
    party_member = models.BooleanField(_("party member"), default=False)
    abroad = models.BooleanField(_("lives abroad"), default=False)

    class Meta:
        ordering = ["person", "relation", "birth_year", "id"]
        verbose_name = _("relative")
        verbose_name_plural = _("relatives")

    def __str__(self) -> str:
        return f"{self.get_relation_display()}: {self.full_name}"


# The duplicate-merging tool (ptdv/people/merging; moved from the exchange app, issue 14:
# the tables keep their names).
class MergeRecord(PublicIdModel):
    """Two records of one person merged: what moved, so that the merge can be undone."""

    kept = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("kept")
    )
    duplicate = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("duplicate")
    )
    moved = models.JSONField(default=list)  # [{"model": label, "field": name, "ids": [..]}]
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    unmerged_at = models.DateTimeField(null=True, blank=True)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "exchange_mergerecord"  # the table kept its name when the model moved
        ordering = ["-created_at", "-id"]


class DuplicateDismissal(models.Model):
    """A pair reviewed and declared two different people; hidden from the queue."""

    person_a = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "exchange_duplicatedismissal"
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="dismissal_pair")
        ]


class Residence(models.Model):
    """Where a person lived, dated (both ends inclusive; ``until`` None = still there): the
    special-area exception is judged from the residence on the date of the check.
    ``Person.residential_unit`` is the current one."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residences")
    residential_unit = models.ForeignKey(
        "organizations.ResidentialUnit",
        verbose_name=_("residential unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    since = models.DateField(_("since"), null=True, blank=True)  # None: not known
    until = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True, default="")

    class Meta:
        ordering = ["person", "since"]
        verbose_name = _("place of residence")
