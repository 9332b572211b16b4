"""What a tagged PDF of the toolbox must hold together, read with pikepdf: the checks of the booklet that is
laid out in two parts and joined (tests/test_pdf_engine.py), against the PDF specification's rules for tagged PDF
(ISO 32000-1, 14.7 and 14.8) and qpdf's own check of the file."""

from __future__ import annotations

import io
import re
from collections import Counter

import pikepdf
from pikepdf import Array, Dictionary, Name

MCID = re.compile(rb"/MCID\s+(\d+)")


def _marked_content_ids(page: pikepdf.Page) -> list[int]:
    return [int(number) for number in MCID.findall(page.obj.Contents.read_bytes()
                                                   if not isinstance(page.obj.Contents, Array)
                                                   else b"".join(c.read_bytes() for c in page.obj.Contents))]


def structure_problems(data: bytes) -> list[str]:
    """Every way in which `data` breaks the rules of a tagged PDF that a screen reader relies on (empty if none)."""
    problems: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        problems += [f"qpdf: {problem}" for problem in pdf.check_pdf_syntax()]
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        root = pdf.Root
        if root.get("/MarkInfo", {}).get("/Marked") is not True or "/Lang" not in root or "/Metadata" not in root:
            problems.append("the catalog lacks /MarkInfo /Marked, /Lang or /Metadata")
        tree = root.StructTreeRoot
        nums = tree.ParentTree.Nums
        parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        if len(parent_tree) * 2 != len(nums):
            problems.append("a number appears twice in the parent tree")

        # Every structure element: its parent is the element above it, its page is a page of this file.
        seen: Counter = Counter()

        def walk(element, parent) -> None:
            if isinstance(element, Array):
                for kid in element:
                    walk(kid, parent)
                return
            if not isinstance(element, Dictionary) or element.get("/Type") in (Name.MCR, Name.OBJR):
                return
            seen[element.objgen] += 1
            if element.get("/P") is None or element.P.objgen != parent.objgen:
                problems.append(f"{element.get('/S')} element's /P is not the element above it")
            if "/Pg" in element and element.Pg.objgen not in pages:
                problems.append(f"{element.get('/S')} element's /Pg is not a page of the file")
            if "/K" in element:
                walk(element.K, element)

        walk(tree.K, tree)
        if any(count > 1 for count in seen.values()):
            problems.append("a structure element is in the tree twice")

        # Each page's marked content: its /StructParents leads to the elements holding each MCID, on this page.
        numbers_used: Counter = Counter()
        for index, page in enumerate(pdf.pages):
            ids = _marked_content_ids(page)
            if not ids:
                continue
            key = page.obj.get("/StructParents")
            if key is None or int(key) not in parent_tree:
                problems.append(f"page {index + 1} has marked content but no entry in the parent tree")
                continue
            numbers_used[int(key)] += 1
            elements = parent_tree[int(key)]
            for mcid in ids:
                if mcid >= len(elements):
                    problems.append(f"page {index + 1}: MCID {mcid} has no element in the parent tree")
                    continue
                element = elements[mcid]
                if element.objgen not in seen:
                    problems.append(f"page {index + 1}: MCID {mcid}'s element is not in the structure tree")
                if element.get("/Pg") is None or element.Pg.objgen != page.obj.objgen:
                    problems.append(f"page {index + 1}: MCID {mcid}'s element is on another page")
            for annotation in page.obj.get("/Annots", Array()):
                key = annotation.get("/StructParent")
                if key is None or int(key) not in parent_tree:
                    problems.append(f"page {index + 1}: a link has no entry in the parent tree")
                    continue
                numbers_used[int(key)] += 1
                link = parent_tree[int(key)]
                if not isinstance(link, Dictionary):
                    problems.append(f"page {index + 1}: a link's number leads to no structure element")
                    continue
                objects = [k for k in (link.K if isinstance(link.K, Array) else [link.K])
                           if isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR]
                if link.get("/S") != Name.Link or not any(o.Obj.objgen == annotation.objgen for o in objects):
                    problems.append(f"page {index + 1}: a link's element is no /Link holding it")
        if any(count > 1 for count in numbers_used.values()):
            problems.append("two pages or links share a number of the parent tree")

        # Named destinations sorted, each on a page of the file; every internal link leads to one.
        dests = destinations(pdf)
        names = [str(n) for n in root.Names.Dests.Names[0::2]] if "/Names" in root else []
        if names != sorted(names, key=lambda n: n.encode("utf-8")) or len(set(names)) != len(names):
            problems.append("the named destinations are not sorted, or a name is there twice")
        for index, page in enumerate(pdf.pages):
            for annotation in page.obj.get("/Annots", Array()):
                if "/Dest" in annotation and str(annotation.Dest) not in dests:
                    problems.append(f"page {index + 1}: a link leads to “{annotation.Dest}”, which is no destination")
    return problems


def destinations(pdf: pikepdf.Pdf) -> dict[str, int]:
    """Each named destination's page (0-based)."""
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return {}
    flat = pdf.Root.Names.Dests.Names
    return {str(flat[i]): pages[flat[i + 1][0].objgen] for i in range(0, len(flat), 2)}


def outline(pdf: pikepdf.Pdf) -> list[tuple[int, str, int]]:
    """The bookmarks in order: (depth, title, page index)."""
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    entries: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            entries.append((depth, item.title, pages[item.destination[0].objgen]))
            walk(item.children, depth + 1)

    with pdf.open_outline() as tree:
        walk(tree.root, 0)
    return entries


def links(pdf: pikepdf.Pdf) -> list[list[str]]:
    """Each page's links: the destination's name, or the address."""
    return [[str(a.Dest) if "/Dest" in a else str(a.A.URI) for a in page.obj.get("/Annots", Array())]
            for page in pdf.pages]


def struct_types(pdf: pikepdf.Pdf) -> list[str]:
    """The structure tree's element types in reading order."""
    types: list[str] = []

    def walk(element):
        if isinstance(element, Array):
            for kid in element:
                walk(kid)
        elif isinstance(element, Dictionary) and "/S" in element:
            types.append(str(element.S))
            if "/K" in element:
                walk(element.K)

    walk(pdf.Root.StructTreeRoot.K)
    return types
