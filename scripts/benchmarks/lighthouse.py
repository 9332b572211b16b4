"""Lighthouse (mobile, simulated throttling) on the built site: the four scores of each page type and language.

Lighthouse comes from npm into .cache/lighthouse (installed offline with Debian's chromium and chromedriver);
the site is built with SITE_URL pointing at a local server that compresses like real hosting does.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import os
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline.project import PROJECT

LIGHTHOUSE_VERSION = "12.8.2"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {"home": "", "catalog": "formats/", "card": "formats/reform-your-basement/", "chapter": "setting-up/"}
COMPRESSED = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a static host would: text compressed with gzip."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in COMPRESSED and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(path.read_bytes())
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return _Body(body)
        return super().send_head()


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@contextlib.contextmanager
def _server(site: Path, port: int) -> Iterator[str]:
    handler = functools.partial(_GzipHandler, directory=str(site))
    with socketserver.ThreadingTCPServer(("127.0.0.1", port), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            server.shutdown()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def lighthouse_bin(root: Path) -> Path:
    """Lighthouse from npm, installed once into .cache/lighthouse."""
    prefix = root / ".cache" / "lighthouse"
    binary = prefix / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        env = {**os.environ, "CHROMEDRIVER_FILEPATH": "/usr/bin/chromedriver", "PUPPETEER_SKIP_DOWNLOAD": "1"}
        subprocess.run(["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--loglevel=error",
                        f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True, env=env)
    return binary


def run(root: Path, languages: list[str], echo: Callable[[str], None]) -> dict[str, dict[str, int]]:
    """Build the site, serve it, and print Lighthouse's four scores for every page type and language."""
    binary = lighthouse_bin(root)
    port = _free_port()
    scores: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory() as temp:
        site = Path(temp) / "site"
        env = {**os.environ, "SITE_URL": f"http://127.0.0.1:{port}/", "NO_MKDOCS_2_WARNING": "1"}
        echo("Building the site …")
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)], cwd=root,
                       env=env, check=True)
        with _server(site, port) as base:
            echo(f"{'page':<16}" + "".join(f"{c:>16}" for c in CATEGORIES))
            for lang in languages:
                for name, path in PAGES.items():
                    report = Path(temp) / "report.json"
                    address = base + PROJECT.languages.prefix(lang) + path
                    subprocess.run([str(binary), address, "--quiet", "--output=json",
                                    f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}",
                                    f"--chrome-flags={CHROME_FLAGS}"],
                                   env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True)
                    categories = json.loads(report.read_text())["categories"]
                    row = {c: round(categories[c]["score"] * 100) for c in CATEGORIES}
                    scores[f"{lang} {name}"] = row
                    echo(f"{lang + ' ' + name:<16}" + "".join(f"{row[c]:>16}" for c in CATEGORIES))
    return scores
