from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Timestamps for every table."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def new_uid() -> uuid.UUID:
    return uuid.uuid4()


class PublicIdModel(BaseModel):
    """Adds ``uid``: the public identifier used in URLs instead of the integer pk."""

    uid = models.UUIDField(default=new_uid, unique=True, editable=False)

    class Meta:
        abstract = True


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(PublicIdModel):
    """A long task (import, export) queued by the web and run by ``ptdv worker``. See
    ``core.jobs``. ``lease_expires_at`` is extended by the running worker's heartbeat: a job
    still "running" after its lease has expired was left by a dead worker."""

    kind = models.CharField(_("kind"), max_length=60)
    func = models.CharField(max_length=200, blank=True)  # dotted path of the job function
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.TextField(_("message"), blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.FileField(upload_to="exchange/jobs/%Y/%m/", blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    # where to go when the job is done (e.g. the import preview), and structured output
    next_url = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=120, blank=True)  # host:pid of the claiming worker
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "id"], name="core_job_status_id")]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.uid}"

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}


class DailyRun(models.Model):
    """One daily command run by a worker on one day: the unique pair is the claim, so two
    workers never run the same command twice on the same day."""

    command = models.CharField(max_length=100)
    day = models.DateField()
    worker = models.CharField(max_length=120, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(null=True)
    output = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["command", "day"], name="core_dailyrun_command_day")
        ]

    def __str__(self) -> str:
        return f"{self.command} {self.day}"
