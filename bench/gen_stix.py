#!/usr/bin/env python3
"""gen_stix.py — synthetic, valid STIX 2.1 objects for the store benchmark.

usage: bench/gen_stix.py [-n TOTAL] [-f FILES] [-s SEED] OUTDIR
Writes FILES bundles OUTDIR/synth-NN.json holding TOTAL objects together:
a deterministic mix of indicators (several pattern shapes), malware, tools,
attack-patterns (with external ids), intrusion-sets (with aliases),
identities, vulnerabilities, sightings, relationships between them, and
SCOs (ipv4-addr, domain-name, url, file).  Same seed, same output.
"""
import argparse, json, os, random, uuid

TYPES = [  # (type, weight)
    ("indicator", 30), ("relationship", 30), ("ipv4-addr", 6), ("domain-name", 6),
    ("url", 3), ("file", 3), ("malware", 4), ("tool", 2), ("attack-pattern", 4),
    ("intrusion-set", 2), ("identity", 2), ("vulnerability", 4), ("sighting", 4),
]
TLP = ["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
       "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
       "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]


def ts(r):
    return "20%02d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
        r.randint(15, 25), r.randint(1, 12), r.randint(1, 28),
        r.randint(0, 23), r.randint(0, 59), r.randint(0, 59), r.randint(0, 999))


def ip(r):
    return "%d.%d.%d.%d" % (r.randint(1, 223), r.randint(0, 255), r.randint(0, 255), r.randint(1, 254))


def word(r):
    return "".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(4, 10)))


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.pool = {"indicator": [], "malware": [], "identity": [], "attack-pattern": [],
                     "intrusion-set": [], "tool": [], "vulnerability": []}
        self.names = [t for t, w in TYPES for _ in range(w)]

    def uid(self, t):
        return "%s--%s" % (t, uuid.UUID(int=self.r.getrandbits(128), version=4))

    def sdo(self, t):
        c = ts(self.r)
        o = {"type": t, "spec_version": "2.1", "id": self.uid(t), "created": c, "modified": c}
        if self.r.random() < 0.5:
            o["object_marking_refs"] = [self.r.choice(TLP)]
        return o

    def pick(self, t):
        p = self.pool[t]
        return self.r.choice(p) if p else None

    def one(self):
        r, t = self.r, self.r.choice(self.names)
        if t == "ipv4-addr":
            return {"type": t, "spec_version": "2.1", "id": self.uid(t), "value": ip(r)}
        if t == "domain-name":
            return {"type": t, "spec_version": "2.1", "id": self.uid(t), "value": word(r) + ".example"}
        if t == "url":
            return {"type": t, "spec_version": "2.1", "id": self.uid(t),
                    "value": "https://%s.test/%s" % (word(r), word(r))}
        if t == "file":
            return {"type": t, "spec_version": "2.1", "id": self.uid(t),
                    "hashes": {"SHA-256": "%064x" % r.getrandbits(256)}, "name": word(r) + ".exe"}
        if t == "relationship" or t == "sighting":
            src, dst = self.pick("indicator"), self.pick("malware")
            if not src or not dst:
                t = "indicator"
            elif t == "sighting":
                o = self.sdo(t)
                o.update(sighting_of_ref=src, count=r.randint(1, 50))
                ident = self.pick("identity")
                if ident:
                    o["where_sighted_refs"] = [ident]
                return o
            else:
                o = self.sdo(t)
                o.update(relationship_type="indicates", source_ref=src, target_ref=dst)
                return o
        o = self.sdo(t)
        if t == "indicator":
            shape = r.randint(0, 3)
            if shape == 0:
                pat = "[ipv4-addr:value = '%s']" % ip(r)
            elif shape == 1:
                pat = "[domain-name:value = '%s.example']" % word(r)
            elif shape == 2:
                pat = "[file:hashes.'SHA-256' = '%064x']" % r.getrandbits(256)
            else:
                pat = "[ipv4-addr:value = '%s'] AND [url:value = 'https://%s.test/x']" % (ip(r), word(r))
            o.update(name="indicator " + word(r), indicator_types=["malicious-activity"],
                     pattern=pat, pattern_type="stix", valid_from=o["created"])
        elif t == "malware":
            o.update(name=word(r).capitalize(), is_family=True, malware_types=["trojan"])
        elif t == "tool":
            o.update(name=word(r), tool_types=["remote-access"])
        elif t == "attack-pattern":
            o.update(name=word(r) + " " + word(r), external_references=[
                {"source_name": "mitre-attack", "external_id": "T%d" % r.randint(1000, 9999)}])
        elif t == "intrusion-set":
            o.update(name=word(r).upper(), aliases=[word(r), word(r)])
        elif t == "identity":
            o.update(name=word(r).capitalize() + " Bank", identity_class="organization")
        elif t == "vulnerability":
            o.update(name="CVE-20%02d-%05d" % (r.randint(10, 25), r.randint(1, 99999)))
        if t in self.pool and len(self.pool[t]) < 10000:
            self.pool[t].append(o["id"])
        return o


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=1000000)
    ap.add_argument("-f", type=int, default=10)
    ap.add_argument("-s", type=int, default=1)
    ap.add_argument("outdir")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    g = Gen(a.s)
    per = (a.n + a.f - 1) // a.f
    left = a.n
    for i in range(a.f):
        k = min(per, left)
        left -= k
        objs = [g.one() for _ in range(k)]
        b = {"type": "bundle", "id": "bundle--%s" % uuid.UUID(int=g.r.getrandbits(128), version=4),
             "objects": objs}
        with open(os.path.join(a.outdir, "synth-%02d.json" % i), "w") as f:
            json.dump(b, f, separators=(",", ":"))
            f.write("\n")


if __name__ == "__main__":
    main()
