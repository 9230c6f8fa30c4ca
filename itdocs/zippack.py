"""Deterministic zip packages from members compressed once.

``zipfile`` cannot write a member it did not compress itself, so a document rendered a thousand
times would deflate the template's unchanged 340 KB ``styles.xml`` a thousand times. Here a member
is an ``Entry`` — name, CRC, size, deflated bytes — made once and written as is into every
package. The bytes written are the ones ``zipfile`` writes for ``writestr`` on a seekable file
(no data descriptor, UTF-8 flag for non-ASCII names, version 2.0), except that the "made by"
system is always Unix, so a package is the same on every platform.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # 2.0: deflate
_UNIX = 3
_DEFLATED = 8
_UTF8 = 0x800
_LIMIT = (1 << 31) - 1  # beyond this zip64 would be needed; no document comes near it
_MODE = 0o644 << 16


@dataclass(frozen=True)
class Entry:
    """One member, already deflated."""

    name: str
    crc: int
    size: int
    deflated: bytes

    @classmethod
    def of(cls, name: str, data: bytes) -> Entry:
        """Deflate ``data`` as ``zipfile`` does (zlib default level, raw stream)."""
        packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        deflated = packer.compress(data) + packer.flush()
        return cls(name, zlib.crc32(data), len(data), deflated)


def _dos(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


def write(entries: Iterable[Entry], *, date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """A zip archive of ``entries`` in order, every one stamped with ``date_time``."""
    dostime, dosdate = _dos(date_time)
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for entry in entries:
        if entry.size > _LIMIT or len(entry.deflated) > _LIMIT or offset > _LIMIT:
            raise ValueError(f"{entry.name}: too large for a document package")
        try:
            name, flags = entry.name.encode("ascii"), 0
        except UnicodeEncodeError:
            name, flags = entry.name.encode("utf-8"), _UTF8
        sizes = (entry.crc, len(entry.deflated), entry.size, len(name))
        header = _LOCAL.pack(
            b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, dostime, dosdate, *sizes, 0
        )
        chunks += (header, name, entry.deflated)
        central.append(
            _CENTRAL.pack(
                b"PK\x01\x02",
                _VERSION,
                _UNIX,
                _VERSION,
                0,
                flags,
                _DEFLATED,
                dostime,
                dosdate,
                *sizes,
                0,
                0,
                0,
                0,
                _MODE,
                offset,
            )
            + name
        )
        offset += len(header) + len(name) + len(entry.deflated)
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(chunks) + directory + end
