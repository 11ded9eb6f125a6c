#!/usr/bin/env python3
"""gen_zeek.py — the same Zeek dns, ssl and x509 records in both of Zeek's
formats, for the test that the TSV and the JSON readers agree.

usage: tests/data/match/gen_zeek.py OUTDIR
Writes OUTDIR/{dns,ssl,x509}.log (TSV, 8 header lines) and .ndjson (one
JSON object a line, times in ISO 8601 as Zeek's JSON writer gives them), and
OUTDIR/indicators.json: a domain, a certificate hash (upper case, where the
logs have lower case) and a server subnet and port, each planted in many
records.  Fixed seed: the same output every time.
"""
import json, os, random, sys, time

r = random.Random(5)
FP = ["%064x" % r.getrandbits(256) for _ in range(4)]
# certificate subjects with what Zeek's TSV writer escapes: a backslash
# (an RFC 4514 escaped comma), a tab, a control byte
SUBJECTS = ["CN=host%d.corp.test,O=Test Bank", "CN=host%d.corp.test,O=Test\\, Bank",
            "CN=host%d.corp.test,O=Test\tBank", "CN=host%d.corp.test,OU=a\\\\b\x01,O=Test Bank"]


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(int(t))) + ".%06dZ" % round((t % 1) * 1e6)


def esc(s, in_set=False):
    """Zeek's ASCII writer: a backslash doubled, the separator, unprintable
    bytes (and in a set the set separator) as \\xHH."""
    out = []
    for c in s:
        if c == "\\":
            out.append("\\\\")
        elif c == "\t" or ord(c) < 0x20 or ord(c) == 0x7f or (in_set and c == ","):
            out.append("\\x%02x" % ord(c))
        else:
            out.append(c)
    return "".join(out)


def tsv(v):
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "T" if v else "F"
    if isinstance(v, list):
        return ",".join(esc(x, True) for x in v) if v else "(empty)"
    if isinstance(v, float):
        return "%.6f" % v
    return esc(str(v))


def write(out, path, fields, rows):
    """fields: (name, zeek type) pairs; a 'time' field is ISO 8601 in JSON."""
    names = [n for n, _ in fields]
    times = {n for n, ty in fields if ty == "time"}
    with open(os.path.join(out, path + ".log"), "w") as f:
        f.write("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n")
        f.write("#path\t%s\n#open\t2024-05-01-10-00-00\n" % path)
        f.write("#fields\t%s\n#types\t%s\n" % ("\t".join(names), "\t".join(ty for _, ty in fields)))
        for row in rows:
            f.write("\t".join(tsv(row.get(n)) for n in names) + "\n")
    with open(os.path.join(out, path + ".ndjson"), "w") as f:
        for row in rows:
            o = {"_path": path}
            for n in names:
                if row.get(n) is not None:
                    o[n] = iso(row[n]) if n in times else row[n]
            f.write(json.dumps(o, separators=(",", ":")) + "\n")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    t = 1714557600.0
    dns = []
    for i in range(300):
        t += r.random()
        dns.append({"ts": t, "uid": "D%d" % i, "id.orig_h": "10.20.1.%d" % r.randint(1, 254),
                    "id.orig_p": r.randint(1024, 65535), "id.resp_h": "10.0.0.53", "id.resp_p": 53,
                    "proto": "udp", "query": r.choice(["ise.corp.test", "ISE.corp.test", "www.example.org",
                                                       "mail.corp.test", "cdn.example.net"]),
                    "qtype_name": "A", "rcode_name": "NOERROR",
                    "answers": ["192.0.2.%d" % r.randint(1, 254)] if r.random() < 0.7 else []})
    write(out, "dns", [("ts", "time"), ("uid", "string"), ("id.orig_h", "addr"), ("id.orig_p", "port"),
                       ("id.resp_h", "addr"), ("id.resp_p", "port"), ("proto", "enum"), ("query", "string"),
                       ("qtype_name", "string"), ("rcode_name", "string"), ("answers", "vector[string]")], dns)
    ssl = []
    for i in range(200):
        t += r.random()
        ssl.append({"ts": t, "uid": "S%d" % i, "id.orig_h": "10.20.2.%d" % r.randint(1, 254),
                    "id.orig_p": r.randint(1024, 65535),
                    "id.resp_h": "10.47.%d.%d" % (r.choice([3, 4]), r.randint(1, 254)),
                    "id.resp_p": r.choice([443, 8443]), "version": "TLSv12",
                    "server_name": r.choice(["ise.corp.test", "portal.corp.test", None]),
                    "established": r.random() < 0.9, "cert_chain_fps": [r.choice(FP)]})
    write(out, "ssl", [("ts", "time"), ("uid", "string"), ("id.orig_h", "addr"), ("id.orig_p", "port"),
                       ("id.resp_h", "addr"), ("id.resp_p", "port"), ("version", "string"),
                       ("server_name", "string"), ("established", "bool"),
                       ("cert_chain_fps", "vector[string]")], ssl)
    x509 = []
    for i in range(40):
        t += r.random()
        x509.append({"ts": t, "fingerprint": r.choice(FP), "certificate.version": 3,
                     "certificate.serial": "%012X" % r.getrandbits(48),
                     "certificate.subject": SUBJECTS[i % 4] % i,
                     "certificate.issuer": "O=Test CA", "certificate.not_valid_before": 1700000000.0,
                     "certificate.not_valid_after": 1800000000.0, "certificate.key_length": 2048,
                     "san.dns": ["host%d.corp.test" % i], "host_cert": True})
    write(out, "x509", [("ts", "time"), ("fingerprint", "string"), ("certificate.version", "count"),
                        ("certificate.serial", "string"), ("certificate.subject", "string"),
                        ("certificate.issuer", "string"), ("certificate.not_valid_before", "time"),
                        ("certificate.not_valid_after", "time"), ("certificate.key_length", "count"),
                        ("san.dns", "vector[string]"), ("host_cert", "bool")], x509)
    pats = ["[domain-name:value = 'ISE.corp.test']",
            "[x509-certificate:hashes.'SHA-256' = '%s']" % FP[0].upper(),
            "[network-traffic:dst_ref.value ISSUBSET '10.47.3.0/24' AND network-traffic:dst_port = 443]",
            "[x509-certificate:subject IN ('CN=host1.corp.test,O=Test\\\\, Bank', "
            "'CN=host6.corp.test,O=Test\tBank', 'CN=host7.corp.test,OU=a\\\\\\\\b\x01,O=Test Bank')]"]
    inds = [{"type": "indicator", "id": "indicator--20000000-0000-4000-8000-00000000000%d" % (i + 1),
             "pattern_type": "stix", "pattern": p} for i, p in enumerate(pats)]
    with open(os.path.join(out, "indicators.json"), "w") as f:
        json.dump(inds, f, indent=1)
        f.write("\n")
    print(FP[0])


if __name__ == "__main__":
    main()
