"""Transfers of party activity (chuyển sinh hoạt đảng) and exemption from activity
(miễn sinh hoạt đảng). Models live in ``people.models``; see ``ptdv/people/README.md``."""
