"""Two tagged PDFs of WeasyPrint's, laid out as the two parts of one booklet, joined into one (with pikepdf).

pipeline.pdf lays a changed booklet out in two parts at once, one per core. Appending the second part's pages
is not enough for a tagged PDF: its structure tree (what screen readers read), the numbers that tie each
page's marked content and each link to that tree, its named destinations (where links and the contents lead)
and its outline (bookmarks) have to become the first part's. This module does that, for the PDFs WeasyPrint
writes (PDF/UA-1: one Document element, a flat parent tree, a flat name tree of destinations):

- the second part's pages follow the first part's; their /StructParents and their links' /StructParent move
  past the first part's numbers, and its parent tree's entries follow the first part's;
- the second part's top-level structure elements become children of the first part's Document element;
- the named destinations are one sorted list, each name leading where its anchor really is: a part's empty
  anchors for the other part's targets (its "stubs", see print_edition.BookletPart) give way to the real ones,
  and their empty structure elements are dropped;
- the second part's bookmarks follow the first part's (a part begins with a chapter or a theme, which are
  top-level bookmarks, so the outline's tree is the two trees one after the other).

Pages, fonts and images are copied by qpdf (pikepdf), which keeps one copy of each object of the second part
and points the structure tree at the copied pages.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf

__all__ = ["JoinError", "join_parts"]


class JoinError(Exception):
    """A part is not shaped as WeasyPrint's tagged PDFs are (the booklet is then laid out in one piece)."""


def _document_element(pdf: Pdf) -> Dictionary:
    root = pdf.Root.get("/StructTreeRoot")
    kids = root.get("/K") if root is not None else None
    if isinstance(kids, Array) and len(kids) == 1:
        kids = kids[0]
    if not isinstance(kids, Dictionary) or kids.get("/S") != Name.Document or not isinstance(kids.get("/K"), Array):
        raise JoinError("no Document element at the root of the structure tree")
    return kids


def _parent_tree(pdf: Pdf) -> Array:
    tree = pdf.Root.StructTreeRoot.get("/ParentTree")
    nums = tree.get("/Nums") if isinstance(tree, Dictionary) else None
    if not isinstance(nums, Array) or "/Kids" in tree or len(nums) % 2:
        raise JoinError("the parent tree is not one flat list of numbers")
    return nums


def _destinations(pdf: Pdf) -> dict[str, object]:
    names = pdf.Root.get("/Names")
    dests = names.get("/Dests") if isinstance(names, Dictionary) else None
    if dests is None:
        return {}
    flat = dests.get("/Names")
    if not isinstance(flat, Array) or "/Kids" in dests or len(flat) % 2:
        raise JoinError("the named destinations are not one flat list")
    found: dict[str, object] = {}
    for index in range(0, len(flat), 2):
        found.setdefault(str(flat[index]), flat[index + 1])
    return found


def _has_content(element: object) -> bool:
    """Whether a structure element holds any marked content or annotation (a stub's empty Div holds none)."""
    if isinstance(element, int):  # a marked-content number
        return True
    if isinstance(element, Array):
        return any(_has_content(kid) for kid in element)
    if isinstance(element, Dictionary):
        if element.get("/Type") in (Name.MCR, Name.OBJR):
            return True
        return "/K" in element and _has_content(element.K)
    return False


def _drop_stubs(document: Dictionary, stubs: int) -> None:
    """Remove the part's stubs — its last `stubs` top-level elements, empty Divs — from the structure tree."""
    kids = document.K
    if stubs > len(kids):
        raise JoinError("fewer structure elements than stubs")
    for kid in list(kids)[len(kids) - stubs:]:
        if kid.get("/S") != Name.Div or _has_content(kid):
            raise JoinError("a stub's structure element is not an empty Div")
    del kids[len(kids) - stubs:]


def _bookmarks(items: Iterable[OutlineItem], page_index: dict[tuple[int, int], int]) -> list[tuple]:
    """The outline as (title, page index, place on the page, closed, children), pages by their index."""
    tree = []
    for item in items:
        destination = item.destination
        if not isinstance(destination, Array) or len(destination) < 2:
            raise JoinError(f"bookmark “{item.title}” has no explicit destination")
        page = page_index[destination[0].objgen]
        tree.append((item.title, page, list(destination[1:]), item.is_closed,
                     _bookmarks(item.children, page_index)))
    return tree


