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


@pytest.mark.django_db
def test_vacuum_analyze_inside_a_transaction_falls_back_to_analyze(tree: object) -> None:
    assert connection.in_atomic_block  # the test's own transaction: VACUUM cannot run
    dbstats.vacuum_analyze()  # no error; the statistics are refreshed as by analyze
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", ["organizations_orgunit"])
            assert c.fetchone()[0] >= 1


@pytest.mark.django_db(transaction=True)
def test_vacuum_analyze_after_a_bulk_load_marks_the_tables_vacuumed(tree: object) -> None:
    assert not connection.in_atomic_block
    dbstats.vacuum_analyze()
    if connection.vendor != "postgresql":
        return  # SQLite: ANALYZE only (checked above)
    with connection.cursor() as c:
        c.execute(
            "SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL "
            "FROM pg_stat_user_tables WHERE relname = %s",
            ["organizations_orgunit"],
        )
        assert c.fetchone() == (True, True)
