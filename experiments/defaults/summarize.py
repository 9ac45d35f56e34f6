#!/usr/bin/env python3
"""Tables of the defaults measurement (README.md beside this script).

  python3 experiments/defaults/summarize.py --collect runs/defaults/runs   # add distill run reports to results/djl.json
  python3 experiments/defaults/summarize.py [--readme]                     # print the tables (and put them in README.md)

results/djl.json holds, per recipe, epochs and seed, each stage's final test accuracy from the chain's
report.json (or the stage's failure); results/torch/*.jsonl are torch_minimal.py's output lines.
"""
import argparse
import glob
import json
import os
import re
import statistics

HERE = os.path.dirname(os.path.abspath(__file__))
STAGES = ["teacher", "assistant", "student", "student-direct", "student-alone"]
ORDER = ["old-default", "lr005", "warmup1", "clip5", "lr005-warmup1", "warmup1-clip5", "default"]
DJL = os.path.join(HERE, "results", "djl.json")


def collect(runs, alias):
    data = json.load(open(DJL)) if os.path.exists(DJL) else {}
    for f in sorted(glob.glob(os.path.join(runs, "m-*", "report.json"))):
        m = re.match(r"m-(.+)-e(\d+)-s(\d+)$", os.path.basename(os.path.dirname(f)))
        recipe = alias.get(m[1], m[1])
        stages = {}
        for s in json.load(open(f))["stages"]:
            acc = (s.get("metrics") or {}).get("testAccuracy")
            stages[s["name"]] = acc if acc is not None else s.get("outcome") + ": " + (s.get("message") or "")[:80]
        if all(k in stages for k in STAGES):
            data.setdefault(f"{recipe} e{m[2]}", {})[m[3]] = stages
    with open(DJL, "w") as out:
        json.dump(data, out, indent=1, sort_keys=True)
        out.write("\n")


def torch():
    data = {}
    for f in glob.glob(os.path.join(HERE, "results", "torch", "*.jsonl")):
        rows = [json.loads(line) for line in open(f) if line.strip()]
        if len(rows) == len(STAGES):
            data.setdefault(f"{rows[0]['recipe']} e{rows[0]['epochs']}", {})[str(rows[0]["seed"])] = {
                r["stage"]: r["testAccuracy"] for r in rows}
    return data


def cell(v):
    return f"{100 * v:.1f}" if isinstance(v, float) else "failed"


def table(title, data):
    out = [f"{title}\n", "| recipe | seeds | " + " | ".join(STAGES) + " | worst | below 20% |",
           "|---|---|" + "---|" * len(STAGES) + "---:|---:|"]
    key = lambda k: (ORDER.index(k.split(" ")[0]) if k.split(" ")[0] in ORDER else 99, k)
    for name in sorted(data, key=key):
        seeds = data[name]
        order = sorted(seeds, key=int)
        vals = [seeds[s][st] for s in order for st in STAGES]
        accs = [v if isinstance(v, float) else 0.0 for v in vals]
        cells = [" ".join(cell(seeds[s][st]) for s in order) for st in STAGES]
        out.append(f"| {name} | {','.join(order)} | " + " | ".join(cells)
                   + f" | {100 * min(accs):.1f} | {sum(a < 0.2 for a in accs)} of {len(accs)} |")
    return "\n".join(out) + "\n"


ap = argparse.ArgumentParser()
ap.add_argument("--collect", metavar="RUNS", help="a distill run workdir whose m-* reports to add to results/djl.json")
ap.add_argument("--alias", action="append", default=[], metavar="OLD=NEW", help="store chain-name recipe OLD as NEW")
ap.add_argument("--readme", action="store_true", help="also write the tables into README.md, between its table markers")
a = ap.parse_args()
if a.collect:
    collect(a.collect, dict(x.split("=", 1) for x in a.alias))
tables = (table("DJL trainer (`distill run`), final test accuracy %, one number per seed",
                json.load(open(DJL)) if os.path.exists(DJL) else {})
          + "\n" + table("PyTorch 2.5.1 (torch_minimal.py), final test accuracy %, one number per seed", torch()))
print(tables)
if a.readme:
    readme = os.path.join(HERE, "README.md")
    text = open(readme).read()
    begin, end = "<!-- tables:begin -->\n", "<!-- tables:end -->"
    head, rest = text.split(begin, 1)
    with open(readme, "w") as out:
        out.write(head + begin + tables + rest[rest.index(end):])
