"""Make the pictures the README shows, from real builds of the example brief (and of the
80-item stress brief, for the one-pager of a long brief, of the example in Urdu, and of
the example briefing book, for its cover and contents).

Run from the repository root:  python docs/make_images.py
Needs briefgen installed, Pillow (installed with reportlab) and poppler's pdftoppm.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
EXAMPLE = ROOT / "inputs" / "islamabad-moscow.yaml"
URDU = ROOT / "inputs" / "islamabad-moscow.ur.yaml"
LONG = ROOT / "tests" / "fixtures" / "stress" / "eighty-items.yaml"
BOOK = ROOT / "inputs" / "moscow-visit.book.yaml"
BUILT_INS = [("policy-brief", "two-page"), ("decision-memo", "two-page"),
             ("handout", "one-page")]


def build_pdf(template: str, length: str, out: Path, brief: Path = EXAMPLE) -> None:
    subprocess.run([sys.executable, "-m", "briefgen", "build", str(brief), "-t", template,
                    "-l", length, "-f", "pdf", "-o", str(out), "-q"], check=True)


def page_png(pdf: Path, target: Path, dpi: int = 70, page: int = 1) -> Path:
    """Render one page of a PDF to PNG with pdftoppm."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png",
                    "-singlefile", str(pdf), str(target.with_suffix(""))], check=True)
    return target


def side_by_side(images: list[Path], target: Path, gap: int = 16) -> None:
    """Pages next to each other on a light grey ground, each with a thin frame."""
    pages = [Image.open(p).convert("RGB") for p in images]
    width = sum(p.width for p in pages) + gap * (len(pages) + 1)
    height = max(p.height for p in pages) + 2 * gap
    sheet = Image.new("RGB", (width, height), (228, 231, 235))
    x = gap
    for p in pages:
        sheet.paste((150, 150, 150), (x - 1, gap - 1, x + p.width + 1, gap + p.height + 1))
        sheet.paste(p, (x, gap))
        x += p.width + gap
    sheet.save(target, optimize=True)


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is needed (Debian: poppler-utils)", file=sys.stderr)
        return 1
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        out = tmp / "example.pdf"
        build_pdf("policy-brief", "two-page", out)
        page_png(out, IMAGES / "example-page1.png")
        firsts = []
        for name, length in BUILT_INS:
            pdf = tmp / f"{name}.pdf"
            build_pdf(name, length, pdf)
            firsts.append(page_png(pdf, tmp / f"{name}.png", dpi=45))
        side_by_side(firsts, IMAGES / "templates.png")
        house = tmp / "house.pdf"
        build_pdf(str(ROOT / "docs" / "examples" / "house-style"), "one-page", house)
        side_by_side([page_png(house, tmp / "house.png", dpi=45)], IMAGES / "house-style.png")
        urdu = tmp / "urdu.pdf"
        build_pdf("policy-brief", "two-page", urdu, URDU)
        side_by_side([page_png(out, tmp / "en.png", dpi=45), page_png(urdu, tmp / "ur.png",
                                                                      dpi=45)],
                     IMAGES / "english-urdu.png")
        long = tmp / "long.pdf"
        build_pdf("policy-brief", "one-page", long, LONG)
        side_by_side([page_png(long, tmp / "long.png", dpi=60)],
                     IMAGES / "one-page-long-brief.png")
        book = tmp / "book.pdf"
        subprocess.run([sys.executable, "-m", "briefgen", "build", str(BOOK), "-f", "pdf",
                        "-o", str(book), "-q"], check=True)
        side_by_side([page_png(book, tmp / f"book{n}.png", dpi=45, page=n) for n in (1, 2, 3)],
                     IMAGES / "book.png")
    for name in ("example-page1.png", "templates.png", "house-style.png",
                 "one-page-long-brief.png", "english-urdu.png", "book.png"):
        print(f"wrote {IMAGES / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
