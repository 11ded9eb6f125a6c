/*
 * sightings.c — `cybercell sightings`: who else saw this indicator or this
 * value, across the members of the hub, as one member (--org) or the
 * operator may know of it.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "analysis/analysis.h"
#include "cmd/cmd.h"
#include "stix/stix.h"
#include "store/store.h"

const char cmd_sightings_usage[] =
	"usage: cybercell sightings [--org NAME] [--json] (INDICATOR-ID | VALUE)\n"
	"\n"
	"Who else saw this: the sightings of an indicator, or of an observed value\n"
	"(an address, domain, URL, e-mail address or hash in a sighting's\n"
	"observed-data), across the members of the hub: how many members sighted\n"
	"it, first and last seen, counts.  A member is named only where it allows\n"
	"it ('cybercell org set NAME --named-in-sightings yes'), else counted.\n"
	"\n"
	"  --org NAME   answer as member NAME sees the hub: only the sightings its\n"
	"               grants and TLP ceilings let it read (as TAXII serves them);\n"
	"               without it, the operator's view of everything\n"
	"  --json       one JSON object (the TAXII answer's shape)\n";

static void print_row(const char *who, const json_t *t)
{
	json_int_t s = json_integer_value(json_object_get(t, "sightings"));

	printf("  %-28s %6lld sighting%s %10lld events  %s .. %s\n", who, (long long)s, s == 1 ? " " : "s",
	       (long long)json_integer_value(json_object_get(t, "count")),
	       json_is_string(json_object_get(t, "first_seen")) ?
	       json_string_value(json_object_get(t, "first_seen")) : "-",
	       json_is_string(json_object_get(t, "last_seen")) ?
	       json_string_value(json_object_get(t, "last_seen")) : "-");
}

static void print_text(const json_t *a)
{
	const char *q = json_string_value(json_object_get(a, "indicator"));
	json_t *named = json_object_get(a, "named"), *t, *un = json_object_get(a, "unnamed");
	json_int_t members = json_integer_value(json_object_get(a, "members"));
	char who[64];
	size_t i;

	if (!q)
		q = json_string_value(json_object_get(a, "value"));
	printf("%s: %lld member%s, %lld sightings, %lld events\n", q, (long long)members,
	       members == 1 ? "" : "s", (long long)json_integer_value(json_object_get(a, "sightings")),
	       (long long)json_integer_value(json_object_get(a, "count")));
	json_array_foreach(named, i, t) {
		snprintf(who, sizeof(who), "%s%s", json_string_value(json_object_get(t, "member")),
			 json_is_true(json_object_get(t, "you")) ? " (you)" : "");
		print_row(who, t);
	}
	if (json_integer_value(json_object_get(un, "members"))) {
		snprintf(who, sizeof(who), "%lld other member%s",
			 (long long)json_integer_value(json_object_get(un, "members")),
			 json_integer_value(json_object_get(un, "members")) == 1 ? "" : "s");
		print_row(who, un);
	}
	if (json_integer_value(json_object_get(json_object_get(a, "hub"), "sightings")))
		print_row("the hub", json_object_get(a, "hub"));
}

int cmd_sightings(int argc, char **argv, const cc_cli *cli)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *org = NULL;
	bool json = false;
	an_seen_query q = { 0 };
	store *s = NULL;
	json_t *a = NULL;
	cc_err e = { 0 };
	int c, rc;

	cmd_getopt_reset();
	while ((c = cmd_getopt("sightings", argc, argv, "", opts)) != -1) {
		if (c == 'o')
			org = optarg;
		else if (c == 'j')
			json = true;
		else
			return 2;       /* reported by cmd_getopt */
	}
	if (optind != argc - 1)
		return cmd_usage_error("sightings", "expected one INDICATOR-ID or VALUE");
	if (stix_id_valid(argv[optind], "indicator"))
		q.indicator = argv[optind];
	else
		q.value = argv[optind];
	rc = store_open(cli->db_path, &s, &e);
	if (rc == 0 && org) {
		store_org o = { 0 };

		rc = store_org_get(s, org, &o, &e);
		q.viewer_org = o.id;
		store_org_clear(&o);
	}
	if (rc == 0)
		rc = an_who_saw(s, &q, &a, &e);
	if (rc == 0 && json) {
		json_dumpf(a, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else if (rc == 0) {
		print_text(a);
	}
	json_decref(a);
	store_close(s);
	return rc ? cmd_fail(&e) : 0;
}
