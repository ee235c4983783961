"""Positions: user × organization × role × term. Roles map to named permissions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ptdv.core.models import PublicIdModel


class Role(models.TextChoices):
    ORG_BOARD = "org_board", _("Organization board")
    TRAINING_CENTRE = "training_centre", _("Political centre")
    COMMITTEE = "committee", _("Grassroots / cell committee")
    LEADER = "leader", _("Leader (read-only)")


class Position(PublicIdModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="positions"
    )
    org_unit = models.ForeignKey(
        "organizations.OrgUnit",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    title = models.CharField(_("title"), max_length=120, blank=True)
    term_start = models.DateField(_("term start"), default=dt.date(2020, 1, 1))
    term_end = models.DateField(_("term end"), null=True, blank=True)

    class Meta:
        ordering = ["user", "org_unit__path"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.org_unit}"

    def is_active_on(self, day: dt.date) -> bool:
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)


class ApiToken(PublicIdModel):
    """A token for the REST API, tied to a user and therefore to its positions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=120)
    key_hash = models.CharField(max_length=128, unique=True)
    prefix = models.CharField(max_length=12)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginAttempt(models.Model):
    """One log-in attempt (password or second factor), for throttling per account and per
    address. A refused attempt during a lockout is not recorded (it would extend the lock)."""

    username = models.CharField(max_length=150, db_index=True)  # lower-cased as typed
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)
    succeeded = models.BooleanField(default=False)
    step = models.CharField(max_length=16, default="password")  # password | totp

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} {self.address} {self.at:%Y-%m-%d %H:%M} {self.succeeded}"


class AccountProfile(models.Model):
    """What PTĐV keeps about an account beyond Django's user: the forced password change
    and the second factor (TOTP)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_profile"
    )
    must_change_password = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_enabled_at = models.DateTimeField(null=True, blank=True)
    totp_last_step = models.BigIntegerField(null=True, blank=True)  # a code is used once

    def __str__(self) -> str:
        return f"{self.user}"

    @property
    def totp_enabled(self) -> bool:
        return bool(self.totp_secret and self.totp_enabled_at)
