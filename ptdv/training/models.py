"""Political-centre training: institutions, course types, classes, sessions, enrolments,
attendance, results and certificates.

Statuses (class, enrolment) change only in ``services.py`` following the transition
tables of ``rules.py``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ptdv.core.models import BaseModel, PublicIdModel

# Policy key ``cert.awareness.validity_months`` (rules-reference §1.3 and §8): the
# awareness certificate is valid 60 months. Used as the default of the seeded course type
# (the policy in force wins when issuing: ``services.awareness_validity_months``).
AWARENESS_VALIDITY_MONTHS_DEFAULT = 60


class Audience(models.TextChoices):
    MASSES = "masses", _("Outstanding masses (not members)")
    PROBATIONARY = "probationary", _("Probationary members")
    CADRES = "cadres", _("Cell secretaries and grassroots committee members")


class TrainingInstitution(PublicIdModel):
    """A political centre, political school or committee that runs classes."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    org_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name=_("attached to"),
        on_delete=models.PROTECT,
        related_name="training_institutions",
    )
    certificate_suffix = models.CharField(
        _("certificate number suffix"), max_length=40, default="CN-TTCT"
    )
    director = models.CharField(_("director (signer)"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("training institution")
        verbose_name_plural = _("training institutions")

    def __str__(self) -> str:
        return self.name


class CourseType(PublicIdModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: the certificate does not expire."),
    )
    usual_sessions = models.PositiveSmallIntegerField(_("usual number of sessions"), default=5)
    usual_days = models.PositiveSmallIntegerField(_("usual length (days)"), default=5)
    min_attendance_ratio = models.DecimalField(
        _("minimum attendance ratio"), max_digits=3, decimal_places=2, default=Decimal("0.80")
    )
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("course type")
        verbose_name_plural = _("course types")

    def __str__(self) -> str:
        return self.name


class ClassStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for enrolment")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class TrainingClass(PublicIdModel):
    institution = models.ForeignKey(
        TrainingInstitution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="classes",
    )
    course_type = models.ForeignKey(
        CourseType, verbose_name=_("course type"), on_delete=models.PROTECT, related_name="classes"
    )
    code = models.CharField(_("class code"), max_length=40)
    name = models.CharField(_("name"), max_length=255)
    served_units = models.ManyToManyField(
        "organizations.OrgUnit",
        verbose_name=_("organizations served"),
        related_name="training_classes",
        blank=True,
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    start_on = models.DateField(_("start date"), db_index=True)
    end_on = models.DateField(_("end date"))
    lecturers = models.CharField(_("lecturers"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), default=80)
    status = models.CharField(
        _("status"), max_length=16, choices=ClassStatus.choices, default=ClassStatus.PLANNED
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-start_on", "code"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="class_code_per_inst"),
            models.CheckConstraint(
                condition=models.Q(end_on__gte=models.F("start_on")), name="class_dates_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class ClassSession(BaseModel):
    klass = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    lecturer = models.CharField(_("lecturer"), max_length=120, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.topic}"


class EnrolmentStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    ACCEPTED = "accepted", _("Accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(PublicIdModel):
    klass = models.ForeignKey(
        TrainingClass, verbose_name=_("class"), on_delete=models.PROTECT, related_name="enrolments"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.NOMINATED,
    )
    nominated_by_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["klass", "person__sort_key", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["klass", "person"], name="one_place_per_class")
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.klass.code}"


class Attendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="one_mark_per_session")
        ]


class Result(BaseModel):
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="result")
    passed = models.BooleanField(_("passed"))
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("essay grade"), max_length=40, blank=True)
    attended = models.PositiveSmallIntegerField(_("sessions attended"), default=0)
    sessions = models.PositiveSmallIntegerField(_("sessions held"), default=0)
    completed = models.BooleanField(_("completed"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")


class Certificate(PublicIdModel):
    institution = models.ForeignKey(
        TrainingInstitution, on_delete=models.PROTECT, related_name="certificates"
    )
    klass = models.ForeignKey(
        TrainingClass,
        verbose_name=_("class"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="training_certificates",
    )
    course_type = models.ForeignKey(CourseType, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("certificate number"), max_length=60)
    issued_on = models.DateField(_("issue date"))
    signer = models.CharField(_("signed by"), max_length=120, blank=True)
    # The last day on which the certificate is valid (inclusive); null = no expiry.
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["institution", "year", "seq"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "seq"], name="certificate_seq_per_inst_year"
            ),
            models.UniqueConstraint(
                fields=["institution", "number"], name="certificate_number_per_inst"
            ),
        ]
        indexes = [models.Index(fields=["person", "course_type", "issued_on"])]

    def __str__(self) -> str:
        return self.number
