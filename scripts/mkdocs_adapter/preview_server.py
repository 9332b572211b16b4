"""For `properdocs serve`: a missing page answers in the language of its address.

The preview server shows the site's root 404.html (German) for every missing address. The build writes a 404
page per language (`<lang>/404.html`); this picks the one of the address's language.
"""

from __future__ import annotations

import threading
from pathlib import Path


def answer_in_language(server, site_dir: Path):
    request = threading.local()
    serve_request, mount = server.serve_request, server.mount_path

    def remember_path(environ, start_response):
        request.path = environ.get("PATH_INFO", "")
        return serve_request(environ, start_response)

    def error_page(code: int) -> bytes | None:
        path = getattr(request, "path", "").removeprefix(mount).lstrip("/")
        first = path.split("/", 1)[0]
        page = site_dir / first / f"{code}.html" if first else None
        if page is None or not first.isalpha() or not page.is_file():
            page = site_dir / f"{code}.html"
        return page.read_bytes() if page.is_file() else None

    server.set_app(remember_path)
    server.error_handler = error_page
    return server
