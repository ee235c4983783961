from __future__ import annotations

import uuid

from django.db import models


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
