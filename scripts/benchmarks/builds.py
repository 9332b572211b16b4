"""The release build against the HTML-only build of the same checkout, side by side in one run.

A copy of the project is built, taking turns, `repeat` times each way:
- HTML only: `properdocs build` with TOOLBOX_PDF=off (pages, search index, open data);
- release, cold: every PDF laid out (the PDF cache off);
- rebuild after one card's text changed: the cache warm from the previous build, then one sentence added to
  one card's text in one language, as an editor's pull request would.
The fastest run of each counts (a shared virtual machine's timings vary by a fifth from run to run).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PARTS = ("mkdocs.yml", "docs", "overrides", "scripts", "formats")


def _build(project: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "properdocs", "build", "--quiet", "-f", "mkdocs.yml"], cwd=project,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _edit_one_card(project: Path, turn: int) -> None:
    card = sorted(p for p in (project / "formats").iterdir() if (p / "de.md").is_file())[0]
    text = card / "de.md"
    text.write_text(text.read_text(encoding="utf-8") + f"\nEin weiterer Satz für die Messung ({turn}).\n",
                    encoding="utf-8")


def run(root: Path, echo: Callable[[str], None], repeat: int = 3) -> dict[str, float]:
    times: dict[str, list[float]] = {"HTML only": [], "release, cold": [], "rebuild after one card's text": []}
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp) / "project"
        project.mkdir()
        for part in PARTS:
            (shutil.copytree if (root / part).is_dir() else shutil.copy2)(root / part, project / part)
        for turn in range(repeat):
            times["HTML only"].append(_build(project, {"TOOLBOX_PDF": "off"}))
            times["release, cold"].append(_build(project, {"TOOLBOX_PDF_CACHE": "off"}))
            _build(project, {})  # the cache warm, as after the last merge
            _edit_one_card(project, turn)
            times["rebuild after one card's text"].append(_build(project, {}))
    html = min(times["HTML only"])
    echo(f"{'build':<32} {'runs (s)':<24} {'fastest':>8} {'× HTML':>7}")
    figures = {}
    for name, runs in times.items():
        figures[name] = min(runs)
        echo(f"{name:<32} {', '.join(f'{t:.1f}' for t in runs):<24} {min(runs):>8.1f} {min(runs) / html:>7.2f}")
    release, rebuild = figures["release, cold"] / html, figures["rebuild after one card's text"] / html
    echo(f"goals: release ≤ 7 × HTML only: {release:.2f}; rebuild after one card's text ≤ 3 × HTML only: {rebuild:.2f}")
    return figures
