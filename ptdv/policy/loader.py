"""Load the versioned rule sets (``policies/*.toml``) into frozen ``Policy`` objects.

Each TOML file has ``code``, ``title``, ``effective_from`` and a table ``rules`` whose
entries are ``[rules."<key>"]`` with ``value``, ``source``, ``label`` and an optional
``note``. The keys are those of rules-reference §8; ``FIELD_KEYS`` maps the ones with a
dedicated ``Policy`` attribute, every other key lands in ``Policy.extra``.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Iterable
from pathlib import Path

from ptdv.policy.types import Policy

POLICY_DIR = Path(__file__).resolve().parent / "policies"

LABELS = ("VERIFIED", "VERIFIED (secondary)", "UNCERTAIN")
EDUCATION_LEVELS = ("none", "literate", "primary", "lower_secondary", "upper_secondary")


class PolicyFileError(ValueError):
    """A rule-set file that cannot be used; the message names the file and the key."""


def _int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _ratio(v: object) -> bool:
    return (
        isinstance(v, list)
        and len(v) == 2
        and all(_int(x) for x in v)
        and v[1] > 0
        and v[0] <= v[1]
    )


def _education(v: object) -> bool:
    return v in EDUCATION_LEVELS


# key of the file → (Policy attribute, validator, description of the expected type)
FIELD_KEYS: dict[str, tuple[str, object, str]] = {
    "age.min_months": ("age_min_months", _int, "a non-negative integer"),
    "age.max_months_normal": ("age_max_months", _int, "a non-negative integer"),
    "cert.awareness.validity_months": (
        "cert_awareness_validity_months",
        _int,
        "a non-negative integer",
    ),
    "dossier.stale_after_months": ("dossier_stale_after_months", _int, "a non-negative integer"),
    "introducers.default_count": ("introducers_default_count", _int, "a non-negative integer"),
    "introducers.youth_age_max": ("introducers_youth_age_max", _int, "a non-negative integer"),
    "introducers.min_cowork_months": (
        "introducers_min_cowork_months",
        _int,
        "a non-negative integer",
    ),
    "vote.chi_bo.admission": ("vote_cell_ratio", _ratio, "a ratio [numerator, denominator]"),
    "vote.grassroots.propose": (
        "vote_grassroots_ratio",
        _ratio,
        "a ratio [numerator, denominator]",
    ),
    "vote.upper_btv.decide": ("vote_upper_ratio", _ratio, "a ratio [numerator, denominator]"),
    "vote.upper_btv.strict": ("vote_upper_strict", lambda v: isinstance(v, bool), "true or false"),
    "vote.max_attempts_then_escalate": ("vote_max_attempts", _int, "a non-negative integer"),
    "probation.months": ("probation_months", _int, "a non-negative integer"),
    "deadline.upper_decide_admission_wd": (
        "deadline_decide_admission_wd",
        _int,
        "a non-negative integer",
    ),
    "deadline.upper_decide_recognition_wd": (
        "deadline_decide_recognition_wd",
        _int,
        "a non-negative integer",
    ),
    "deadline.upper_extension_max_wd": (
        "deadline_extension_max_wd",
        _int,
        "a non-negative integer",
    ),
    "deadline.ceremony_wd": ("deadline_ceremony_wd", _int, "a non-negative integer"),
    "deadline.recognition_review_wd": (
        "deadline_recognition_review_wd",
        _int,
        "a non-negative integer",
    ),
    "deadline.member_record_wd": ("deadline_member_record_wd", _int, "a non-negative integer"),
    "chi_bo.min_official_members": ("min_cell_official_members", _int, "a non-negative integer"),
    "education.min_default": ("education_min_default", _education, "an education level"),
    "education.min_special_area": ("education_min_special_area", _education, "an education level"),
    "education.min_village_elder": (
        "education_min_village_elder",
        _education,
        "an education level",
    ),
}

# extra keys that rules.py reads, with their validator (missing → error)
EXTRA_KEYS: dict[str, tuple[object, str]] = {
    "age.max_inclusive": (lambda v: isinstance(v, bool), "true or false"),
    "cert.awareness.valid_on_anniversary": (lambda v: isinstance(v, bool), "true or false"),
    "dossier.stale_kinds": (
        lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "a list of document kinds",
    ),
    "introducers.union_path_members": (_int, "a non-negative integer"),
    "introducers.replacement_exempt": (lambda v: isinstance(v, bool), "true or false"),
    "vote.grassroots.authorised_decide": (_ratio, "a ratio [numerator, denominator]"),
    "deadline.transfer_official_wd": (_int, "a non-negative integer"),
    "deadline.transfer_temporary_wd": (_int, "a non-negative integer"),
    "education.village_elder_requires": (
        lambda v: isinstance(v, str) and bool(v),
        "a non-empty string",
    ),
    "education.village_elder_roles": (
        lambda v: isinstance(v, list) and bool(v) and all(isinstance(x, str) for x in v),
        "a non-empty list of roles",
    ),
    "vote.denominator_exclusions": (
        lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "a list of exclusion categories",
    ),
    "dossier.required_for_admission_decision": (
        lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "a list of document kinds",
    ),
    "dossier.required_for_recognition_decision": (
        lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "a list of document kinds",
    ),
    "consent.required_before": (
        lambda v: v in ("decision", "cell_vote"),
        '"decision" or "cell_vote"',
    ),
}


def parse_policy(text: str, *, name: str = "<policy>") -> Policy:
    """Parse one rule-set file; raise ``PolicyFileError`` naming the file and key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyFileError(f"{name}: not valid TOML: {exc}") from exc

    def fail(msg: str) -> PolicyFileError:
        return PolicyFileError(f"{name}: {msg}")

    code = data.get("code")
    if not isinstance(code, str) or not code:
        raise fail("'code' must be a non-empty string")
    title = data.get("title")
    if not isinstance(title, str) or not title:
        raise fail("'title' must be a non-empty string")
    effective = data.get("effective_from")
    if not isinstance(effective, dt.date) or isinstance(effective, dt.datetime):
        raise fail("'effective_from' must be a date (YYYY-MM-DD)")
    rules = data.get("rules")
    if not isinstance(rules, dict) or not rules:
        raise fail("the table 'rules' is missing or empty")

    values: dict[str, object] = {}
    sources: dict[str, str] = {}
    labels: dict[str, str] = {}
    notes: dict[str, str] = {}
    for key, entry in rules.items():
        if not isinstance(entry, dict) or "value" not in entry:
            raise fail(f"rule '{key}' must be a table with 'value', 'source' and 'label'")
        unknown = set(entry) - {"value", "source", "label", "note"}
        if unknown:
            raise fail(f"rule '{key}' has unknown field(s): {', '.join(sorted(unknown))}")
        source = entry.get("source")
        if not isinstance(source, str) or not source.strip():
            raise fail(f"rule '{key}' needs a non-empty 'source' (legal citation)")
        label = entry.get("label")
        if label not in LABELS:
            raise fail(f"rule '{key}': 'label' must be one of {', '.join(LABELS)}")
        note = entry.get("note", "")
        if not isinstance(note, str):
            raise fail(f"rule '{key}': 'note' must be a string")
        values[key] = entry["value"]
        sources[key] = source.strip()
        labels[key] = label
        notes[key] = note

    kwargs: dict[str, object] = {}
    for key, (attr, check, expected) in FIELD_KEYS.items():
        if key not in values:
            raise fail(f"rule '{key}' is missing")
        value = values[key]
        if not check(value):  # type: ignore[operator]
            raise fail(f"rule '{key}' must be {expected}, got {value!r}")
        kwargs[attr] = tuple(value) if isinstance(value, list) else value
    for key, (check, expected) in EXTRA_KEYS.items():
        if key not in values:
            raise fail(f"rule '{key}' is missing")
        if not check(values[key]):  # type: ignore[operator]
            raise fail(f"rule '{key}' must be {expected}, got {values[key]!r}")
    if kwargs["age_min_months"] > kwargs["age_max_months"]:  # type: ignore[operator]
        raise fail("'age.min_months' is greater than 'age.max_months_normal'")
    mapped = set(FIELD_KEYS)
    extra = {
        k: (tuple(v) if isinstance(v, list) else v) for k, v in values.items() if k not in mapped
    }
    return Policy(
        code=code,
        title=title,
        effective_from=effective,
        sources=sources,
        extra=extra,
        values=values,
        labels=labels,
        notes=notes,
        **kwargs,  # type: ignore[arg-type]
    )


