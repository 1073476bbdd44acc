"""Whether a video from a phone carries the place it was filmed.

Phones write the location into MP4/QuickTime/3GP files: `©xyz` (Android, QuickTime)
or `loci` (3GPP) boxes in the movie's user data, the key
`com.apple.quicktime.location.ISO6709` (iPhone), or GPS fields in embedded XMP.
kimsite cannot rewrite videos, so a video with any of them is refused (see
kimsite.pages.sitewide). Only box headers and the `moov` box are read, never the media data.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

VIDEO_SUFFIXES = (".mp4", ".m4v", ".mov", ".qt", ".3gp", ".3g2", ".m4a")
_CONTAINERS = frozenset({b"moov", b"trak", b"udta", b"meta", b"mdia", b"minf", b"edts", b"ilst", b"tref"})
_LOCATION_BOXES = frozenset({b"\xa9xyz", b"loci"})
_LOCATION_TEXT = (b"location.ISO6709", b"GPSLatitude", b"GPSLongitude", b"exif:GPS")
MAX_MOOV = 64 * 1024 * 1024


def looks_like_video(head: bytes, suffix: str) -> bool:
    """An ISO media file (`ftyp` first) or a file named like one."""
    return head[4:8] == b"ftyp" or suffix in VIDEO_SUFFIXES


def has_location(path: str) -> bool:
    """Whether the ISO media / QuickTime file at `path` holds a location (False for anything
    that is no such file)."""
    try:
        with open(path, "rb") as handle:
            for kind, start, size in _boxes(handle, 0, None):
                if kind == b"moov" and size <= MAX_MOOV:
                    handle.seek(start)
                    return _holds_location(handle.read(size))
                if kind == b"moov":
                    return True  # too large to read: assume the worst
                if kind in (b"uuid", b"XMP_", b"meta"):
                    handle.seek(start)
                    payload = handle.read(min(size, MAX_MOOV))
                    if any(text in payload for text in _LOCATION_TEXT):
                        return True
    except OSError:
        return False
    return False


def _boxes(handle: BinaryIO, offset: int, end: int | None):
    """(type, payload start, payload size) of the boxes from `offset` to `end` (or the file's end)."""
    while end is None or offset + 8 <= end:
        handle.seek(offset)
        header = handle.read(8)
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header)
        start = offset + 8
        if size == 1:
            large = handle.read(8)
            if len(large) < 8:
                return
            size = struct.unpack(">Q", large)[0]
            start += 8
        elif size == 0:
            handle.seek(0, 2)
            size = handle.tell() - offset
        if size < start - offset:
            return  # not a box structure
        yield kind, start, size - (start - offset)
        offset += size


def _holds_location(data: bytes, depth: int = 0) -> bool:
    """Walk the boxes inside a container's payload."""
    if any(text in data for text in _LOCATION_TEXT):
        return True
    offset = 0
    while offset + 8 <= len(data) and depth < 12:
        size, kind = struct.unpack(">I4s", data[offset:offset + 8])
        start = offset + 8
        if size == 1 and offset + 16 <= len(data):
            size = struct.unpack(">Q", data[offset + 8:offset + 16])[0]
            start += 8
        elif size == 0:
            size = len(data) - offset
        if size < start - offset or offset + size > len(data):
            return False
        if kind in _LOCATION_BOXES:
            return True
        if kind in _CONTAINERS:
            payload = data[start:offset + size]
            if kind == b"meta" and payload[:4] == b"\x00\x00\x00\x00":
                payload = payload[4:]  # ISO 'meta' is a full box (version and flags first)
            if _holds_location(payload, depth + 1):
                return True
        offset += size
    return False
