#!/usr/bin/env python3
"""Apply the changes of a war game's cheapest cut to its model, independently
of cybercell: read the model (PyYAML) and the `wargame run/graph --json`
output, edit the model as each change says (docs/commands/wargame.md,
docs/wargame-model.md) and print the changed model as YAML.  A test then
checks with cybercell that no crown jewel is reachable any more.

    wargame_apply_cut.py MODEL.yaml RESULT.json > CUT.yaml

Only the changes that remove something (patch, MFA, strong password,
uncache, block a flow) are understood; any other change is an error
(exit 2), so a cut the script cannot reproduce fails the test.
"""
import json
import re
import sys

import yaml


def by_name(items, name, what):
    for it in items or []:
        if it.get("name") == name:
            return it
    sys.exit(f"wargame_apply_cut: no {what} named {name!r} in the model")


def patch(model, cve, host):
    h = by_name(model.get("hosts"), host, "host")
    n = 0
    for s in (h.get("services") or []) + (h.get("software") or []):
        keep = [c for c in s.get("cves") or [] if c.get("id") != cve]
        n += len(s.get("cves") or []) - len(keep)
        s["cves"] = keep
    if not n:
        sys.exit(f"wargame_apply_cut: {host} has no {cve}")


def uncache(model, account, host):
    a = by_name(model.get("accounts"), account, "account")
    cached = a.get("cached") or []
    if host in cached:
        cached.remove(host)
        return
    # a zone in `cached` means every host of the zone: keep the others
    zone = next((h["zone"] for h in model["hosts"] if h["name"] == host), None)
    if zone not in cached:
        sys.exit(f"wargame_apply_cut: {account} is not cached on {host}")
    cached.remove(zone)
    cached += [h["name"] for h in model["hosts"] if h["zone"] == zone and h["name"] != host]


def block(model, name):
    flows = model.get("flows") or []
    keep = [f for f in flows
            if f.get("name", f"{f.get('from')}->{f.get('to')}") != name]
    if len(keep) == len(flows):
        sys.exit(f"wargame_apply_cut: no flow {name!r}")
    model["flows"] = keep


def apply(model, change):
    m = re.fullmatch(r"patch (\S+) on (\S+) \(.*\)", change)
    if m:
        return patch(model, m[1], m[2])
    m = re.fullmatch(r"enforce MFA on account (\S+)", change)
    if m:
        by_name(model["accounts"], m[1], "account")["mfa"] = True
        return None
    m = re.fullmatch(r"set a strong password on account (\S+)", change)
    if m:
        by_name(model["accounts"], m[1], "account")["weak_password"] = False
        return None
    m = re.fullmatch(r"remove cached credentials of (\S+) from (\S+)", change)
    if m:
        return uncache(model, m[1], m[2])
    m = re.fullmatch(r"block flow (.+)", change)
    if m:
        return block(model, m[1])
    print(f"wargame_apply_cut: cannot apply {change!r}", file=sys.stderr)
    sys.exit(2)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: wargame_apply_cut.py MODEL.yaml RESULT.json")
    with open(sys.argv[1], encoding="utf-8") as f:
        model = yaml.safe_load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        result = json.load(f)
    h = result["hardening"]
    changes = h["changes"] if "changes" in h else h["cut"]   # run / graph JSON
    if not changes:
        sys.exit("wargame_apply_cut: the cut has no changes")
    for c in changes:
        apply(model, c["change"])
    yaml.safe_dump(model, sys.stdout, sort_keys=False)


if __name__ == "__main__":
    main()
