"""The card pipeline: card files → load → validate → render (per language) → site pages and PDF.

Plain Python, independent of MkDocs; `scripts/mkdocs_adapter/` hands the rendered pages to MkDocs.
"""
