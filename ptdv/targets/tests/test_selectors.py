"""The organization reads of the target pages are scoped: outside the scope → 404."""

import uuid

import pytest
from django.http import Http404

from ptdv.targets import selectors

pytestmark = pytest.mark.django_db


def test_org_get_for_own_subtree(tree, personas):
    assert selectors.org_get_for(personas.district_officer, str(tree.cell.uid)) == tree.cell
    assert selectors.org_get_for(personas.district_officer, None) == tree.district


@pytest.mark.parametrize("uid", ["not-a-uuid", str(uuid.uuid4())])
def test_org_get_for_bad_id_is_404(tree, personas, uid):
    with pytest.raises(Http404):
        selectors.org_get_for(personas.district_officer, uid)


def test_org_get_for_other_subtree_is_404(tree, personas):
    with pytest.raises(Http404):
        selectors.org_get_for(personas.sibling_officer, str(tree.cell.uid))
    with pytest.raises(Http404):
        selectors.org_get_for(personas.cell_secretary, str(tree.other_cell.uid))


def test_children_of_only_those_the_user_may_edit(tree, personas):
    officer = set(selectors.children_of(personas.district_officer, tree.district))
    assert tree.grassroots in officer
    assert not set(selectors.children_of(personas.sibling_officer, tree.district))
    assert not set(selectors.children_of(personas.viewer, tree.district))