def _outline_items(tree: list[tuple], pdf: Pdf, offset: int) -> list[OutlineItem]:
    items = []
    for title, page, place, closed, children in tree:
        item = OutlineItem(title, destination=Array([pdf.pages[page + offset].obj, *place]))
        item.is_closed = closed
        item.children.extend(_outline_items(children, pdf, offset))
        items.append(item)
    return items


def join_parts(first: bytes, second: bytes, first_stubs: Iterable[str], second_stubs: Iterable[str]) -> bytes:
    """The two parts as one tagged PDF (first part's catalog, metadata and language); `*_stubs` are the
    anchors each part has only as an empty stand-in for the other part's (its last top-level elements). A name
    only a stub has (its anchor is gone) is no destination: no link leads to it (pipeline.pdf checks that)."""
    first_stubs, second_stubs = tuple(first_stubs), tuple(second_stubs)
    with Pdf.open(io.BytesIO(first)) as pdf, Pdf.open(io.BytesIO(second)) as other:
        document, other_document = _document_element(pdf), _document_element(other)
        nums, other_nums = _parent_tree(pdf), _parent_tree(other)
        offset = max((int(nums[i]) for i in range(0, len(nums), 2)), default=-1) + 1
        dests, other_dests = _destinations(pdf), _destinations(other)
        page_index = {page.obj.objgen: index for index, page in enumerate(other.pages)}
        with other.open_outline() as outline:
            other_bookmarks = _bookmarks(outline.root, page_index)
        _drop_stubs(document, len(first_stubs))
        _drop_stubs(other_document, len(second_stubs))

        # Pages first: qpdf copies each object of `other` once, so what is copied after them points at them.
        count = len(pdf.pages)
        with warnings.catch_warnings():  # that extend() leaves the named destinations behind: they follow below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            pdf.pages.extend(other.pages)
        for page in pdf.pages[count:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", Array()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        for index in range(0, len(other_nums), 2):
            nums.append(int(other_nums[index]) + offset)
            nums.append(_copy(pdf, other, other_nums[index + 1]))
        for kid in other_document.K:
            copied = _copy(pdf, other, kid)
            copied.P = document
            document.K.append(copied)
        # WeasyPrint leaves some elements (NonStruct) out of their parent's /K, reachable from the parent tree
        # only: those whose parent is the second part's Document element now have the first part's.
        other_copy = pdf.copy_foreign(other_document).objgen
        for index in range(len(nums) - len(other_nums) + 1, len(nums), 2):
            for element in nums[index] if isinstance(nums[index], Array) else [nums[index]]:
                while isinstance(element, Dictionary) and isinstance(element.get("/P"), Dictionary):
                    if element.P.objgen == other_copy:
                        element.P = document
                        break
                    element = element.P

        # One list of destinations, each name where its anchor really is.
        joined = {name: dest for name, dest in dests.items() if name not in first_stubs}
        for name, dest in other_dests.items():
            if name not in joined and name not in second_stubs:
                joined[name] = _copy(pdf, other, dest)
        flat = Array()
        for name in sorted(joined, key=lambda n: n.encode("utf-8")):
            flat.append(pikepdf.String(name))
            flat.append(joined[name])
        if flat:
            pdf.Root.Names = pdf.Root.get("/Names", Dictionary())
            pdf.Root.Names.Dests = pdf.make_indirect(Dictionary(Names=flat))

        with pdf.open_outline() as outline:
            outline.root.extend(_outline_items(other_bookmarks, pdf, count))

        out = io.BytesIO()
        # In object streams, as WeasyPrint writes them (the copied objects are not in one yet).
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _copy(pdf: Pdf, source: Pdf, value):
    """An object of the other part, copied into `pdf` with what it refers to. qpdf copies only indirect objects:
    a direct array or dictionary (which may hold references) is made indirect in its own file for the copy."""
    if isinstance(value, (Array, Dictionary)):
        return pdf.copy_foreign(value if value.is_indirect else source.make_indirect(value))
    return value
