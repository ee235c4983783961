from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ptdv.access.gate import gate
from ptdv.core.errors import DomainError
from ptdv.documents import selectors, services
from ptdv.documents.forms import TemplateForm
from ptdv.documents.render import (
    CONTENT_TYPES,
    document_filename,
    html_to_pdf,
    render_document,
    render_html_source,
)

PERM = services.PERM


@gate(PERM)
def template_list(request: HttpRequest) -> HttpResponse:
    return render(request, "documents/template_list.html", {"rows": selectors.template_rows()})


@gate(PERM)
def template_edit(request: HttpRequest, code: str) -> HttpResponse:
    row = selectors.template_row(code)
    if request.method == "POST":
        return _edit_post(request, row)
    body = selectors.current_body(row)
    loaded = ""
    if request.GET.get("version", "").isdigit():
        old = selectors.template_version(row, int(request.GET["version"]))
        if old is not None:
            body, loaded = old.body_html, _("version %(n)s") % {"n": old.version}
    elif request.GET.get("default"):
        body, loaded = selectors.default_body(code), _("the shipped default")
    form = TemplateForm(initial={"name": row.name, "body_html": body})
    return _edit_page(request, row, form, loaded=loaded)


def _edit_page(
    request: HttpRequest, row: selectors.TemplateRow, form: TemplateForm, **extra: object
) -> HttpResponse:
    return render(
        request,
        "documents/template_edit.html",
        {
            "row": row,
            "form": form,
            "versions": selectors.template_versions(row),
            "keys": {**_common_keys(), **row.spec.keys},
            **extra,
        },
        status=400 if form.errors else 200,
    )


def _common_keys() -> dict[str, str]:
    from ptdv.documents.registry import COMMON_KEYS

    return COMMON_KEYS


def _edit_post(request: HttpRequest, row: selectors.TemplateRow) -> HttpResponse:
    action = request.POST.get("action", "save")
    if action == "reset":
        services.template_reset(code=row.code, actor=request.user)
        messages.success(request, _("The shipped default template is in use again."))
        return redirect("documents:template_edit", code=row.code)
    form = TemplateForm(request.POST, request.FILES)
    if not form.is_valid():
        return _edit_page(request, row, form)
    body = form.cleaned_data["body_html"]
    try:
        if action == "preview":
            services.template_check(row.code, body)
            html = render_html_source(body, row.code, selectors.sample_context(row.code))
            response = HttpResponse(html_to_pdf([html]), content_type=CONTENT_TYPES["pdf"])
            response["Content-Disposition"] = 'inline; filename="xem-truoc.pdf"'
            return response
        upload = form.cleaned_data.get("docx_file")
        docx = (upload.name, upload.read()) if upload else None
        saved = services.template_save(
            code=row.code,
            body_html=body,
            actor=request.user,
            name=form.cleaned_data.get("name") or "",
            note=form.cleaned_data.get("note") or "",
            docx=docx,
            remove_docx=form.cleaned_data.get("remove_docx") or False,
        )
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _edit_page(request, row, form)
    messages.success(
        request, _("Template saved as version %(version)s.") % {"version": saved.version}
    )
    return redirect("documents:template_edit", code=row.code)


@gate(PERM)
def template_sample(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The template in use, rendered with its sample context."""
    row = selectors.template_row(code)
    if fmt not in CONTENT_TYPES:
        from django.http import Http404

        raise Http404
    ctx = selectors.sample_context(row.code)
    response = HttpResponse(render_document(row.code, ctx, fmt), content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="{document_filename(row.code, ctx, fmt)}"'
    )
    return response
