#!/usr/bin/env python3
"""Generate a synthetic bank network model (docs/wargame-model.md) with N
hosts, for the war-game benchmarks.  Deterministic for a given seed.

    bench/gen_network.py HOSTS [SEED] > model.yaml

Shape: ~70 % workstations in corporate subnets of 250 (one person and one
user account each, credentials cached locally, a helpdesk admin per
subnet), ~25 % Windows servers in server zones of 500, a DMZ, a core
banking zone and a SWIFT zone; ~8 % of services carry a CVE; a few IT
workstations hold domain-admin credentials.
"""
import random
import sys


def main():
    n = int(sys.argv[1])
    rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    out = []
    w = out.append
    n_dmz = max(2, n // 100)
    n_srv = max(4, n // 4)
    n_ws = max(4, n - n_dmz - n_srv - 6)
    cves = 0

    def cve(kind, p):
        nonlocal cves
        cves += 1
        return "{id: CVE-2099-%05d, kind: %s, exploitability: %.2f}" % (cves, kind, p)

    w("name: synthetic bank %d hosts" % n)
    w("controls: {email_filtering: 0.5, monitor_detect: 0.1, response_hours: 8}")
    w("zones:")
    w("  - {name: dmz}")
    w("  - {name: core, segmented: true}")
    w("  - {name: swift, segmented: true}")
    ws_zones = ["corp%d" % i for i in range((n_ws + 249) // 250)]
    srv_zones = ["servers%d" % i for i in range((n_srv + 499) // 500)]
    for z in ws_zones + srv_zones:
        w("  - {name: %s}" % z)
    w("hosts:")
    for i in range(n_dmz):
        c = ", cves: [%s]" % cve("remote", 0.5) if rnd.random() < 0.3 else ""
        w("  - {name: dmz%d, zone: dmz, os: linux, role: web, services: [{port: 443, kind: http%s}]}" % (i, c))
    for i in range(n_srv):
        z = srv_zones[i // 500]
        role = "dc" if i < 2 else ("file" if i % 7 == 0 else "app")
        svcs = ["{port: 445, kind: smb%s}" % (", cves: [%s]" % cve("remote", 0.4) if rnd.random() < 0.05 else ""),
                "{port: 5985, kind: winrm}", "{port: 3389, kind: rdp}"]
        if role == "dc":
            svcs.append("{port: 389, kind: ldap}")
        w("  - {name: srv%d, zone: %s, os: windows, role: %s, domain_joined: true, services: [%s]}"
          % (i, z, role, ", ".join(svcs)))
    for i in range(n_ws):
        z = ws_zones[i // 250]
        sw = ", software: [{name: office, cves: [%s]}]" % cve("client", 0.5) if rnd.random() < 0.1 else ""
        edr = "true" if rnd.random() < 0.7 else "false"
        w("  - {name: ws%d, zone: %s, os: windows, role: workstation, domain_joined: true, edr: %s, "
          "services: [{port: 445, kind: smb}, {port: 3389, kind: rdp}]%s}" % (i, z, edr, sw))
    w("  - {name: core-app, zone: core, os: linux, services: [{port: 8443, kind: http}, {port: 22, kind: ssh}]}")
    w("  - {name: core-db, zone: core, os: linux, role: database, services: [{port: 1521, kind: sql}, {port: 22, kind: ssh}]}")
    w("  - {name: swift-jump, zone: swift, os: windows, role: jump, services: [{port: 3389, kind: rdp}]}")
    w("  - {name: swift-aa, zone: swift, os: linux, role: swift, services: [{port: 48002, kind: swift}, {port: 22, kind: ssh}]}")
    w("people:")
    for i in range(n_ws):
        w("  - {name: p%d, susceptibility: %.2f, hosts: [ws%d]}" % (i, rnd.uniform(0.05, 0.5), i))
    w("accounts:")
    for i in range(n_ws):
        weak = ", weak_password: true" if rnd.random() < 0.05 else ""
        w("  - {name: u%d, person: p%d, logon: [ws%d], cached: [ws%d]%s}" % (i, i, i, i, weak))
    for z in ws_zones:
        first = int(z[4:]) * 250
        w("  - {name: helpdesk-%s, kind: admin, logon: [%s], cached: [ws%d]}" % (z, z, first))
    it = [rnd.randrange(n_ws) for _ in range(3)]
    w("  - {name: domain-admin, kind: domain_admin, cached: [%s]}" % ", ".join("ws%d" % i for i in it))
    w("  - {name: svc-core, kind: service, logon: [core-app, core-db], cached: [core-app], weak_password: true}")
    w("  - {name: swift-admin, kind: admin, logon: [swift-jump, swift-aa], cached: [swift-jump, ws%d]}" % it[0])
    w("flows:")
    w("  - {from: internet, to: dmz, ports: [443]}")
    w("  - {from: dmz, to: core-app, ports: [8443]}")
    for z in ws_zones:
        for s in srv_zones:
            w("  - {from: %s, to: %s, ports: [445, 389]}" % (z, s))
        w("  - {from: %s, to: core-app, ports: [8443]}" % z)
    for i in it:
        w("  - {from: ws%d, to: swift-jump, ports: [3389]}" % i)
        w("  - {from: ws%d, to: core, ports: [22]}" % i)
        for s in srv_zones:
            w("  - {from: ws%d, to: %s, ports: any}" % (i, s))
    w("  - {from: swift-jump, to: swift-aa, ports: [22, 48002]}")
    w("  - {from: core-app, to: core-db, ports: [1521]}")
    w("jewels:")
    w("  - {name: swift, host: swift-aa, function: swift, impact: {integrity: critical}, value: 100}")
    w("  - {name: ledger, host: core-db, function: core_banking, value: 80}")
    w("  - {name: ad, host: srv0, function: identity, impact: {integrity: high}, value: 20}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
