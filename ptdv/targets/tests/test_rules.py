from decimal import Decimal

import pytest

from ptdv.core.errors import DomainError
from ptdv.targets import rules
from ptdv.targets.rules import Pipeline


@pytest.mark.parametrize(
    ("actual", "target", "percent", "status"),
    [
        (0, 10, Decimal("0.0"), rules.BEHIND),
        (5, 10, Decimal("50.0"), rules.BEHIND),
        (10, 10, Decimal("100.0"), rules.MET),
        (11, 10, Decimal("110.0"), rules.EXCEEDED),
        (1, 3, Decimal("33.3"), rules.BEHIND),
        (2, 3, Decimal("66.7"), rules.BEHIND),
        (0, 0, None, rules.MET),
        (3, 0, None, rules.EXCEEDED),
        (4, None, None, rules.NO_TARGET),
        (1574, 1540, Decimal("102.2"), rules.EXCEEDED),
    ],
)
def test_percent_and_status(actual, target, percent, status):
    assert rules.percent(actual, target) == percent
    assert rules.status(actual, target) == status


@pytest.mark.parametrize(
    ("actual", "pipeline", "expected"),
    [
        (0, Pipeline(), 0),
        (10, Pipeline(), 10),
        (10, Pipeline(in_class=10), 13),  # 0.3 × 10
        (10, Pipeline(at_vote=10), 17),  # 0.7 × 10
        (10, Pipeline(decision_pending=10), 19),  # 0.9 × 10
        (0, Pipeline(in_class=1, at_vote=1, decision_pending=1), 2),  # 1.9 → 2
        (0, Pipeline(in_class=1), 0),  # 0.3 → 0
        (0, Pipeline(in_class=5), 2),  # 1.5 → 2 (half up)
        (100, Pipeline(in_class=20, at_vote=10, decision_pending=5), 118),  # 6+7+4.5=17.5
    ],
)
def test_forecast(actual, pipeline, expected):
    assert rules.forecast(actual, pipeline) == expected


@pytest.mark.parametrize(
    ("parent", "children", "new", "ok"),
    [
        (10, [], 10, True),
        (10, [3, 3], 4, True),
        (10, [3, 3], 5, False),
        (None, [100], 100, True),  # no parent target: no ceiling
        (0, [], 0, True),
        (0, [], 1, False),
        (10, [], -1, False),
    ],
)
def test_allocation(parent, children, new, ok):
    if ok:
        rules.check_allocation(
            parent_value=parent, children_values=children, new_value=new, parent_name="X"
        )
    else:
        with pytest.raises(DomainError):
            rules.check_allocation(
                parent_value=parent, children_values=children, new_value=new, parent_name="X"
            )


@pytest.mark.parametrize(
    ("new", "children_total", "ok"), [(10, 10, True), (9, 10, False), (0, 0, True), (-1, 0, False)]
)
def test_parent_not_below_children(new, children_total, ok):
    if ok:
        rules.check_parent_not_below_children(new_value=new, children_total=children_total)
    else:
        with pytest.raises(DomainError):
            rules.check_parent_not_below_children(new_value=new, children_total=children_total)
