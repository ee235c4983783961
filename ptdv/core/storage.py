"""Where uploaded and generated files are kept (scans of dossier papers, export results,
uploaded workbooks, DOCX templates).

No URL serves this directory: ``url()`` refuses, and every file is fetched through a view
that checks the requester may see its subject and audits the download
(``ptdv.audit.files.file_response``). Stored names are random (192 bits), so a name seen
once (in a log, a backup listing) tells nothing about the others and cannot be guessed;
only the extension of the original name is kept. The name shown to the user on download is
chosen by the view.
"""

from __future__ import annotations

import posixpath
import re
import secrets
from os import PathLike

from django.core.files.storage import FileSystemStorage

_EXT = re.compile(r"\.[a-z0-9]{1,10}")


def random_name(filename: str) -> str:
    """``exchange/jobs/2026/12/Danh sách.xlsx`` → ``exchange/jobs/2026/12/<random>.xlsx``."""
    dirname, base = posixpath.split(filename.replace("\\", "/"))
    ext = posixpath.splitext(base)[1].lower()
    if not _EXT.fullmatch(ext):
        ext = ""
    return posixpath.join(dirname, secrets.token_urlsafe(24) + ext)


class PrivateStorage(FileSystemStorage):
    """``MEDIA_ROOT`` with random names and no public URL."""

    def generate_filename(self, filename: str | PathLike[str]) -> str:
        return super().generate_filename(random_name(str(filename)))

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        # also when code calls storage.save() directly with a readable name
        return super().get_available_name(random_name(name), max_length)

    def get_alternative_name(self, file_root: str, file_ext: str) -> str:
        return random_name(file_root + file_ext)

    def url(self, name: str | None) -> str:
        raise ValueError(
            "Stored files have no public URL: serve them through a view that checks the "
            "requester's scope (ptdv.audit.files.file_response)."
        )
