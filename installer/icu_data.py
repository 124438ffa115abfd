"""ICU's data, trimmed to what the product can reach: a smaller ``libicudata.so.NN`` for the Linux bundle.

Every binary of the bundle together calls 31 ICU functions, all from libQt6Core (``objdump -T``
over the bundle, ICU 73 in PySide6 6.12): collation (``ucol_*``: QCollator, hence the file
dialog's sorting of Chinese names), converters (``ucnv_*``: QStringConverter for encodings Qt has
no code of its own for, such as GB18030, GBK and Big5), case mapping by locale
(``u_strToUpper``/``u_strToLower``) and time zones (``ucal_open``, ``ucal_getCanonicalTimeZoneID``,
``ucal_getTimeZoneDisplayName``). Nothing calls a break iterator (``ubrk_*`` or the C++ API): Qt
breaks lines and words, Chinese included, with its own Unicode tables. Yet the library carries
the data of every locale, converter, transliterator and break dictionary ICU has: 32 MB, the
largest file of the bundle.

Kept: the locales the product speaks (``root``, ``zh*``, ``yue*``, ``en*``) in every tree that
collation and time-zone names read (main, collation, zones, currencies, languages, regions,
units, number spell-out), every non-locale item those need (Unicode properties, normalization,
collation's base table, likely subtags, plural rules, time-zone rules and names, the converter
alias table…), the Chinese converters with the tables they extend, and the small single-byte
ones (Latin, Windows, DOS, Mac code pages). Dropped: the other locales (they fall back to
``root``, as ICU does for any locale it has no data for), the transliterators, the break rules and
dictionaries, character names (``unames.icu``), StringPrep profiles (``*.spp``), the spoof
checker's table (``*.cfu``), and the Japanese, Korean and EBCDIC multi-byte converters: no
function the bundle calls reads any of them. The installer test runs Qt's collation, converters,
case mapping and time-zone names with the original data and the trimmed data, and compares.

The package inside the library (symbol ``icudtNN_dat``, ICU's ``CmnD`` common-data format: a
header, a table of contents sorted by name, the items at 16-byte boundaries) is rewritten here in
Python (for the same list of items, byte for byte what ICU's ``icupkg -r`` writes), and the
library is rebuilt with binutils (``as``, ``ld``, which PyInstaller needs anyway) with the same
SONAME and the one exported symbol; the original has no symbol versions and no dependency.
"""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

LOCALES = ("root", "zh", "yue", "en")  # yue: zh_Hant_HK's number spell-out falls back to it
#: Converters kept by name (GB18030, GBK = windows-936, GB2312 = EUC-CN, Big5 = windows-950), with
#: the base tables they extend (found in their data, see kept_converters).
CONVERTERS = ("gb18030", "windows-936-2000", "ibm-1386_P100-2001", "ibm-1383_P110-1999", "windows-950-2000",
              "ibm-950_P110-1999")  # fmt: skip
#: Single-byte code pages are under this size (a 256-entry table); multi-byte ones are far larger.
SMALL_CONVERTER = 5000
DROPPED_TREES = ("translit", "brkitr")
DROPPED_KINDS = (".spp", ".cfu")
DROPPED_ITEMS = ("unames.icu",)

_LOCALE = re.compile(r"^([a-z]{2,3})(?:_[A-Za-z0-9]*)*\.res$")  # de_.res too (an alias)
PAD = b"\xaa"  # what ICU's own tools fill gaps with
_HEADER = struct.Struct("<HBB")  # headerSize, magic1, magic2


def read_package(data: bytes) -> tuple[bytes, dict[str, bytes]]:
    """(header, {name: item}) of an ICU common-data package (little-endian, as on x86_64)."""
    header_size, magic1, magic2 = _HEADER.unpack_from(data, 0)
    if (magic1, magic2) != (0xDA, 0x27):
        raise ValueError("not ICU data")
    if data[12:16] != b"CmnD" or data[8] != 0:  # UDataInfo: isBigEndian at 8, dataFormat at 12
        raise ValueError("not a little-endian ICU common-data package")
    count = struct.unpack_from("<I", data, header_size)[0]
    entries = [struct.unpack_from("<II", data, header_size + 4 + 8 * i) for i in range(count)]
    names = []
    for name_offset, _ in entries:
        start = header_size + name_offset
        names.append(data[start : data.index(b"\0", start)].decode("ascii"))
    offsets = [header_size + data_offset for _, data_offset in entries] + [len(data)]
    items = {name: data[offsets[i] : offsets[i + 1]] for i, name in enumerate(names)}
    return data[:header_size], items


