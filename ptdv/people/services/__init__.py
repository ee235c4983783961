"""Writes to the registry. Every function: one transaction, validated, audited.

By concern: ``persons`` (one person's record), ``membership`` (dated events and the periods
derived from them), ``bulk`` (many people at once: the import, generated data),
``relatives`` (background form 2-KNĐ), ``removal`` (what was recorded by mistake taken
back: an import undone).
"""

from ptdv.people.services.bulk import NewPerson as NewPerson
from ptdv.people.services.bulk import people_create_many as people_create_many
from ptdv.people.services.bulk import people_create_valid as people_create_valid
from ptdv.people.services.membership import EVENT_FIELDS as EVENT_FIELDS
from ptdv.people.services.membership import build_periods as build_periods
from ptdv.people.services.membership import membership_event_add as membership_event_add
from ptdv.people.services.membership import periods_recut as periods_recut
from ptdv.people.services.membership import refresh_membership as refresh_membership
from ptdv.people.services.persons import PERSON_FIELDS as PERSON_FIELDS
from ptdv.people.services.persons import StaleEditError as StaleEditError
from ptdv.people.services.persons import person_create as person_create
from ptdv.people.services.persons import person_reveal_citizen_id as person_reveal_citizen_id
from ptdv.people.services.persons import person_update as person_update
from ptdv.people.services.relatives import RELATIVE_FIELDS as RELATIVE_FIELDS
from ptdv.people.services.relatives import relative_add as relative_add
from ptdv.people.services.relatives import relative_remove as relative_remove
from ptdv.people.services.removal import membership_events_withdraw as membership_events_withdraw
from ptdv.people.services.removal import person_delete as person_delete
