"""Office files are containers: legacy Office files are OLE2 compound files
(MS-CFB), Office Open XML files are ZIP packages. What kind of document one
is comes from the streams or parts inside it, read with every size and loop
bounded, so a damaged or hostile file cannot exhaust memory or time."""
import struct
import zipfile
from xml.etree import ElementTree

from django.utils.translation import gettext_lazy as _

from records.files.types import DOC, DOCX, PPT, PPTX, XLS, XLSX, ContentNotAllowed

# [Content_Types].xml of a real Office file is a few kB.
MAX_CONTENT_TYPES_BYTES = 1024 * 1024


# --- legacy Office files (OLE2 compound files) --------------------------------

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_MAIN_STREAMS = [("WordDocument", DOC), ("Workbook", XLS), ("Book", XLS), ("PowerPoint Document", PPT)]
_OLE_MACRO_STORAGES = {"Macros", "_VBA_PROJECT_CUR", "VBA", "_VBA_PROJECT"}
_OLE_END_OF_CHAIN = 0xFFFFFFFA  # and above: special sector ids


def detect_ole2(file):
    try:
        names = ole2_entry_names(file)
    except (ValueError, struct.error):
        raise ContentNotAllowed(_("a damaged Office 97-2003 file")) from None
    if "EncryptedPackage" in names:
        raise ContentNotAllowed(_("a password-protected Office document"))
    if names & _OLE_MACRO_STORAGES:
        raise ContentNotAllowed(_("an Office document with macros"))
    for stream, file_type in _OLE_MAIN_STREAMS:
        if stream in names:
            return file_type
    raise ContentNotAllowed(_("a compound file that is not a Word, Excel or PowerPoint document"))


def ole2_entry_names(file):
    """Names in the directory of an OLE2 compound file (MS-CFB), following
    the FAT chain of the directory sectors. Every loop is bounded by the
    file's size, so a damaged or hostile file cannot make it spin."""
    file.seek(0, 2)
    file_size = file.tell()
    file.seek(0)
    header = file.read(512)
    if len(header) < 512 or not header.startswith(OLE2_SIGNATURE):
        raise ValueError("not an OLE2 file")
    sector_shift = struct.unpack_from("<H", header, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise ValueError("bad sector size")
    sector_size = 1 << sector_shift
    max_sectors = file_size // sector_size + 1
    fat_count, directory_start = struct.unpack_from("<II", header, 0x2C)
    difat_start, difat_count = struct.unpack_from("<II", header, 0x44)
    if fat_count > max_sectors or difat_count > max_sectors:
        raise ValueError("bad FAT size")

    def read_sector(sector_id):
        if sector_id >= max_sectors:
            raise ValueError("sector out of range")
        file.seek((sector_id + 1) * sector_size)
        data = file.read(sector_size)
        if len(data) < sector_size:
            raise ValueError("truncated sector")
        return data

    fat_sectors = list(struct.unpack_from("<109I", header, 0x4C))
    sector_id, hops = difat_start, 0
    while sector_id < _OLE_END_OF_CHAIN and hops < difat_count:
        entries = struct.unpack(f"<{sector_size // 4}I", read_sector(sector_id))
        fat_sectors.extend(entries[:-1])
        sector_id, hops = entries[-1], hops + 1
    fat_sectors = fat_sectors[:fat_count]
    per_fat_sector = sector_size // 4

    def next_sector(sector_id):
        index, offset = divmod(sector_id, per_fat_sector)
        if index >= len(fat_sectors):
            raise ValueError("sector outside the FAT")
        return struct.unpack_from("<I", read_sector(fat_sectors[index]), offset * 4)[0]

    names = set()
    sector_id, hops = directory_start, 0
    while sector_id < _OLE_END_OF_CHAIN:
        hops += 1
        if hops > max_sectors:
            raise ValueError("directory chain loops")
        data = read_sector(sector_id)
        for offset in range(0, sector_size, 128):
            entry = data[offset : offset + 128]
            name_length = struct.unpack_from("<H", entry, 0x40)[0]
            if entry[0x42] in (1, 2, 5) and 2 <= name_length <= 64 and name_length % 2 == 0:
                names.add(entry[: name_length - 2].decode("utf-16-le", "replace"))
        sector_id = next_sector(sector_id)
    return names


# --- Office Open XML (zip containers) ----------------------------------------

_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OOXML = "application/vnd.openxmlformats-officedocument."
OOXML_MAIN_TYPES = {
    _OOXML + "wordprocessingml.document.main+xml": DOCX,
    _OOXML + "spreadsheetml.sheet.main+xml": XLSX,
    _OOXML + "presentationml.presentation.main+xml": PPTX,
}
_OOXML_OTHER_MAIN_TYPES = {
    _OOXML + "wordprocessingml.template.main+xml": _("a Word template"),
    _OOXML + "spreadsheetml.template.main+xml": _("an Excel template"),
    _OOXML + "presentationml.template.main+xml": _("a PowerPoint template"),
    _OOXML + "presentationml.slideshow.main+xml": _("a PowerPoint slide show"),
}


def detect_zip(file):
    try:
        with zipfile.ZipFile(file) as archive:
            return _detect_ooxml(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError):
        raise ContentNotAllowed(_("a damaged ZIP file")) from None


def _detect_ooxml(archive):
    names = set(archive.namelist())
    if "mimetype" in names and "[Content_Types].xml" not in names:
        raise ContentNotAllowed(_("an OpenDocument file"))
    try:
        content_type, part = ooxml_main_part(archive)
    except KeyError:
        raise ContentNotAllowed(_("a ZIP archive")) from None
    except ValueError:
        raise ContentNotAllowed(_("a damaged Office document")) from None
    if "macroEnabled" in content_type or any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ContentNotAllowed(_("an Office document with macros"))
    if content_type in _OOXML_OTHER_MAIN_TYPES:
        raise ContentNotAllowed(_OOXML_OTHER_MAIN_TYPES[content_type])
    if content_type not in OOXML_MAIN_TYPES:
        raise ContentNotAllowed(_("a ZIP archive"))
    return OOXML_MAIN_TYPES[content_type]


def ooxml_main_part(archive):
    """(content type, member name) of the main part of an Office Open XML
    package, read from [Content_Types].xml. KeyError: not an OOXML package;
    ValueError: unreadable."""
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise ValueError("[Content_Types].xml is too large")
    data = archive.read(info)
    if b"<!DOCTYPE" in data.upper():
        raise ValueError("a DTD in [Content_Types].xml")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise ValueError(str(error)) from None
    members = set(archive.namelist())
    for override in root.iter(f"{_CONTENT_TYPES_NS}Override"):
        content_type = override.get("ContentType", "")
        if content_type.endswith(".main+xml"):
            part = override.get("PartName", "").lstrip("/")
            if part in members:
                return content_type, part
    raise KeyError("no main part")
