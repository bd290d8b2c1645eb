"""The visit report's baseline: a plain reportlab script drawing a 2-page PDF with three 90-point line charts and
a 90-row table (platypus and reportlab.graphics, as medlog's renderer uses) — what the PDF costs before medlog
reads, analyses or lays out anything.

    python benchmarks/report_floor.py OUT.pdf
"""

from __future__ import annotations

import math
import sys

from reportlab.graphics.shapes import Drawing, Line, PolyLine, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def chart(values: list[float], title: str) -> Drawing:
    width, height = 170 * mm, 45 * mm
    d = Drawing(width, height)
    d.add(String(0, height - 10, title, fontName="Helvetica-Bold", fontSize=9))
    d.add(Line(20, 10, width, 10, strokeColor=colors.grey))
    d.add(Line(20, 10, 20, height - 15, strokeColor=colors.grey))
    step = (width - 20) / (len(values) - 1)
    points: list[float] = []
    for i, v in enumerate(values):
        points += [20 + i * step, 10 + v / 10 * (height - 30)]
    d.add(PolyLine(points, strokeColor=colors.darkblue, strokeWidth=1))
    return d


def main(out: str) -> None:
    styles = getSampleStyleSheet()
    story: list = [Paragraph("Visit summary", styles["Title"])]
    for k, name in enumerate(("Sleep quality", "Mood", "Pain")):
        values = [5 + 4 * math.sin(i / 7 + k) for i in range(90)]
        story += [chart(values, name), Spacer(1, 4 * mm)]
    rows = [["Day", "Sleep quality", "Mood", "Pain"]] + [
        [f"Day {i + 1}", f"{5 + 4 * math.sin(i / 7):.1f}", f"{5 + 4 * math.sin(i / 7 + 1):.1f}",
         f"{5 + 4 * math.sin(i / 7 + 2):.1f}"] for i in range(90)]
    table = Table(rows, repeatRows=1)
    table.setStyle(TableStyle([("FONTSIZE", (0, 0), (-1, -1), 7), ("LEADING", (0, 0), (-1, -1), 8),
                               ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                               ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black)]))
    story.append(table)
    SimpleDocTemplate(out, pagesize=A4, topMargin=12 * mm, bottomMargin=12 * mm).build(story)


if __name__ == "__main__":
    main(sys.argv[1])
