"""Exports: Excel for every table, PDF for the report. Limited to the user's subtree (the
organization was already resolved within the scope), checked against ``reports.export``,
recorded in the audit log (``reports.export.created``).

A people list longer than ``LONG_EXPORT_ROWS`` is exported by the exchange app's
background Job runner (progress bar, download when ready, closing the page loses
nothing); shorter lists, the statistics tables and the PDF are produced in the request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptdv.access.permissions import has_perm
from ptdv.audit import labels
from ptdv.audit.services import record
from ptdv.people.choices import ETHNIC_GROUPS
from ptdv.people.models import Person
from ptdv.reports.excel import DATE, NUMBER, PERCENT, TEXT, Column, Sheet, workbook_bytes
from ptdv.reports.forms import Params
from ptdv.reports.selectors import INDICATORS, ORG_LISTS

labels.register({"reports.export.created": gettext_lazy("Report exported")})

LONG_EXPORT_ROWS = 1000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ETHNIC_NAMES = dict(ETHNIC_GROUPS)


def _check(request: HttpRequest, params: Params) -> None:
    if not has_perm(request.user, "reports.export", params.org):
        raise PermissionDenied


def _audit(user: Any, params: Params, what: str, rows: int, fmt: str) -> None:
    record(
        action="reports.export.created",
        actor=user,
        org_unit=params.org,
        data={
            "what": what,
            "format": fmt,
            "from": params.period.date_from,
            "to": params.period.date_to,
            "restated": params.restated,
            "rows": rows,
        },
    )


def _heading(title: str, params: Params) -> str:
    return (
        f"{title} — {params.org.name} — "
        f"{params.period.date_from:%d/%m/%Y}–{params.period.date_to:%d/%m/%Y}"
    )


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _filename(stem: str, params: Params, ext: str) -> str:
    return (
        f"{slugify(stem) or 'bao-cao'}-{params.org.code}-"
        f"{params.period.date_from:%Y%m%d}-{params.period.date_to:%Y%m%d}.{ext}"
    )


def people_xlsx(
    request: HttpRequest, params: Params, key: str, qs: QuerySet[Person]
) -> HttpResponse:
    _check(request, params)
    if qs.count() > LONG_EXPORT_ROWS:
        from django.shortcuts import redirect

        from ptdv.core.jobs import job_url, start_job

        job = start_job(
            "reports.export",
            request.user,
            "ptdv.reports.exports.run_people_export",
            {
                "key": key,
                "org": str(params.org.uid),
                "from": params.period.date_from.isoformat(),
                "to": params.period.date_to.isoformat(),
                "restated": params.restated,
            },
        )
        return redirect(job_url(job))
    content, name, rows = people_workbook(request.user, params, key, qs)
    _audit(request.user, params, key, rows, "xlsx")
    return _download(content, name, XLSX)


def run_people_export(ctx: Any) -> None:
    """Job function (exchange runner): the same workbook, built outside the request."""
    from ptdv.reports.selectors import Period, indicator_queryset, org_for

    p = ctx.params
    org = org_for(ctx.user, p["org"])
    params = Params(
        org,
        Period(dt.date.fromisoformat(p["from"]), dt.date.fromisoformat(p["to"])),
        dt.date.fromisoformat(p["to"]),
        bool(p.get("restated")),
    )
    if not has_perm(ctx.user, "reports.export", org):
        raise PermissionDenied
    qs = indicator_queryset(p["key"], org, params.period, restated=params.restated).select_related(
        "org_unit"
    )
    content, name, rows = people_workbook(ctx.user, params, p["key"], qs, progress=ctx.progress)
    _audit(ctx.user, params, p["key"], rows, "xlsx")
    ctx.save_file(name, content)


def people_workbook(
    user: Any, params: Params, key: str, qs: QuerySet[Person], progress: Any = None
) -> tuple[bytes, str, int]:
    reveal = has_perm(user, "people.reveal_citizen_id", params.org)
    title = str(INDICATORS[key].label)
    total = qs.count() if progress else 0
    columns = [
        Column(_("No."), NUMBER, 6),
        Column(_("Full name"), TEXT, 28),
        Column(_("Date of birth"), DATE, 13),
        Column(_("Gender"), TEXT, 8),
        Column(_("Ethnicity"), TEXT, 10),
        Column(_("Religion"), TEXT, 12),
        Column(_("Citizen ID (CCCD)"), TEXT, 16),
        Column(_("Party organization"), TEXT, 34),
        Column(_("Status"), TEXT, 14),
        Column(_("Admission date"), DATE, 13),
        Column(_("Official date"), DATE, 13),
        Column(_("Party card number"), TEXT, 14),
        Column(_("Youth Union member"), TEXT, 8),
        Column(_("Occupation"), TEXT, 20),
    ]
    written = 0

    def rows() -> Iterator[list[Any]]:  # streamed: one row in memory at a time
        nonlocal written
        for i, p in enumerate(qs.iterator(chunk_size=1000), start=1):
            if progress and i % 500 == 0:
                progress(90 * i / max(total, 1), _("Writing rows…"))
            written = i
            yield [
                i,
                p.full_name,
                p.date_of_birth,
                p.get_gender_display(),
                ETHNIC_NAMES.get(p.ethnicity, p.ethnicity),
                p.get_religion_display(),
                (p.citizen_id if reveal else p.masked_citizen_id) or "",
                p.org_unit.name,
                p.get_status_display(),
                p.admitted_on,
                p.official_on,
                p.card_number,
                _("Yes") if p.youth_union_member else "",
                p.get_occupation_display(),
            ]

    sheet = Sheet(_("People"), columns, rows(), heading=_heading(title, params))
    content = workbook_bytes([sheet])
    return content, _filename(title, params, "xlsx"), written


def org_list_xlsx(request: HttpRequest, params: Params, key: str, items: list[Any]) -> HttpResponse:
    _check(request, params)
    title = str(ORG_LISTS[key])
    columns = [
        Column(_("No."), NUMBER, 6),
        Column(_("Code"), TEXT, 16),
        Column(_("Name"), TEXT, 40),
        Column(_("Belongs to"), TEXT, 36),
    ]
    rows = [
        [
            i,
            item.code,
            item.name,
            (item.org_unit.name if hasattr(item, "org_unit") else (item.parent or "")) or "",
        ]
        for i, item in enumerate(items, start=1)
    ]
    for row in rows:
        row[3] = str(row[3])
    content = workbook_bytes([Sheet(title[:31], columns, rows, heading=_heading(title, params))])
    _audit(request.user, params, key, len(rows), "xlsx")
    return _download(content, _filename(title, params, "xlsx"), XLSX)


def statistics_xlsx(request: HttpRequest, params: Params, stats: dict[str, Any]) -> HttpResponse:
    _check(request, params)
    ind = [Column(_("Indicator"), TEXT, 52), Column(_("Number"), NUMBER, 10)]
    pct = [*ind, Column(_("Share of admitted"), PERCENT, 12)]

    def rows(key: str, with_pct: bool = True) -> list[list[Any]]:
        return [[r.label, r.count, r.percent] if with_pct else [r.label, r.count]
                for r in stats[key]]  # fmt: skip

    heading = _heading(_("Statistics"), params)
    by_org_cols = [Column(_("Organization"), TEXT, 40)] + [
        Column(label, NUMBER, 14) for _k, label in stats["by_org_keys"]
    ]
    by_org_rows = [
        [c["org"].name, *(c["counts"][k] for k, _l in stats["by_org_keys"])]
        for c in stats["children"]
    ]
    sheets = [
        Sheet(
            _("Overview"),
            ind,
            rows("main", False)
            + [[stats["previous"].label, stats["previous"].count]]
            + rows("org_lists", False),
            heading,
        ),
        Sheet(
            _("Quality"),
            pct,
            rows("quality")
            + rows("ages")
            + rows("sector")
            + [[_("Average age at admission"), stats["average_age"], None]],
            heading,
        ),  # fmt: skip
        Sheet(_("Occupation"), pct, rows("occupations") + rows("cell_sectors"), heading),
        Sheet(_("By organization"), by_org_cols, by_org_rows, heading),
    ]
    content = workbook_bytes(sheets)
    written = sum(len(cast("list[list[Any]]", s.rows)) for s in sheets)  # lists, built above
    _audit(request.user, params, "statistics", written, "xlsx")
    return _download(content, _filename(_("Statistics"), params, "xlsx"), XLSX)


def _fonts_css() -> str:
    base = Path(__file__).resolve().parent.parent / "static" / "ptdv" / "fonts"
    faces = [
        ("PTDV Serif", "Tinos-Regular.ttf", 400, "normal"),
        ("PTDV Serif", "Tinos-Bold.ttf", 700, "normal"),
        ("PTDV Serif", "Tinos-Italic.ttf", 400, "italic"),
        ("PTDV Sans", "Arimo-Regular.ttf", 400, "normal"),
        ("PTDV Sans", "Arimo-Bold.ttf", 700, "normal"),
    ]
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{(base / name).as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for family, name, weight, style in faces
    )


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(Path(__file__).resolve().parent)).write_pdf()


def article_pdf(request: HttpRequest, params: Params, ctx: dict[str, Any]) -> HttpResponse:
    _check(request, params)
    html = render_to_string(
        "reports/article_pdf.html",
        ctx | {"fonts_css": _fonts_css()},
        request=request,
    )
    content = render_pdf(html)
    _audit(request.user, params, "article", 1, "pdf")
    return _download(content, _filename(_("Report"), params, "pdf"), "application/pdf")


def targets_xlsx(request: HttpRequest, org: Any, label: str, table: dict[str, Any]) -> HttpResponse:
    """The targets table of an organization (itself and its children) for a year/term."""
    if not has_perm(request.user, "reports.export", org):
        raise PermissionDenied
    columns = [
        Column(_("Party organization"), TEXT, 40),
        Column(_("Target"), NUMBER, 10),
        Column(_("Admitted"), NUMBER, 10),
        Column("%", PERCENT, 8),
        Column(_("Assessment"), TEXT, 14),
        Column(_("Forecast"), NUMBER, 10),
        Column(_("Document number"), TEXT, 16),
        Column(_("Document date"), DATE, 13),
    ]
    rows = [
        [
            r.org.name,
            r.value,
            r.actual,
            float(r.percent) if r.percent is not None else None,
            r.status_label,
            r.forecast,
            r.target.document_number if r.target else "",
            r.target.document_date if r.target else None,
        ]
        for r in [table["parent"], *table["children"]]
    ]
    title = _("Admission targets %(period)s") % {"period": label}
    content = workbook_bytes([Sheet(_("Targets"), columns, rows, heading=f"{title} — {org.name}")])
    record(
        action="reports.export.created",
        actor=request.user,
        org_unit=org,
        data={"what": "targets", "format": "xlsx", "period": label, "rows": len(rows)},
    )
    return _download(content, f"chi-tieu-{org.code}-{slugify(label)}.xlsx", XLSX)
