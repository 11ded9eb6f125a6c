#!/usr/bin/env python3
"""Independent checks of the war game's ATT&CK handling, straight from an
ATT&CK-shaped STIX bundle (plain or .gz) and the rule files, without
cybercell: tests/e2e/test_wargame_attack.sh compares them with its output.

  wargame_attack_check.py profile BUNDLE RULES_DIR GROUP [--no-software]
      the group's techniques (its own `uses`, plus its malware's and
      tools', revoked and deprecated objects and relationships left out)
      and how the rules cover them, as JSON
  wargame_attack_check.py top BUNDLE RULES_DIR N
      the union of the techniques of the N groups with the most, and the
      share of it no rule models or declares outside, as JSON
  wargame_attack_check.py rules BUNDLE RULES_DIR
      every technique block, `outside` and `unmodelled` line of the rules
      against ATT&CK: the id exists, the name and platforms are ATT&CK's,
      the tactic is one of the technique's; prints the problems (none: ok)
  wargame_attack_check.py all BUNDLE RULES_DIR N GROUP...
      the three at once (the bundle read once), as one JSON object:
      {"rules": [problems], "top": {...}, "profiles": {GROUP: {...}}}
"""
import gzip
import json
import re
import sys

PLATFORMS = {'Windows': 'windows', 'Linux': 'linux', 'macOS': 'macos',
             'Network Devices': 'network-devices', 'Containers': 'containers',
             'IaaS': 'iaas', 'SaaS': 'saas', 'Office Suite': 'office-suite',
             'Identity Provider': 'identity-provider', 'ESXi': 'esxi', 'PRE': 'pre'}


def load(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt', encoding='utf-8') as f:
        return json.load(f)['objects']


def live(o):
    return not o.get('revoked') and not o.get('x_mitre_deprecated')


def attack_id(o):
    for r in o.get('external_references', []):
        if r.get('source_name') == 'mitre-attack':
            return r.get('external_id')
    return None


class Attack:
    def __init__(self, path):
        objs = load(path)
        self.by_id = {o['id']: o for o in objs}
        self.patterns = {o['id']: o for o in objs if o['type'] == 'attack-pattern' and live(o)}
        self.groups = {o['id']: o for o in objs if o['type'] == 'intrusion-set' and live(o)}
        self.uses = {}
        for o in objs:
            if o['type'] == 'relationship' and live(o) and o['relationship_type'] == 'uses':
                self.uses.setdefault(o['source_ref'], set()).add(o['target_ref'])

    def techniques(self, gid, software=True):
        out = set()
        for t in self.uses.get(gid, ()):
            if t in self.patterns:
                out.add(attack_id(self.patterns[t]))
            elif software and t.split('--')[0] in ('malware', 'tool') and \
                    t in self.by_id and live(self.by_id[t]):
                out |= {attack_id(self.patterns[x]) for x in self.uses.get(t, ())
                        if x in self.patterns}
        return out

    def group(self, name):
        for gid, g in self.groups.items():
            if g['name'].lower() == name.lower() or \
                    name.lower() in (a.lower() for a in g.get('aliases', [])):
                return gid
        raise SystemExit('no group ' + name)


class Rules:
    """What the rule files say, read with regular expressions."""

    def __init__(self, directory):
        import glob
        self.rules = set()       # technique ids with a rule
        self.decl = {}           # id -> 'outside' | 'unmodelled'
        self.blocks = []         # (file, line, id, name, tactic, platforms)
        self.decls = []          # (file, line, kind, id, name, tactic)
        for path in sorted(glob.glob(directory + '/*.rules')):
            block = None
            for n, line in enumerate(open(path, encoding='utf-8'), 1):
                m = re.match(r'technique (T\d{4}(?:\.\d{3})?) "([^"]*)" (\S+)', line)
                if m:
                    self.rules.add(m.group(1))
                    block = [path, n, m.group(1), m.group(2), m.group(3), None]
                    self.blocks.append(block)
                m = re.match(r'\s+platforms (.*)', line)
                if m and block:
                    block[5] = m.group(1).split()
                m = re.match(r'(outside|unmodelled) (T\d{4}(?:\.\d{3})?) "([^"]*)" (\S+)', line)
                if m:
                    self.decl[m.group(2)] = m.group(1)
                    self.decls.append((path, n, m.group(1), m.group(2), m.group(3), m.group(4)))

    def status(self, t):
        """modelled: a rule for t; t a parent with rules for its
        sub-techniques; t a sub-technique with no rule or declaration of
        its own whose parent has a rule."""
        if t in self.rules or any(r.startswith(t + '.') for r in self.rules) or \
                ('.' in t and t not in self.decl and t.split('.')[0] in self.rules):
            return 'modelled'
        d = self.decl.get(t) or self.decl.get(t.split('.')[0])
        return 'outside' if d == 'outside' else 'unmodelled'


def profile(a, r, name, software=True):
    ts = sorted(a.techniques(a.group(name), software))
    st = {t: r.status(t) for t in ts}
    return {'techniques_total': len(ts),
            'techniques_modelled': sum(s == 'modelled' for s in st.values()),
            'techniques_outside': sum(s == 'outside' for s in st.values()),
            'techniques_unmodelled': [t for t in ts if st[t] == 'unmodelled'],
            'techniques': ts}


def top(a, r, n):
    sets = sorted((a.techniques(g) for g in a.groups), key=len, reverse=True)[:n]
    union = set().union(*sets)
    un = sorted(t for t in union if r.status(t) == 'unmodelled')
    return {'groups': len(sets), 'union': len(union), 'unmodelled': un,
            'share': len(un) / len(union)}


def check_rules(a, r):
    by_tid = {attack_id(p): p for p in a.patterns.values()}
    bad = []
    for path, n, tid, name, tactic, plats in r.blocks:
        p = by_tid.get(tid)
        where = '%s:%d: %s' % (path, n, tid)
        if not p:
            bad.append(where + ': not a live ATT&CK technique')
            continue
        if p['name'] != name:
            bad.append('%s: name "%s", ATT&CK says "%s"' % (where, name, p['name']))
        phases = [k['phase_name'] for k in p.get('kill_chain_phases', [])]
        if tactic not in phases:
            bad.append('%s: tactic %s not among %s' % (where, tactic, phases))
        want = sorted(PLATFORMS[x] for x in p.get('x_mitre_platforms', []))
        if sorted(plats or []) != want:
            bad.append('%s: platforms %s, ATT&CK says %s' % (where, plats, want))
    for path, n, kind, tid, name, tactic in r.decls:
        p = by_tid.get(tid)
        if not p or p['name'] != name:
            bad.append('%s:%d: %s %s: not ATT&CK\'s "%s"' % (path, n, kind, tid, name))
    missing = sorted(t for t in by_tid if t not in r.rules and t not in r.decl)
    if missing:
        bad.append('techniques with neither a rule nor a declaration: ' + ' '.join(missing))
    return bad


if __name__ == '__main__':
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    cmd, a, r = sys.argv[1], Attack(sys.argv[2]), Rules(sys.argv[3])
    if cmd == 'profile':
        print(json.dumps(profile(a, r, sys.argv[4], '--no-software' not in sys.argv)))
    elif cmd == 'top':
        print(json.dumps(top(a, r, int(sys.argv[4]))))
    elif cmd == 'rules':
        print('\n'.join(check_rules(a, r)) or 'ok')
    elif cmd == 'all':
        print(json.dumps({'rules': check_rules(a, r), 'top': top(a, r, int(sys.argv[4])),
                          'profiles': {g: profile(a, r, g) for g in sys.argv[5:]}}))
    else:
        sys.exit(__doc__)
