"""The import wizard, exports and templates. Thin views: access → parse → act → respond."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ptdv.access.gate import gate, require_perm
from ptdv.access.permissions import has_perm_anywhere
from ptdv.core.errors import DomainError
from ptdv.core.http import AuthenticatedRequest, form_error_messages
from ptdv.core.jobs import job_url, start_job
from ptdv.exchange import exporter, legacy, reader, services
from ptdv.exchange.forms import ExportForm, UploadForm, mapping_form
from ptdv.exchange.models import ImportKind
from ptdv.exchange.selectors import (
    batch_get_for,
    batches_visible_to,
    export_units_for,
    import_units_for,
)
from ptdv.exchange.vocab import KIND_ALIASES


@gate("exchange.import", "exchange.export")
def index(request: HttpRequest) -> HttpResponse:
    can_import = has_perm_anywhere(request.user, "exchange.import")
    can_export = has_perm_anywhere(request.user, "exchange.export")
    return render(
        request,
        "exchange/index.html",
        {
            "upload_form": UploadForm(units=import_units_for(request.user)) if can_import else None,
            "export_form": ExportForm(units=export_units_for(request.user)) if can_export else None,
            "batches": batches_visible_to(request.user).select_related("org_unit", "user")[:20],
            "kinds": ImportKind.choices,
            "can_merge": has_perm_anywhere(request.user, "exchange.merge"),
        },
    )


TEMPLATE_NAMES = {
    "people": "mau-nhap-nguoi.xlsx",
    "sources": "mau-nhap-nguon.xlsx",
    "enrolments": "mau-nhap-lop-hoc.xlsx",
    "restructuring": "mau-sap-xep-to-chuc.xlsx",
}


def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    kind = KIND_ALIASES.get(kind, kind)
    if kind not in dict(ImportKind.choices):
        raise Http404  # no such template: missing, not forbidden
    data = exporter.build_template(kind)
    name = TEMPLATE_NAMES.get(kind, "mau-nhap-to-chuc-dang.xlsx")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@gate("exchange.import")
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES, units=import_units_for(request.user))
    if form.is_valid():
        try:
            batch = services.batch_create_from_upload(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                org_unit=form.cleaned_data["org"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("exchange:batch", batch.uid)
    return render(
        request,
        "exchange/index.html",
        {
            "upload_form": form,
            "export_form": None,
            "batches": batches_visible_to(request.user)[:20],
            "kinds": ImportKind.choices,
        },
        status=400,
    )


def batch_detail(request: HttpRequest, uid: str) -> HttpResponse:
    batch = batch_get_for(user=request.user, uid=uid)
    report = batch.report or {}
    form = mapping_form(
        batch.kind,
        batch.headers,
        batch.mapping,
        encodings=report.get("encodings"),
        override=report.get("encoding_override"),
    )
    confirmed = set(batch.confirmed_rows or [])
    return render(
        request,
        "exchange/batch.html",
        {
            "batch": batch,
            "form": form,
            "columns": _columns(batch, form),
            "report": report,
            "problems": report.get("problems", []),
            "matches": [m | {"checked": m["row"] in confirmed} for m in report.get("matches", [])],
            "summary": services.summary_text(batch.created_count, batch.updated_count),
        },
    )


def _columns(batch: Any, form: Any) -> list[dict[str, Any]]:
    """The rows of the column table: the field chosen, and for a column with non-ASCII
    text its encoding (detected and chosen) with a few texts before → after."""
    report = batch.report or {}
    detected = report.get("encodings") or {}
    effective = reader.effective_encodings(detected, report.get("encoding_override"))
    labels = dict(ENCODING_LABELS)
    out = []
    for i, _header in enumerate(batch.headers):
        info = detected.get(str(i))
        row: dict[str, Any] = {"field": form[f"col_{i}"]}
        if info is not None:
            enc = effective.get(i, legacy.AUTO)
            row |= {
                "encoding": form[f"enc_{i}"],
                "detected": labels.get(info.get("encoding", ""), ""),
                "samples": [(s, reader.text_of(s, enc)) for s in info.get("samples", [])],
            }
        out.append(row)
    return out


ENCODING_LABELS = (
    ("unicode", "Unicode"),
    ("tcvn3", "TCVN3 (ABC)"),
    ("vni", "VNI"),
)


@require_POST
def batch_mapping(request: HttpRequest, uid: str) -> HttpResponse:
    batch = batch_get_for(user=request.user, uid=uid)
    report = batch.report or {}
    form = mapping_form(
        batch.kind,
        batch.headers,
        batch.mapping,
        data=request.POST,
        encodings=report.get("encodings"),
        override=report.get("encoding_override"),
    )
    if form.is_valid():
        mapping = {
            name.removeprefix("col_"): value
            for name, value in form.cleaned_data.items()
            if value and name.startswith("col_")
        }
        encodings = {
            name.removeprefix("enc_"): value
            for name, value in form.cleaned_data.items()
            if name.startswith("enc_")
        }
        try:
            services.batch_set_mapping(
                actor=request.user, batch=batch, mapping=mapping, encodings=encodings
            )
            job = services.start_preview(actor=request.user, batch=batch)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("exchange:batch", batch.uid)
        return redirect(job_url(job))
    return redirect("exchange:batch", batch.uid)


@require_POST
def batch_commit(request: HttpRequest, uid: str) -> HttpResponse:
    batch = batch_get_for(user=request.user, uid=uid)
    confirmed = [int(r) for r in request.POST.getlist("confirm") if r.isdigit()]
    # the matches shown in the form: an unticked one was decided a new person
    shown = {int(r) for r in request.POST.getlist("decided") if r.isdigit()}
    try:
        job = services.start_commit(
            actor=request.user,
            batch=batch,
            confirmed=confirmed,
            new_rows=sorted(shown - set(confirmed)),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("exchange:batch", batch.uid)
    return redirect(job_url(job))


@require_POST
def batch_undo(request: HttpRequest, uid: str) -> HttpResponse:
    batch = batch_get_for(user=request.user, uid=uid)
    try:
        services.batch_undo(actor=request.user, batch=batch)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The import was undone."))
    return redirect("exchange:batch", batch.uid)


@gate("exchange.export")
@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST, units=export_units_for(request.user))
    if not form.is_valid():
        errors = form_error_messages(form)
        messages.error(
            request, " ".join(errors) or _("Choose the data and the organization to export.")
        )
        return redirect("exchange:index")
    org = form.cleaned_data["org"]
    require_perm(request.user, "exchange.export", org)
    job = start_job(
        "exchange.export",
        request.user,
        "ptdv.exchange.exporter.export_job",
        {
            "kind": form.cleaned_data["kind"],
            "org": str(org.uid),
            "at": str(timezone.now()),
            "from": form.cleaned_data["date_from"].isoformat(),
            "to": form.cleaned_data["date_to"].isoformat(),
        },
    )
    return redirect(job_url(job))


def tokens(request: AuthenticatedRequest) -> HttpResponse:
    """The user's API tokens: create (the key is shown once) and revoke."""
    from ptdv.access.models import ApiToken
    from ptdv.access.permissions import has_perm_anywhere
    from ptdv.exchange.tokens import token_create

    can_create = has_perm_anywhere(request.user, "exchange.api_token")
    new_key = None
    if request.method == "POST":
        if not can_create:
            # a token acts as its user; a read-only leader (or an account without a position)
            # gets none from the page, the only place tokens are made
            raise PermissionDenied
        try:
            _token, new_key = token_create(actor=request.user, name=request.POST.get("name", ""))
        except DomainError as exc:
            messages.error(request, exc.message)
    items = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(
        request,
        "exchange/tokens.html",
        {"tokens": items, "new_key": new_key, "can_create": can_create},
    )


