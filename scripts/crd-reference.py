#!/usr/bin/env python3
"""Prints the README's field reference table from the generated CRD (crds/).

    python3 scripts/crd-reference.py > /tmp/ref.md   # then paste between the README's reference markers

A test (api: ReadmeReferenceTest) fails when the README's table and the CRD list different fields.
Needs PyYAML (Debian: python3-yaml).
"""
import pathlib
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
CRD = ROOT / "crds" / "distillationchains.distillation.dev-v1.yml"
# Kubernetes' own types: documented by `kubectl explain`, not repeated here.
OPAQUE = {"spec.trainer.tolerations[]", "status.conditions[]"}


def num(v):
    return str(int(v)) if float(v).is_integer() else str(v)


def walk(node, path, out):
    kind = node.get("type") or ("quantity" if node.get("x-kubernetes-int-or-string") else "")
    desc = " ".join((node.get("description") or "").split()).replace("|", "\\|")
    notes = []
    if "enum" in node:
        notes.append("one of " + ", ".join(map(str, node["enum"])))
    if "minimum" in node:
        notes.append((">" if node.get("exclusiveMinimum") else "≥") + " " + num(node["minimum"]))
    if "maximum" in node:
        notes.append(("<" if node.get("exclusiveMaximum") else "≤") + " " + num(node["maximum"]))
    if "default" in node:
        notes.append("default " + str(node["default"]))
    if "maxItems" in node:
        notes.append("at most %d items" % node["maxItems"])
    if "maxLength" in node:
        notes.append("at most %d characters" % node["maxLength"])
    if not path.endswith("[]"):
        out.append("| `%s` | %s | %s%s |" % (path, kind, desc, " (" + "; ".join(notes) + ")" if notes else ""))
    if path in OPAQUE:
        return
    for key, child in (node.get("properties") or {}).items():
        walk(child, path + "." + key, out)
    items = node.get("items")
    if kind == "array" and items and items.get("type") == "object":
        walk(items, path + "[]", out)


def main():
    crd = yaml.safe_load(CRD.read_text())
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]
    out = ["| field | type | meaning |", "| --- | --- | --- |"]
    for top in ("spec", "status"):
        for key, child in schema[top]["properties"].items():
            walk(child, top + "." + key, out)
    print("\n".join(out))


if __name__ == "__main__":
    main()
