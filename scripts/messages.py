"""Regenerate every app's catalogs and fail on an untranslated or fuzzy Vietnamese entry.

python scripts/messages.py           # update catalogs (vi, en) and check vi
python scripts/messages.py --check   # only check; exit 1 on a missing translation
python scripts/messages.py --compile # compile .mo files
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# makemessages loads the settings: the development settings need no secret key
os.environ.setdefault("DEBUG", "1")

ROOT = Path(__file__).resolve().parent.parent / "ptdv"
APPS = sorted(p.parent for p in ROOT.glob("*/apps.py"))
MANAGE = [
    sys.executable,
    "-P",
    "-m",
    "ptdv.manage",
]  # -P: an app's selectors.py must not shadow the stdlib


def update() -> None:
    for app in APPS:
        (app / "locale").mkdir(exist_ok=True)
        for lang in ("vi", "en"):
            subprocess.run(
                [*MANAGE, "makemessages", "-l", lang, "--no-obsolete", "--no-location", "-v", "0"],
                cwd=app,
                check=True,
            )
        en = app / "locale/en/LC_MESSAGES/django.po"
        if en.exists():
            subprocess.run(["msgen", "--no-wrap", "-o", str(en), str(en)], check=True)


def _msgids(po_text: str) -> list[str]:
    """The msgids of a catalog's entries (a multi-line msgid — ``msgid ""`` followed by
    string lines — included; the header, whose msgid is empty, left out)."""
    ids = []
    for block in po_text.split("\n\n"):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if not line.startswith("msgid "):
                continue
            parts = [line[len("msgid ") :]]
            parts += [ln for ln in lines[i + 1 :] if ln.startswith('"')][: _cont(lines, i)]
            text = "".join(p.strip()[1:-1] for p in parts)
            if text:
                ids.append(f'msgid "{text}"')
            break
    return ids


def _cont(lines: list[str], i: int) -> int:
    """How many string lines continue the msgid at ``lines[i]``."""
    n = 0
    for ln in lines[i + 1 :]:
        if not ln.startswith('"'):
            break
        n += 1
    return n


def check() -> int:
    problems = 0
    for po in sorted(ROOT.glob("*/locale/vi/LC_MESSAGES/django.po")):
        out = subprocess.run(
            ["msgattrib", "--untranslated", "--no-obsolete", str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        fuzzy = subprocess.run(
            ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for label, text in (("untranslated", out), ("fuzzy", fuzzy)):
            ids = _msgids(text)
            if ids:
                problems += len(ids)
                print(f"{po.relative_to(ROOT.parent)}: {len(ids)} {label}:")
                for line in ids[:20]:
                    print("   ", line)
    return problems


def compile_all() -> None:
    """msgfmt every catalog (apps without a locale/ directory are skipped)."""
    for po in sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)


if __name__ == "__main__":
    if "--compile" in sys.argv:
        compile_all()
        sys.exit(0)
    if "--check" not in sys.argv:
        update()
    n = check()
    if n:
        print(f"{n} Vietnamese entries need a translation (edit the .po files above).")
        sys.exit(1)
    print("Vietnamese catalogs complete.")
