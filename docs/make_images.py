"""Make the pictures the README shows, from real builds of the example brief.

Run from the repository root:  python docs/make_images.py
Needs briefgen installed and poppler's pdftoppm.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
EXAMPLE = ROOT / "inputs" / "islamabad-moscow.yaml"


def page_png(pdf: Path, page: int, target: Path, dpi: int = 70) -> None:
    """Render one page of a PDF to PNG with pdftoppm."""
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png",
                    "-singlefile", str(pdf), str(stem)], check=True)


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is needed (Debian: poppler-utils)", file=sys.stderr)
        return 1
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "example.pdf"
        subprocess.run([sys.executable, "-m", "briefgen", "build", str(EXAMPLE), "-l", "two-page",
                        "-f", "pdf", "-o", str(out), "-q"], check=True)
        page_png(out, 1, IMAGES / "example-page1.png")
    print(f"wrote {IMAGES / 'example-page1.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