def write_package(header: bytes, items: dict[str, bytes]) -> bytes:
    """The package bytes: header, table of contents (sorted by name, as ICU's binary search
    expects), names, then each item at a 16-byte boundary."""
    names = sorted(items)
    toc_size = 4 + 8 * len(names)
    name_bytes = b"".join(n.encode("ascii") + b"\0" for n in names)
    name_offsets, offset = [], toc_size
    for n in names:
        name_offsets.append(offset)
        offset += len(n) + 1
    body_start = (toc_size + len(name_bytes) + 15) // 16 * 16
    toc, body, data_offsets = [struct.pack("<I", len(names))], bytearray(), []
    for n in names:
        data_offsets.append(body_start + len(body))
        body += items[n]
        body += PAD * (-len(body) % 16)
    toc += [struct.pack("<II", no, do) for no, do in zip(name_offsets, data_offsets, strict=True)]
    table = b"".join(toc) + name_bytes
    return header + table + PAD * (body_start - len(table)) + bytes(body)


def wanted(name: str) -> bool:
    """Whether an item (``icudt73l/coll/zh.res``) is kept, converters aside."""
    path = name.split("/", 1)[1]
    tree, _, file = path.rpartition("/")
    if tree in DROPPED_TREES or file.endswith(DROPPED_KINDS) or path in DROPPED_ITEMS:
        return False
    locale = _LOCALE.match(file)
    if locale and file != "res_index.res":
        return file == "root.res" or locale.group(1) in LOCALES
    return True


def _bases(data: bytes, converters: dict[str, bytes]) -> set[str]:
    """The converters a converter extends: an extension-only table names its base table in its data."""
    return {other for other in converters if b"\0" + other.encode("ascii") + b"\0" in data}


def kept_converters(converters: dict[str, bytes]) -> set[str]:
    """CONVERTERS with the tables they extend, and every small single-byte table that stands alone
    (a small extension of a multi-byte table not kept would only fail to open)."""
    kept = {c for c in CONVERTERS if c in converters}
    todo = list(kept)
    while todo:
        for base in _bases(converters[todo.pop()], converters) - kept:
            kept.add(base)
            todo.append(base)
    for name, data in converters.items():
        if (
            len(data) < SMALL_CONVERTER
            and not name.startswith("icu-internal")
            and not _bases(data, converters) - {name}
        ):
            kept.add(name)
    return kept


def trim(items: dict[str, bytes]) -> dict[str, bytes]:
    """The items kept (see the module's docstring)."""
    converters = {_converter(n): d for n, d in items.items() if n.endswith(".cnv")}
    chosen = kept_converters(converters)
    return {n: d for n, d in items.items() if (_converter(n) in chosen if n.endswith(".cnv") else wanted(n))}


def _converter(name: str) -> str:
    return name.rsplit("/", 1)[-1].removesuffix(".cnv")


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def package_of(library: Path) -> tuple[str, bytes]:
    """(the exported symbol, the package bytes) of an ICU data library, read with objdump."""
    symbols = re.findall(
        r"^([0-9a-f]+)\s.*\s([0-9a-f]+)\s+(?:Base\s+)?(icudt\d+_dat)$", _run("objdump", "-T", str(library)), re.M
    )
    if len(symbols) != 1:
        raise ValueError(f"{library}: no single icudtNN_dat symbol ({symbols})")
    address, size, symbol = int(symbols[0][0], 16), int(symbols[0][1], 16), symbols[0][2]
    # objdump -h: "idx name size vma lma file-offset align"
    for line in _run("objdump", "-h", str(library)).splitlines():
        fields = line.split()
        if len(fields) == 7 and fields[0].isdigit():
            length, vma, offset = int(fields[2], 16), int(fields[3], 16), int(fields[5], 16)
            if vma <= address and address + size <= vma + length:
                start = offset + address - vma
                return symbol, library.read_bytes()[start : start + size]
    raise ValueError(f"{library}: {symbol} is in no section")


def soname(library: Path) -> str:
    return re.search(r"^\s*SONAME\s+(\S+)", _run("objdump", "-p", str(library)), re.M).group(1)


def trimmed_library(original: Path, workdir: Path) -> Path:
    """A copy of ICU's data library holding only the kept items: the same SONAME, the same one
    exported symbol, no dependency (as the original)."""
    symbol, data = package_of(original)
    header, items = read_package(data)
    workdir.mkdir(parents=True, exist_ok=True)
    package = workdir / f"{symbol}.dat"
    package.write_bytes(write_package(header, trim(items)))
    source, obj, out = workdir / f"{symbol}.s", workdir / f"{symbol}.o", workdir / original.name
    source.write_text(
        f"\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n{symbol}:\n"
        f'\t.incbin "{package}"\n\t.size {symbol}, . - {symbol}\n\t.section .note.GNU-stack,"",@progbits\n',
        encoding="utf-8",
    )
    _run("as", "-o", str(obj), str(source))
    _run(
        "ld", "-shared", "-soname", soname(original), "-z", "noexecstack", "--hash-style=gnu", "-o", str(out), str(obj)
    )
    return out
