"""Whether the bytes of a picture file look whole: they begin and end as every file of its
format does. `.kimsite/images/` and `.kimsite/cards/` are state a user, a full disk or a restored
CI cache can damage, and what is read from them is published as it is; a file cut short, emptied
or replaced by other bytes is made again instead. (A check of a few bytes: reading the picture
itself would cost milliseconds for each of them.)"""

from __future__ import annotations

from kimsite.base.file_rules import picture_format


def looks_whole(data: bytes, name: str) -> bool:
    """`data`, the content of a file called `name`, begins and ends as its format (by the name's
    extension, as kimsite.base.file_rules knows them) requires. Formats without such marks
    (TIFF, AVIF) need only be non-empty."""
    fmt = picture_format(name)
    if fmt == "JPEG":
        return len(data) > 4 and data.startswith(b"\xff\xd8\xff") and data.endswith(b"\xff\xd9")
    if fmt == "PNG":
        return data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")
    if fmt == "WEBP":
        return (len(data) >= 12 and data.startswith(b"RIFF") and data[8:12] == b"WEBP"
                and int.from_bytes(data[4:8], "little") == len(data) - 8)
    if fmt == "GIF":
        return data.startswith((b"GIF87a", b"GIF89a")) and data.endswith(b";")
    if fmt == "BMP":
        return len(data) >= 6 and data.startswith(b"BM") and int.from_bytes(data[2:6], "little") == len(data)
    return bool(data)
