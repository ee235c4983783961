"""The inbox: one reminder per user, deadline and kind (never twice), and each user's choice
of what they receive."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    APPROACHING = "approaching", _("Deadline approaching")
    OVERDUE = "overdue", _("Deadline passed")
    ESCALATED = "escalated", _("Overdue at a lower committee")


class Channel(models.TextChoices):
    INBOX_EMAIL = "inbox_email", _("In the inbox and by e-mail")
    INBOX = "inbox", _("In the inbox only")
    OFF = "off", _("Do not send")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    event_key = models.CharField(max_length=200)
    # what the deadline is about, kept as data so the inbox is shown in the reader's language
    source = models.CharField(max_length=16)  # "case" | "transfer"
    what = models.CharField(max_length=32)  # the deadline's kind (DEADLINE_LABELS)
    subject = models.CharField(_("about"), max_length=255)  # the person's name
    url = models.CharField(max_length=255, blank=True)
    org_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name=_("organization"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    created_on = models.DateField(_("sent on"))
    days_overdue = models.PositiveSmallIntegerField(default=0)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_on", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event_key", "kind"], name="notification_once_per_event"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.event_key}"


class Preference(models.Model):
    """What a user receives, per kind of reminder (absent: everything, inbox and e-mail)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    approaching = models.CharField(
        _("Deadline approaching"),
        max_length=16,
        choices=Channel.choices,
        default=Channel.INBOX_EMAIL,
    )
    overdue = models.CharField(
        _("Deadline passed"), max_length=16, choices=Channel.choices, default=Channel.INBOX_EMAIL
    )
    escalated = models.CharField(
        _("Overdue at a lower committee"),
        max_length=16,
        choices=Channel.choices,
        default=Channel.INBOX_EMAIL,
    )

    def __str__(self) -> str:
        return f"{self.user}"

    def channel(self, kind: str) -> str:
        return getattr(self, kind)
