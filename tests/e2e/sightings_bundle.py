# sightings_bundle.py ARGS: a TAXII envelope of sightings for the tests of
# "who else saw this" (test_hostile_sightings.sh, test_hostile_ui_seen.sh).
# Each ARG is "n=N,of=INDICATOR,count=C[,tlp=green|amber|red][,value=V]
# [,where=IDENTITY][,first=TS][,last=TS]": sighting N, with an observed-data
# and the SCO of V when value is given (a domain-name when V has a letter,
# else an ipv4-addr), marked tlp, sighted where (also its creator).
import json, sys, uuid
NS = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
TLP = {"green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
       "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
       "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"}
T0 = "2024-05-01T00:00:00.000Z"
def sco(value):
    t = "domain-name" if any(c.isalpha() for c in value) else "ipv4-addr"
    return {"type": t, "spec_version": "2.1", "value": value,
            "id": "%s--%s" % (t, uuid.uuid5(NS, json.dumps({"value": value}, separators=(",", ":"))))}
objs = []
# sighting:N,of=INDICATOR,count=C,tlp=T,value=V[,where=IDENTITY]
for a in sys.argv[1:]:
    kv = dict(x.split("=", 1) for x in a.split(","))
    n = kv["n"]
    s = {"type": "sighting", "spec_version": "2.1", "id": "sighting--9%07d-0000-4000-8000-000000000000" % int(n),
         "created": T0, "modified": T0, "sighting_of_ref": kv["of"], "count": int(kv["count"]),
         "first_seen": kv.get("first", "2024-05-01T10:00:00.000Z"), "last_seen": kv.get("last", "2024-05-02T10:00:00.000Z")}
    marks = [TLP[kv["tlp"]]] if "tlp" in kv else []
    if marks:
        s["object_marking_refs"] = marks
    if "where" in kv:
        s["where_sighted_refs"] = [kv["where"]]
        s["created_by_ref"] = kv["where"]
    if "value" in kv:
        o = sco(kv["value"])
        od = {"type": "observed-data", "spec_version": "2.1", "id": "observed-data--9%07d-0000-4000-8000-000000000000" % int(n),
              "created": T0, "modified": T0, "first_observed": s["first_seen"], "last_observed": s["last_seen"],
              "number_observed": 1, "object_refs": [o["id"]]}
        if marks:
            od["object_marking_refs"] = marks
        s["observed_data_refs"] = [od["id"]]
        objs += [o, od]
    objs.append(s)
print(json.dumps({"objects": objs}))
