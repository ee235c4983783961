"""Every write of training: one function per action, one transaction, validated, audited.

Bulk actions are all-or-nothing: they raise ``BulkError`` listing every failing row and
change nothing.

One module per concern: ``courses`` (course types), ``classes`` (institutions, classes,
sessions), ``enrolment``, ``results`` (attendance and results), ``certificates``; ``base``
holds what they share (audit labels, permission check). Callers import from
``ptdv.training.services`` (its ``__all__``).
"""

from ptdv.training.services.base import ACTIVE_ENROLMENT
from ptdv.training.services.certificates import awareness_validity_months, certificate_issue
from ptdv.training.services.classes import (
    CLASS_EDITABLE,
    SessionSpec,
    class_create,
    class_delete,
    class_transition,
    class_update,
    default_session_dates,
    institution_create,
    session_add,
    session_remove,
    session_update,
)
from ptdv.training.services.courses import (
    COURSE_TYPE_EDITABLE,
    can_configure_course_types,
    course_type_update,
)
from ptdv.training.services.enrolment import (
    enrol_bulk,
    enrolment_accept,
    enrolment_delete,
    enrolment_nominate,
    enrolment_withdraw,
    statuses_on,
)
from ptdv.training.services.results import (
    RESULT_FIELDS,
    ResultRow,
    attendance_record,
    result_record,
    result_restore,
    result_values,
)

__all__ = [
    "ACTIVE_ENROLMENT",
    "COURSE_TYPE_EDITABLE",
    "can_configure_course_types",
    "course_type_update",
    "institution_create",
    "default_session_dates",
    "SessionSpec",
    "class_create",
    "CLASS_EDITABLE",
    "class_update",
    "session_add",
    "session_update",
    "session_remove",
    "class_transition",
    "class_delete",
    "statuses_on",
    "enrol_bulk",
    "enrolment_nominate",
    "enrolment_accept",
    "enrolment_withdraw",
    "enrolment_delete",
    "attendance_record",
    "ResultRow",
    "result_record",
    "RESULT_FIELDS",
    "result_values",
    "result_restore",
    "certificate_issue",
    "awareness_validity_months",
]
