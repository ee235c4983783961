"""Thin views: access (scoped selector) → parse (form) → act (service) → respond.

By page family: ``lists`` (cases, to-do, backlog), ``case_page`` (the case page),
``case_steps`` (taking a step, opening a case), ``documents`` (the papers), ``sources``
(the source lists). Routes name the modules (``urls.py``)."""

from ptdv.admissions.views.documents import DOCUMENTS as DOCUMENTS
from ptdv.admissions.views.documents import document_context as document_context
from ptdv.admissions.views.lists import todo_rows as todo_rows
