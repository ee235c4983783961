"""Demo step: the district's congress term and yearly admission targets, and this
year's target allocated to its grassroots organizations (through the services)."""

from __future__ import annotations

import datetime as dt

from ptdv.demo.context import DemoContext
from ptdv.organizations.models import OrgUnit
from ptdv.targets import services

YEARLY = {**dict.fromkeys(range(2010, 2021), 140), **dict.fromkeys(range(2021, 2027), 130)}


def run(ctx: DemoContext) -> None:
    district = OrgUnit.objects.filter(code="CD").first()
    if district is None:
        return
    term = services.term_create(actor=ctx.actor, name="2020–2025", start_year=2020, end_year=2025)
    services.target_set(
        actor=ctx.actor,
        org_unit=district,
        term=term,
        value=700,
        document_number="01-NQ/ĐH",
        document_date=dt.date(2020, 8, 20),
        note="Nghị quyết Đại hội Đảng bộ huyện nhiệm kỳ 2020–2025",
        today=ctx.today,
    )
    for year, value in YEARLY.items():
        if year > ctx.today.year:
            continue
        services.target_set(
            actor=ctx.actor,
            org_unit=district,
            year=year,
            value=value,
            document_number=f"{year % 100:02d}-KH/HU",
            document_date=dt.date(year, 1, 15),
            today=ctx.today,
        )
    children = list(OrgUnit.objects.filter(parent=district).order_by("path"))
    if children:
        year = ctx.today.year
        share = YEARLY.get(year, 130) // len(children)
        services.targets_allocate(
            actor=ctx.actor,
            parent=district,
            year=year,
            values=dict.fromkeys(children, share),
            document_number=f"{year % 100:02d}-KH/HU",
            document_date=dt.date(year, 1, 15),
            today=ctx.today,
        )
    ctx.say(f"  chỉ tiêu: nhiệm kỳ 2020–2025 và {len(YEARLY)} năm")
