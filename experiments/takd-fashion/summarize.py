#!/usr/bin/env python3
"""Tables of the teacher-assistant study, computed from the reports `distill run` wrote.

Reads experiments/takd-fashion/results/takd-fashion/report.json (copied there by run.sh) and rewrites
the part of docs/results.md between `<!-- tables:begin -->` and `<!-- tables:end -->` with
markdown tables; with --print it prints them instead. Every number comes from a report: final
test accuracy (after the last epoch) unless a column says otherwise. Standard deviations are
sample standard deviations over the seeds (n - 1).
"""
import argparse
import json
import pathlib
import statistics
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
RESULTS = HERE / "results"
DOC = ROOT / "docs" / "results.md"
BEGIN, END = "<!-- tables:begin -->", "<!-- tables:end -->"
CHAIN = "takd-fashion"
SEEDS = (1, 2, 3)
MAIN = ["teacher", "ta4", "nokd", "blkd", "takd"]
LABELS = {"teacher": "teacher (plain-cnn-10 ×0.5)", "ta4": "assistant (plain-cnn-4)",
          "nokd": "student NOKD (labels only)", "blkd": "student BLKD (from the teacher)",
          "takd": "student TAKD (through the assistant)"}


def load(chain):
    """The chain's stages by name, from its report; None when there is no report."""
    path = RESULTS / chain / "report.json"
    if not path.is_file():
        return None
    return {s["name"]: s for s in json.loads(path.read_text())["stages"]}


def seed_name(name, seed):
    """The stage that repeats `name` with another seed: seeds 2 and 3 share the one teacher."""
    return name if seed == 1 or name == "teacher" else f"{name}-s{seed}"


def by_seed(stages):
    """{seed: {main stage name: stage}} for the seeds whose stages the report holds."""
    runs = {}
    for seed in SEEDS:
        found = {n: stages.get(seed_name(n, seed)) for n in MAIN}
        if any(acc(st) is not None for n, st in found.items() if n != "teacher"):
            runs[seed] = found
    return runs


def acc(stage):
    """Final test accuracy in percent, or None when the stage has no result."""
    if stage is None or not stage.get("metrics") or stage["metrics"].get("testAccuracy") is None:
        return None
    return 100 * stage["metrics"]["testAccuracy"]


def pct(v):
    return "–" if v is None else f"{v:.2f}"


def diff(x, y):
    """x − y, or None when either is missing."""
    return None if x is None or y is None else x - y


def signed(d):
    return "–" if d is None else f"{d:+.2f}"


def mean_std(values):
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.2f} (n=1)"
    return f"{statistics.mean(values):.2f} ± {statistics.stdev(values):.2f}"


def settled(stage, last=5):
    """Test accuracy change over the last `last` epochs (points), from the stage's curve."""
    curve = (stage or {}).get("curve") or []
    if len(curve) <= last:
        return None
    return 100 * (curve[-1]["testAccuracy"] - curve[-1 - last]["testAccuracy"])


def main_table(runs):
    seeds = sorted(runs)
    lines = ["| stage | " + " | ".join(f"seed {s}" for s in seeds) + " | mean ± std |",
             "|---|" + "---:|" * (len(seeds) + 1)]
    for name in MAIN:
        if name == "teacher":  # one teacher for every seed
            v = acc(runs[seeds[0]].get(name))
            lines.append(f"| {LABELS[name]} | {pct(v)} | " + " | ".join("(the same)" for _ in seeds[1:]) + " | one run |")
            continue
        values = [acc(runs[s].get(name)) for s in seeds]
        lines.append(f"| {LABELS[name]} | " + " | ".join(pct(v) for v in values) + f" | {mean_std(values)} |")
    lines.append("")
    lines.append("| paired difference (points) | " + " | ".join(f"seed {s}" for s in seeds) + " | mean ± std |")
    lines.append("|---|" + "---:|" * (len(seeds) + 1))
    for a, b in [("takd", "blkd"), ("takd", "nokd"), ("blkd", "nokd")]:
        diffs = [diff(acc(runs[s].get(a)), acc(runs[s].get(b))) for s in seeds]
        lines.append(f"| {a.upper()} − {b.upper()} | " + " | ".join(signed(d) for d in diffs)
                     + f" | {mean_std(diffs)} |")
    return lines


