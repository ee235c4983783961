"""Training pages: class list and calendar, class page (roster, attendance grid, results,
certificates), nomination from a list, Excel export, certificate printing.

Thin views: access (selector) → parse (form) → act (service) → respond. One module per
page family: ``lists``, ``classes`` (create, page, status, edit, sessions), ``course_types``,
``roster`` (nominate, accept, withdraw, attendance, results, issue), ``printing``; ``common``
holds what they share. ``urls.py`` names each view by its module."""
