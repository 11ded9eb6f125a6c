#!/usr/bin/env python3
"""The technique tables of docs/wargame-rules.md, made from the rule files:
coverage per tactic, then every technique the rules name, by tactic: a rule
(its file and clauses), outside the modelled network, or not modelled (and
why).  tests/e2e/test_wargame_graph.sh checks that the document holds
exactly this text between its BEGIN/END markers.

  wargame_rules_table.py RULES_DIR
"""
import glob
import os
import re
import sys

TACTICS = ['reconnaissance', 'resource-development', 'initial-access', 'execution',
           'persistence', 'privilege-escalation', 'defense-evasion', 'credential-access',
           'discovery', 'lateral-movement', 'collection', 'command-and-control',
           'exfiltration', 'impact']


def key(t):
    return [int(x) for x in t[1:].split('.')]


def read(directory):
    techs = {}      # id -> {name, tactic, status, text}
    for path in sorted(glob.glob(os.path.join(directory, '*.rules'))):
        name = os.path.basename(path)
        cur = None
        for line in open(path, encoding='utf-8'):
            m = re.match(r'technique (T\d{4}(?:\.\d{3})?) "([^"]*)" (\S+)', line)
            if m:
                t = techs.setdefault(m.group(1), {'name': m.group(2), 'tactic': m.group(3),
                                                  'status': 'modelled', 'clauses': {}})
                cur = t['clauses'].setdefault(name, [])
                continue
            m = re.match(r'\s+(\S.* :- .*\.)\s*$', line)
            if m and cur is not None:
                if m.group(1) not in cur:
                    cur.append(m.group(1))
                continue
            if line.startswith('end'):
                cur = None
            m = re.match(r'(outside|unmodelled) (T\d{4}(?:\.\d{3})?) "([^"]*)" (\S+) "([^"]*)"', line)
            if m:
                techs[m.group(2)] = {'name': m.group(3), 'tactic': m.group(4),
                                     'status': 'outside' if m.group(1) == 'outside'
                                     else 'not modelled', 'why': m.group(5)}
    return techs


def main(directory):
    techs = read(directory)
    out = ['## Coverage by tactic', '',
           '| tactic | techniques | modelled | outside the model | not modelled |',
           '| --- | ---: | ---: | ---: | ---: |']
    tot = [0, 0, 0, 0]
    for tac in TACTICS:
        ts = [t for t in techs.values() if t['tactic'] == tac]
        row = [len(ts), sum(t['status'] == 'modelled' for t in ts),
               sum(t['status'] == 'outside' for t in ts),
               sum(t['status'] == 'not modelled' for t in ts)]
        tot = [a + b for a, b in zip(tot, row)]
        out.append('| %s | %d | %d | %d | %d |' % (tac, *row))
    out.append('| **all** | **%d** | **%d** | **%d** | **%d** |' % tuple(tot))
    for tac in TACTICS:
        ids = sorted((i for i, t in techs.items() if t['tactic'] == tac), key=key)
        out += ['', '### ' + tac, '', '| technique | name | status | rule or reason |',
                '| --- | --- | --- | --- |']
        for i in ids:
            t = techs[i]
            if t['status'] == 'modelled':
                what = '; '.join('%s: `%s`' % (f, '` `'.join(c)) for f, c in t['clauses'].items())
            else:
                what = t['why']
            out.append('| %s | %s | %s | %s |' % (i, t['name'], t['status'], what))
    print('\n'.join(out))


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