def load_file(path: Path) -> Policy:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyFileError(f"{path.name}: cannot be read: {exc}") from exc
    return parse_policy(text, name=path.name)


def load_dir(directory: Path) -> list[Policy]:
    """Every rule set of ``directory``, oldest first; codes and dates must be unique."""
    policies = sorted(
        (load_file(p) for p in sorted(directory.glob("*.toml"))), key=lambda p: p.effective_from
    )
    if not policies:
        raise PolicyFileError(f"{directory}: no rule-set file (*.toml)")
    _check_unique(policies)
    return policies


def _check_unique(policies: Iterable[Policy]) -> None:
    codes: set[str] = set()
    dates: set[dt.date] = set()
    for p in policies:
        if p.code in codes:
            raise PolicyFileError(f"two rule sets have the code {p.code!r}")
        if p.effective_from in dates:
            raise PolicyFileError(f"two rule sets take effect on {p.effective_from.isoformat()}")
        codes.add(p.code)
        dates.add(p.effective_from)


@functools.cache
def _policies() -> tuple[Policy, ...]:
    return tuple(load_dir(POLICY_DIR))


def all_policies() -> list[Policy]:
    """Every rule set, oldest first (cached for the life of the process)."""
    return list(_policies())


def policy_on(day: dt.date) -> Policy:
    """The rule set in force on ``day``; the oldest one also covers earlier dates."""
    if isinstance(day, dt.datetime):
        day = day.date()
    policies = _policies()
    chosen = policies[0]
    for p in policies:
        if p.effective_from <= day:
            chosen = p
    return chosen


def policy_by_code(code: str) -> Policy:
    for p in _policies():
        if p.code == code:
            return p
    raise KeyError(f"no rule set with code {code!r}")


def clear_cache() -> None:
    _policies.cache_clear()
