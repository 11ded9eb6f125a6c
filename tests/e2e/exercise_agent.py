#!/usr/bin/env python3
"""A scripted blue team for `cybercell exercise --json` (docs/exercise.md).

    exercise_agent.py CYBERCELL-COMMAND... > end.json

Starts the command, plays over JSON lines until the "end" message and
prints that message on stdout.  Policy: investigate every host an alert
names (once), isolate every host an investigation found the attacker on,
and spend what is left on nothing (pass).  Exits 1 on a protocol error.
"""
import json
import subprocess
import sys


def main():
    p = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True, bufsize=1)
    investigated, isolated, suspects = set(), set(), set()
    turns = 0
    for line in p.stdout:
        msg = json.loads(line)
        kind = msg.get("type")
        if kind == "start":
            assert msg["turns"] > 0 and msg["budget"] > 0 and msg["hosts"]
            continue
        if kind == "end":
            msg["agent_turns"] = turns
            print(json.dumps(msg))
            p.stdin.close()
            return p.wait()
        if kind == "error":
            print("agent: server said: " + msg["error"], file=sys.stderr)
            return 1
        assert kind == "turn", msg
        turns += 1
        for r in msg["results"]:
            if "IS there" in r.get("result", ""):
                suspects.add(r["target"])
        budget, acts = msg["budget"], []
        for h in sorted(suspects - isolated):
            if budget >= 2:
                acts.append({"action": "isolate", "host": h})
                isolated.add(h)
                budget -= 2
        for a in msg["alerts"]:
            h = a["host"]
            if h not in investigated and h not in isolated and budget >= 1:
                acts.append({"action": "investigate", "host": h})
                investigated.add(h)
                budget -= 1
        acts.append({"action": "pass"})
        p.stdin.write(json.dumps({"actions": acts}) + "\n")
        p.stdin.flush()
    print("agent: no end message", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
