#!/usr/bin/env python3
"""Tables and heat-map of the tuned study, computed from the reports `distill run` wrote.

Reads results/tuned-n<size>-s<seed>/report.json (copied there by run.sh) and writes
results/summary.md (per training-set size and student width: the mean test accuracy over the
seeds of TAKD, BLKD and NOKD, each as its stage chose on the validation split, whether
TAKD > BLKD > NOKD holds, and what each stage chose) and results/heatmap.svg (TAKD's lead over
the better baseline, in points, per cell). With --print the table goes to stdout instead. Only
reports that exist are read; a cell says over how many seeds it is averaged.
"""
import argparse
import json
import os
import pathlib
import re
import statistics
import sys

HERE = pathlib.Path(__file__).resolve().parent
RESULTS = pathlib.Path(os.environ.get("RESULTS", HERE / "results"))
sys.path.insert(0, str(HERE))
from chains import SIZES, WIDTHS  # noqa: E402

NAME = re.compile(r"^tuned-n(\d+)-s(\d+)$")
METHODS = ("takd", "blkd", "nokd")


def reports():
    """{(size, seed): {stage name: stage report}} of every chain that has a report."""
    found = {}
    for d in sorted(RESULTS.glob("tuned-n*-s*")):
        m = NAME.match(d.name)
        f = d / "report.json"
        if m and f.is_file():
            found[(int(m.group(1)), int(m.group(2)))] = {s["name"]: s for s in json.loads(f.read_text())["stages"]}
    return found


def accuracy(stage):
    m = stage.get("metrics") if stage else None
    return None if not m or m.get("testAccuracy") is None else 100.0 * m["testAccuracy"]


def cells(found):
    """{(size, width key): {method: [test accuracy per seed]}, plus 'choices'}."""
    table = {}
    for (size, seed), stages in sorted(found.items()):
        for w in WIDTHS:
            cell = table.setdefault((size, w), {m: [] for m in METHODS} | {"choices": []})
            accs = {m: accuracy(stages.get(f"{m}-{w}")) for m in METHODS}
            if any(a is None for a in accs.values()):
                continue  # a seed counts only when all three methods have a result
            for m in METHODS:
                cell[m].append(accs[m])
            chosen = [f"{s}: {stages[s].get('selected')}" for s in ("assistant", f"takd-{w}", f"blkd-{w}") if s in stages]
            cell["choices"].append(f"seed {seed}: " + ", ".join(chosen))
    return table


def mean(values):
    return statistics.mean(values) if values else None


def markdown(table):
    lines = ["| labelled images | student width | seeds | TAKD | BLKD | NOKD | TAKD > BLKD > NOKD |",
             "|---:|---:|---:|---:|---:|---:|---|"]
    for (size, w), cell in sorted(table.items()):
        n = len(cell["takd"])
        if n == 0:
            continue
        means = {m: mean(cell[m]) for m in METHODS}
        holds = means["takd"] > means["blkd"] > means["nokd"]
        lines.append(f"| {size} | {WIDTHS[w]} | {n} | " + " | ".join(f"{means[m]:.2f}%" for m in METHODS)
                     + f" | {'yes' if holds else 'no'} |")
    lines.append("")
    lines.append("What each stage chose on the validation split:")
    lines.append("")
    for (size, w), cell in sorted(table.items()):
        for c in cell["choices"]:
            lines.append(f"- {size} images, width {WIDTHS[w]}, {c}")
    return "\n".join(lines) + "\n"


def heatmap(table):
    """An SVG grid: rows student widths, columns training-set sizes, colour = TAKD - max(BLKD, NOKD) in points."""
    cw, ch, left, top = 120, 60, 110, 40
    widths = list(WIDTHS)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + cw * len(SIZES) + 20}" height="{top + ch * len(widths) + 50}" '
           'font-family="sans-serif" font-size="13">',
           f'<text x="{left}" y="20">TAKD minus the better of BLKD and NOKD, test accuracy points (mean over seeds)</text>']
    for j, size in enumerate(SIZES):
        svg.append(f'<text x="{left + cw * j + cw / 2}" y="{top + ch * len(widths) + 20}" text-anchor="middle">{size} images</text>')
    for i, w in enumerate(widths):
        svg.append(f'<text x="{left - 10}" y="{top + ch * i + ch / 2 + 4}" text-anchor="end">width {WIDTHS[w]}</text>')
        for j, size in enumerate(SIZES):
            cell = table.get((size, w))
            x, y = left + cw * j, top + ch * i
            if not cell or not cell["takd"]:
                svg.append(f'<rect x="{x}" y="{y}" width="{cw}" height="{ch}" fill="#eeeeee" stroke="white"/>'
                           f'<text x="{x + cw / 2}" y="{y + ch / 2 + 4}" text-anchor="middle">not run</text>')
                continue
            lead = mean(cell["takd"]) - max(mean(cell["blkd"]), mean(cell["nokd"]))
            t = max(-1.0, min(1.0, lead / 2.0))  # +-2 points saturate
            colour = (f"rgb({int(255 * (1 - t))},{255},{int(255 * (1 - t))})" if t >= 0
                      else f"rgb({255},{int(255 * (1 + t))},{int(255 * (1 + t))})")
            svg.append(f'<rect x="{x}" y="{y}" width="{cw}" height="{ch}" fill="{colour}" stroke="white"/>'
                       f'<text x="{x + cw / 2}" y="{y + ch / 2 + 4}" text-anchor="middle">{lead:+.2f} (n={len(cell["takd"])})</text>')
    svg.append("</svg>")
    return "\n".join(svg) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--print", action="store_true", help="print the table instead of writing results/")
    args = parser.parse_args()
    found = reports()
    if not found:
        print("summarize.py: no report under results/ yet (run.sh copies them there)", file=sys.stderr)
        return 1
    table = cells(found)
    if args.print:
        print(markdown(table))
        return 0
    (RESULTS / "summary.md").write_text("# Tuned study: summary\n\nComputed by summarize.py from results/*/report.json.\n\n"
                                        + markdown(table))
    (RESULTS / "heatmap.svg").write_text(heatmap(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
