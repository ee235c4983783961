"""Parsing only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ptdv.core.forms import VNDateField


class TargetForm(forms.Form):
    value = forms.IntegerField(label=_("Target (new members)"))
    document_number = forms.CharField(label=_("Document number"), max_length=60)
    document_date = VNDateField(label=_("Document date"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class DocumentForm(forms.Form):
    document_number = forms.CharField(label=_("Document number"), max_length=60)
    document_date = VNDateField(label=_("Document date"))


class TermForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60, required=False)
    start_year = forms.IntegerField(label=_("First year"))
    end_year = forms.IntegerField(label=_("Last year"))