@require_POST
def token_revoke(request: AuthenticatedRequest, uid: str) -> HttpResponse:
    from ptdv.access.models import ApiToken
    from ptdv.exchange.tokens import token_revoke as revoke

    token = ApiToken.objects.filter(user=request.user, uid=uid).first()
    if token is None:
        raise Http404
    revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("exchange:tokens")


FIELD_LABELS = {
    "education_general": "Trình độ học vấn",
    "education_professional": "Trình độ chuyên môn",
    "political_theory": "Lý luận chính trị",
    "occupation": "Nghề nghiệp",
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
}


@gate("exchange.import")
def value_aliases(request: HttpRequest) -> HttpResponse:
    """The ways of writing list values the imports read (built-in and added by users);
    a user who imports may add one or remove one added before."""
    from ptdv.exchange import vocab
    from ptdv.exchange.models import ValueAlias

    if request.method == "POST":
        try:
            if request.POST.get("delete"):
                alias = ValueAlias.objects.filter(uid=request.POST["delete"]).first()
                if alias is None:
                    raise Http404
                services.value_alias_delete(actor=request.user, alias=alias)
                messages.success(request, _("The spelling was removed."))
            else:
                field, _sep, value = request.POST.get("target", "").partition(":")
                services.value_alias_add(
                    actor=request.user, field=field, text=request.POST.get("text", ""), value=value
                )
                messages.success(request, _("The spelling was added: it is read in every import."))
        except (DomainError, ValidationError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("exchange:values")
    groups = [
        (
            FIELD_LABELS[f],
            [(f"{f}:{v}", label) for v, (label, _aliases) in vocab.VALUE_LISTS[f].items()],
        )
        for f in vocab.EXTENSIBLE
    ]
    added = [
        {
            "alias": a,
            "column": FIELD_LABELS.get(a.field, a.field),
            "value": vocab.label(a.field, a.value),
        }
        for a in ValueAlias.objects.select_related("created_by")
    ]
    builtin = [
        (FIELD_LABELS[f], label, ", ".join(aliases))
        for f in ("education_general", "education_professional", "occupation")
        for _v, (label, aliases) in vocab.VALUE_LISTS[f].items()
        if aliases
    ]
    return render(
        request,
        "exchange/values.html",
        {"groups": groups, "added": added, "builtin": builtin},
    )
