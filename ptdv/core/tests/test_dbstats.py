"""Bulk loads leave fresh planner statistics: ``dbstats.analyze`` works on the engine in
use, for every table or for the tables named."""

from __future__ import annotations

import pytest
from django.db import connection

from ptdv.core import dbstats
from ptdv.organizations.models import OrgUnit
from ptdv.people.models import Person


@pytest.mark.django_db
def test_analyze_every_table_and_named_tables(tree: object) -> None:
    dbstats.analyze()
    dbstats.analyze([Person, OrgUnit])
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", ["organizations_orgunit"])
        else:
            c.execute(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname = %s "
                "AND (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)",
                ["organizations_orgunit"],
            )
        assert c.fetchone()[0] >= 1
