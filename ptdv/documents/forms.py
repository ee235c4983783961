from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    body_html = forms.CharField(
        label=_("Template (HTML with Django template tags)"),
        widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false", "class": "code"}),
        strip=False,
    )
    note = forms.CharField(label=_("Note on this change"), max_length=255, required=False)
    docx_file = forms.FileField(label=_("DOCX template (optional, docxtpl)"), required=False)
    remove_docx = forms.BooleanField(label=_("Stop using the uploaded DOCX"), required=False)