def assistant_table(stages):
    blkd, nokd = acc(stages.get("blkd")), acc(stages.get("nokd"))
    lines = ["| assistant | assistant accuracy | its student | student − BLKD | student − NOKD |", "|---|---:|---:|---:|---:|"]
    for ta, student in [("ta8", "takd-ta8"), ("ta6", "takd-ta6"), ("ta4", "takd")]:
        a, s = acc(stages.get(ta)), acc(stages.get(student))
        lines.append(f"| plain-cnn-{ta[2:]} | {pct(a)} | {pct(s)} | {signed(diff(s, blkd))} | {signed(diff(s, nokd))} |")
    lines.append(f"| none (BLKD: from the teacher) | – | {pct(blkd)} | – | {signed(diff(blkd, nokd))} |")
    lines.append(f"| none (NOKD: labels only) | – | {pct(nokd)} | – | – |")
    return lines


def path_table(stages):
    lines = ["| path | each stage's accuracy | student |", "|---|---|---:|"]
    rows = [("10 → 2 (BLKD)", ["teacher"], "blkd"),
            ("10 → 4 → 2 (TAKD)", ["teacher", "ta4"], "takd"),
            ("10 → 8 → 2", ["teacher", "ta8"], "takd-ta8"),
            ("10 → 8 → 6 → 4 → 2", ["teacher", "ta8", "path-6", "path-4"], "path-2")]
    for label, chain, student in rows:
        steps = " → ".join(pct(acc(stages.get(n))) for n in chain)
        lines.append(f"| {label} | {steps} | {pct(acc(stages.get(student)))} |")
    return lines


def sweep_table(stages):
    lines = ["| student | T | α = 0.5 | α = 0.9 |", "|---|---:|---:|---:|"]
    for prefix, label in [("takd", "TAKD (from plain-cnn-4)"), ("blkd", "BLKD (from the teacher)")]:
        for t in [2, 4, 8]:
            cells = []
            for a in ["05", "09"]:
                name = prefix if (t == 4 and a == "09") else f"{prefix}-t{t}-a{a}"
                cells.append(pct(acc(stages.get(name))) if name in stages else "not run")
            lines.append(f"| {label} | {t} | " + " | ".join(cells) + " |")
    lines.append(f"| NOKD (labels only) | – | {pct(acc(stages.get('nokd')))} | |")
    return lines


def width_table(stages):
    """The full-width student, from labels and from the teacher, and the cross-check's teacher."""
    lines = ["| student plain-cnn-2 | from labels (NOKD) | from the teacher (BLKD, T = 4, α = 0.9) | BLKD − NOKD |",
             "|---|---:|---:|---:|"]
    for width, nokd, blkd in [("×0.25 (4 filters)", "nokd", "blkd"), ("×1 (16 filters)", "nokd-w1", "blkd-w1")]:
        a, b = acc(stages.get(nokd)), acc(stages.get(blkd))
        lines.append(f"| {width} | {pct(a)} | {pct(b)} | {signed(diff(b, a))} |")
    return lines


