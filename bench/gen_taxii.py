#!/usr/bin/env python3
"""Write TAXII envelopes of STIX 2.1 indicators for bench_taxii.sh.

usage: gen_taxii.py OUTDIR ENVELOPES PER_ENVELOPE [PREFIX]
Ids are uuid5 of PREFIX-i, so runs are reproducible; a fifth of the
objects carry a TLP marking (green or amber)."""
import json, os, sys, uuid

out, n_env, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
prefix = sys.argv[4] if len(sys.argv) > 4 else "bench"
marks = ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
         "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]
os.makedirs(out, exist_ok=True)
k = 0
for e in range(n_env):
    objs = []
    for _ in range(per):
        o = {"type": "indicator", "spec_version": "2.1",
             "id": "indicator--%s" % uuid.uuid5(uuid.NAMESPACE_URL, "%s-%d" % (prefix, k)),
             "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
             "name": "bench indicator %d" % k,
             "description": "Known command-and-control address seen in a phishing campaign.",
             "indicator_types": ["malicious-activity"], "pattern_type": "stix",
             "pattern": "[ipv4-addr:value = '10.%d.%d.%d']" % (k >> 16 & 255, k >> 8 & 255, k & 255),
             "valid_from": "2024-01-01T00:00:00Z"}
        if k % 5 == 0:
            o["object_marking_refs"] = [marks[k // 5 % 2]]
        objs.append(o)
        k += 1
    with open(os.path.join(out, "env-%05d.json" % e), "w") as f:
        json.dump({"objects": objs}, f, separators=(",", ":"))
