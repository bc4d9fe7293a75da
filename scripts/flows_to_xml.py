#!/usr/bin/env python3
"""Write Bedrock Flows metadata as flow-export XML (the project's convention for older XML exports).

Usage:
  flows_to_xml.py BUNDLE.json [-o OUT.xml] [--root FlowExport]
      BUNDLE.json is {"flows": [get-flow objects, each optionally with "versions" and "aliases"]}
      (what `flowrole export` writes).
  flows_to_xml.py --from-cli DIR FLOW_ID... [-o OUT.xml] [--root FlowExport] [--json-out BUNDLE.json]
      Builds that bundle from `aws bedrock-agent` outputs in DIR named
      get-flow.ID.json, get-flow-version.ID.N.json and list-flow-aliases.ID.json
      (the names used in examples/ and fixtures/real/); "versions" is set from the
      get-flow-version files (and is present, possibly empty, when list-flow-versions.ID.json
      exists or any version file does), "aliases" from list-flow-aliases.ID.json. With
      --assume-complete both keys are always written (empty when no file), which tells a reader
      that the flow's versions are all known — what fixtures/real/bedrock-agent-xml/make_xml.py does.

Convention (as fixtures/real/bedrock-agent-xml/make_xml.py defines it; AWS has no XML form for
flows): every JSON member is an element of the same name; every array is repeated <member>
children; an empty object or array is an empty element (<input/>); strings and numbers are
element text, booleans true/false; text is XML-escaped; any root element. Output is UTF-8 with
an XML declaration, two-space indentation, and ends with a newline. Deterministic.
"""
import argparse, json, os, re, sys
from xml.sax.saxutils import escape


def to_xml(value, tag, indent, out):
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            out.append(f"{pad}<{tag}/>\n")
            return
        out.append(f"{pad}<{tag}>\n")
        for k, v in value.items():
            to_xml(v, k, indent + 1, out)
        out.append(f"{pad}</{tag}>\n")
    elif isinstance(value, list):
        if not value:
            out.append(f"{pad}<{tag}/>\n")
            return
        out.append(f"{pad}<{tag}>\n")
        for v in value:
            to_xml(v, "member", indent + 1, out)
        out.append(f"{pad}</{tag}>\n")
    elif value is None:
        raise ValueError(f"null value in <{tag}>: the convention has no form for JSON null")
    else:
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        out.append(f"{pad}<{tag}>{escape(text)}</{tag}>\n")


def bundle_from_cli(src, ids, assume_complete=False):
    def load(name):
        with open(os.path.join(src, name)) as fh:
            obj = json.load(fh)
        obj.pop("ResponseMetadata", None)
        return obj

    flows = []
    for fid in ids:
        flow = load(f"get-flow.{fid}.json")
        pat = re.compile(rf"get-flow-version\.{re.escape(fid)}\.([0-9]+)\.json$")
        found = sorted((int(m.group(1)), n) for n in os.listdir(src) if (m := pat.match(n)))
        if assume_complete or found or os.path.exists(os.path.join(src, f"list-flow-versions.{fid}.json")):
            flow["versions"] = [load(n) for _, n in found]
        if os.path.exists(os.path.join(src, f"list-flow-aliases.{fid}.json")):
            flow["aliases"] = load(f"list-flow-aliases.{fid}.json").get("flowAliasSummaries", [])
        elif assume_complete:
            flow["aliases"] = []
        flows.append(flow)
    return {"flows": flows}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="+", help="BUNDLE.json, or with --from-cli: DIR FLOW_ID...")
    ap.add_argument("--from-cli", action="store_true", help="build the bundle from aws CLI outputs in DIR")
    ap.add_argument("-o", "--out", help="write here instead of stdout")
    ap.add_argument("--assume-complete", action="store_true",
                    help="with --from-cli: always write versions/aliases keys (versions count as known)")
    ap.add_argument("--json-out", help="also write the bundle as JSON (indent 2) here")
    ap.add_argument("--root", default="FlowExport", help="root element name (default FlowExport)")
    a = ap.parse_args()
    if a.from_cli:
        if len(a.inputs) < 2:
            ap.error("--from-cli needs DIR and at least one FLOW_ID")
        bundle = bundle_from_cli(a.inputs[0], a.inputs[1:], a.assume_complete)
    else:
        if len(a.inputs) != 1:
            ap.error("give one BUNDLE.json (or use --from-cli DIR FLOW_ID...)")
        with open(a.inputs[0]) as fh:
            bundle = json.load(fh)
        if not isinstance(bundle, dict) or not isinstance(bundle.get("flows"), list):
            sys.exit(f"{a.inputs[0]}: not a bundle: expected an object with a \"flows\" array")
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    to_xml(bundle, a.root, 0, out)
    text = "".join(out)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    if a.json_out:
        with open(a.json_out, "w") as fh:
            json.dump(bundle, fh, indent=2)
            fh.write("\n")


if __name__ == "__main__":
    main()
