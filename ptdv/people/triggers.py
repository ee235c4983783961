"""The people app's triggers as the project's ``flush`` sees them (discovered through
``ptdv.core.registry.app_modules("triggers")``): the member flows' triggers are off while
the database is wiped — otherwise deleting the periods after their flows would leave
flows of periods that no longer exist — and the flows are recomputed (empty) after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, transaction

from ptdv.people import flows


@contextmanager
def suspended(using: str = "default") -> Iterator[None]:
    connection = connections[using]
    with transaction.atomic(using=using):
        flows.remove(connection)
        yield
        flows.install(connection)
        flows.rebuild(connection)