def crosscheck_table(stages):
    """The same teacher and students trained by the project (cc-* stages) and by PyTorch alone."""
    path = RESULTS / "torch-crosscheck-4-s1.json"
    torch_runs = {r["model"].split(" ")[0]: r for r in json.loads(path.read_text())} if path.is_file() else {}
    torch_acc = {k: 100 * r["finalTestAccuracy"] for k, r in torch_runs.items()}
    lines = ["| model (20 epochs, seed 1) | this project (DJL) | PyTorch alone |", "|---|---:|---:|"]
    for label, stage, key in [("teacher plain-cnn-4 from labels", "cc-teacher4", "teacher"),
                              ("student plain-cnn-2 from labels (NOKD)", "nokd-w1", "NOKD"),
                              ("student plain-cnn-2 from that teacher (BLKD, T = 4, α = 0.9)", "cc-blkd-w1", "BLKD")]:
        lines.append(f"| {label} | {pct(acc(stages.get(stage)))} | {pct(torch_acc.get(key))} |")
    ours = diff(acc(stages.get("cc-blkd-w1")), acc(stages.get("nokd-w1")))
    lines.append(f"| BLKD − NOKD | {signed(ours)} | {signed(diff(torch_acc.get('BLKD'), torch_acc.get('NOKD')))} |")
    return lines


def settle_table(runs):
    seeds = sorted(runs)
    lines = ["| stage | " + " | ".join(f"seed {s}: last 5 / last 2" for s in seeds) + " |", "|---|" + "---:|" * len(seeds)]

    def cell(stage):
        five, two = settled(stage, 5), settled(stage, 2)
        return "–" if five is None else f"{five:+.2f} / {two:+.2f}"
    for name in MAIN:
        cells = [cell(runs[s].get(name)) if (name != "teacher" or s == seeds[0]) else "(the same)" for s in seeds]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def compute_table(stages):
    """Training time per group of stages, from each stage's metrics (the sum over the stages trained)."""
    def group(name):
        if name in ("teacher", "cc-teacher4"):
            return 0
        if name.startswith("ta") and not name.startswith("takd") or name in ("path-6", "path-4"):
            return 1
        return 2
    labels = ["teachers (plain-cnn-10 ×0.5; plain-cnn-4 for the cross-check)", "assistants (plain-cnn-8, 6, 4)",
              "students (plain-cnn-2)"]
    lines = ["| stages | count | training time |", "|---|---:|---:|"]
    total = 0.0
    for g, label in enumerate(labels):
        trained = [st for n, st in stages.items() if group(n) == g and st.get("metrics")]
        seconds = sum(st["metrics"].get("trainSeconds") or 0 for st in trained)
        total += seconds
        lines.append(f"| {label} | {len(trained)} | {seconds / 60:.1f} min |")
    lines.append(f"| all | {sum(1 for st in stages.values() if st.get('metrics'))} | {total / 3600:.2f} h |")
    return lines


def tables():
    stages = load(CHAIN)
    if not stages:
        sys.exit(f"no report under {RESULTS / CHAIN}: run experiments/takd-fashion/run.sh first")
    runs = by_seed(stages)
    out = ["### Main comparison (T = 4, α = 0.9): final test accuracy (%)", "",
           "One teacher (seed 1); each seed trains its own assistant and students.", ""] + main_table(runs)
    out += ["", "### Assistant size (seed 1): final test accuracy (%)", ""] + assistant_table(stages)
    out += ["", "### Multi-step path (seed 1): final test accuracy (%)", ""] + path_table(stages)
    out += ["", "### Temperature and α for the student (seed 1): final test accuracy (%)", ""] + sweep_table(stages)
    out += ["", "### The student's width: does distillation help a student with room to follow? (seed 1)", ""] + width_table(stages)
    out += ["", "### Cross-check against PyTorch: final test accuracy (%)", ""] + crosscheck_table(stages)
    out += ["", "### Settled? Test-accuracy change over the last 5 and the last 2 of 20 epochs (points)", ""] + settle_table(runs)
    out += ["", "### Compute (2-core CPU machine): each stage's own training time, summed", ""]
    out += compute_table(stages)
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--print", action="store_true", help="print the tables instead of rewriting docs/results.md")
    a = ap.parse_args()
    text = tables()
    if a.print:
        print(text, end="")
        return
    doc = DOC.read_text()
    if BEGIN not in doc or END not in doc:
        sys.exit(f"{DOC} lacks the {BEGIN} / {END} markers")
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(head + BEGIN + "\n" + text + END + tail)
    print(f"rewrote the tables in {DOC}")


if __name__ == "__main__":
    main()
