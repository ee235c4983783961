"""Django's default tags and filters minus those a document template must not have
(``{% debug %}`` prints the context and loaded modules, ``{% load %}`` adds libraries,
``{% url %}`` and ``{% csrf_token %}`` have no place on paper, ``|pprint`` prints reprs).
The documents engine uses this library instead of Django's defaults (see ``engine.py``)."""

from __future__ import annotations

from django import template
from django.template import defaultfilters, defaulttags

from ptdv.documents.sandbox import FORBIDDEN_FILTERS, FORBIDDEN_TAGS

register = template.Library()
register.tags.update(
    {name: tag for name, tag in defaulttags.register.tags.items() if name not in FORBIDDEN_TAGS}
)
register.filters.update(
    {
        name: flt
        for name, flt in defaultfilters.register.filters.items()
        if name not in FORBIDDEN_FILTERS
    }
)
