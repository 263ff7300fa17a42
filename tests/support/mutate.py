"""Damage done to copies of the official files the way real mishaps happen, for the mutation suite.

Workbooks are edited in their XML (a cell's cached value, a sheet's name, two rows' labels), so
that everything else — formulas, styles, the other cells — stays as the publisher wrote it.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def copy_tree(raw: Path, dest: Path) -> Path:
    """A raw folder to damage: a real copy (never links: an edit must not reach the original)."""
    shutil.copytree(raw, dest, copy_function=shutil.copyfile)
    for p in [dest, *dest.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    return dest


def sheet_member(z: zipfile.ZipFile, sheet: str | None) -> str:
    """Zip member of a worksheet by name (None: the first)."""
    book = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    for s in book.iter(f"{_NS}sheet"):
        if sheet is None or s.get("name") == sheet:
            target = targets[s.get(f"{_REL}id")]
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    raise KeyError(sheet)


def rewrite(path: Path, edit) -> None:
    """Rewrite a workbook in place: ``edit(name, data) -> data`` is called on every zip member."""
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, edit(info.filename, src.read(info.filename)))
    tmp.replace(path)


def cell_value(path: Path, sheet: str | None, ref: str) -> float:
    with zipfile.ZipFile(path) as z:
        xml = z.read(sheet_member(z, sheet)).decode("utf-8")
    m = re.search(rf'<c r="{ref}"[^>]*>(?:<f[^>]*/>|<f[^>]*>.*?</f>)?<v>([^<]*)</v>', xml)
    return float(m.group(1))


def rewrite_sheet(path: Path, sheet: str | None, edit_xml) -> None:
    """Rewrite one worksheet's XML: ``edit_xml(text) -> text``."""
    with zipfile.ZipFile(path) as z:
        member = sheet_member(z, sheet)
    rewrite(path, lambda name, data: edit_xml(data.decode("utf-8")).encode("utf-8") if name == member else data)


def set_cells(path: Path, sheet: str | None, values: dict[str, float]) -> None:
    """Set the cached values of numeric cells (their formulas, if any, are kept)."""
    def edit(xml):
        for ref, value in values.items():
            pattern = rf'(<c r="{ref}"[^>]*>(?:<f[^>]*/>|<f[^>]*>.*?</f>)?<v>)([^<]*)(</v>)'
            xml, n = re.subn(pattern, lambda m, value=value: m.group(1) + repr(value).removesuffix(".0") + m.group(3),
                             xml, count=1)
            assert n == 1, f"cell {ref} not found"
        return xml

    rewrite_sheet(path, sheet, edit)


def rename_sheet(path: Path, old: str, new: str) -> None:
    def edit(name, data):
        if name == "xl/workbook.xml":
            return data.replace(f'name="{old}"'.encode(), f'name="{new}"'.encode())
        return data

    rewrite(path, edit)


def swap_rows_cells(path: Path, sheet: str | None, a: str, b: str) -> None:
    """Swap the raw XML content (value and type) of two cells, e.g. two labels or two months."""
    def edit(xml):
        pat = r'<c r="{}"([^>]*?)(/>|>(.*?)</c>)'
        ma, mb = re.search(pat.format(a), xml), re.search(pat.format(b), xml)
        if ma is None or mb is None:
            return xml
        new_a = f'<c r="{a}"{mb.group(1)}{mb.group(2)}'
        new_b = f'<c r="{b}"{ma.group(1)}{ma.group(2)}'
        first, second = sorted([(ma, new_a), (mb, new_b)], key=lambda t: t[0].start())
        return (xml[:first[0].start()] + first[1] + xml[first[0].end():second[0].start()] + second[1]
                + xml[second[0].end():])

    rewrite_sheet(path, sheet, edit)


def delete_sheet(path: Path, name: str) -> None:
    """Remove a sheet from the workbook's list (its XML stays, unreferenced, as after a sloppy edit)."""
    def edit(member, data):
        if member == "xl/workbook.xml":
            return re.sub(rf'<sheet name="{name}"[^>]*/>'.encode(), b"", data)
        return data

    rewrite(path, edit)


def drop_member(path: Path, member: str) -> None:
    """Remove one zip member of a workbook (e.g. ``docProps/core.xml``, as some exporters write none)."""
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != member:
                dst.writestr(info, src.read(info.filename))
    tmp.replace(path)
