"""Files people send: their real type is found from their content, never their name.

Receipts (rewards) and stories' recordings and materials (impact) each accept some of these
types. A file is stored under a generated name with an extension of ours; the name it was
sent with is kept apart, cleaned, only to show to the people who may see the file.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import PurePath
from typing import IO, Any, NamedTuple

from django.http import FileResponse


class FileType(NamedTuple):
    extension: str
    content_type: str
    label: str


FILE_TYPES: dict[str, FileType] = {
    "jpeg": FileType(".jpg", "image/jpeg", "JPEG"),
    "png": FileType(".png", "image/png", "PNG"),
    "heic": FileType(".heic", "image/heic", "HEIC"),
    "pdf": FileType(".pdf", "application/pdf", "PDF"),
    "mp3": FileType(".mp3", "audio/mpeg", "MP3"),
    "m4a": FileType(".m4a", "audio/mp4", "M4A"),
    "mp4": FileType(".mp4", "video/mp4", "MP4"),
    "wav": FileType(".wav", "audio/wav", "WAV"),
    "ogg": FileType(".ogg", "audio/ogg", "OGG"),
    "webm": FileType(".webm", "video/webm", "WebM"),
    "docx": FileType(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    "pptx": FileType(
        ".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint"
    ),
}

HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"})
AUDIO_MP4_BRANDS = frozenset({b"M4A ", b"M4B "})
VIDEO_MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash", b"3gp4", b"3gp5"}
)


def _office_kind(file: IO[bytes]) -> str | None:
    """A Word or PowerPoint file from the names in its zip directory (nothing inside is unpacked)."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return None


def sniff(file: Any) -> str | None:
    """The type of ``file`` from its first bytes (and a zip's directory): a key of ``FILE_TYPES``, or None."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    kind: str | None = None
    if head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head[4:8] == b"ftyp":
        brand = head[8:12]
        kind = (
            "heic"
            if brand in HEIF_BRANDS
            else "m4a"
            if brand in AUDIO_MP4_BRANDS
            else "mp4"
            if brand in VIDEO_MP4_BRANDS
            else None
        )
    elif head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE6 in (0xE2, 0xE4, 0xE6)):
        kind = "mp3"  # an ID3 tag, or an MPEG audio frame's sync bits with a layer set
    elif head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        kind = "wav"
    elif head.startswith(b"OggS"):
        kind = "ogg"
    elif head.startswith(b"\x1a\x45\xdf\xa3"):
        kind = "webm"
    elif head.startswith(b"PK\x03\x04"):
        kind = _office_kind(file)
        file.seek(0)
    return kind


def kind_of(file: Any, accepted: Iterable[str]) -> str | None:
    """The type of ``file`` if it is one of ``accepted``; None when it is another or none we know."""
    kind = sniff(file)
    return kind if kind is not None and kind in set(accepted) else None


def display_name(name: str) -> str:
    """The sender's file name without any folder or control characters, cut to 255 characters, extension kept."""
    path = PurePath("".join(ch for ch in name.replace("\\", "/") if ch.isprintable()))
    suffix = path.suffix if len(path.suffix) <= 16 else ""
    return path.name if len(path.name) <= 255 else path.name[: 255 - len(suffix)] + suffix


def labels(kinds: Iterable[str]) -> str:
    """The types' names for people, e.g. "PDF, Word, MP3"."""
    return ", ".join(FILE_TYPES[k].label for k in kinds)


def attachment(file: Any, kind: str | None, stem: str) -> FileResponse:
    """A stored file sent only ever as a download, as the type its content is, under a name of ours.

    Never shown in the page: a file that claims to be one thing and is another cannot run
    as a page of this site. Streamed, so a long recording is not read whole.
    """
    found = FILE_TYPES.get(kind or "")
    response = FileResponse(
        file,
        as_attachment=True,
        filename=f"{stem}{found.extension if found else ''}",  # our own name: plain ASCII
        content_type=found.content_type if found else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
