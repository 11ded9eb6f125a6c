/*
 * match_out.c — what `cybercell match` tells: hits (readable or JSON),
 * malformed lines, progress, warnings about logs nothing can hit in, and
 * the sightings, written to a bundle file or stored in the hub.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/match_int.h"
#include "util/file.h"
#include "util/time.h"
#include "util/uuid.h"

void mcli_print_hit(void *ud, const match_hit *h)
{
	match_cli *c = ud;
	char ts[CC_TS_MAX] = "";

	if (h->ts_us != INT64_MIN)
		cc_ts_format(h->ts_us, 6, ts);
	if (c->json) {
		json_t *vals = json_array(), *o;
		char *s;

		for (size_t i = 0; i < h->n_values; i++)
			json_array_append_new(vals, json_pack("{s:s,s:s?}", "path", h->values[i].path,
							      "value", h->values[i].value));
		o = json_pack("{s:s,s:s,s:s,s:I,s:o,s:o}", "indicator", match_indicator_id(c->m, h->indicator),
			      "name", match_indicator_name(c->m, h->indicator), "file", h->file,
			      "line", (json_int_t)h->line, "time", ts[0] ? json_string(ts) : json_null(),
			      "matched", vals);
		if (o && h->retro)
			json_object_set_new(o, "retro", json_true());
		s = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
		if (s)
			puts(s);
		free(s);
		json_decref(o);
		return;
	}
	printf("%s:%llu: %s", h->file, (unsigned long long)h->line, match_indicator_id(c->m, h->indicator));
	if (*match_indicator_name(c->m, h->indicator))
		printf(" (%s)", match_indicator_name(c->m, h->indicator));
	printf("%s at %s:", h->retro ? " [retro]" : "", ts[0] ? ts : "-");
	for (size_t i = 0; i < h->n_values; i++)
		printf(" %s=%s", h->values[i].path, h->values[i].value);
	putchar('\n');
}

void mcli_print_bad(void *ud, const char *file, uint64_t line, const char *why)
{
	match_cli *c = ud;

	if (c->bad_shown++ < 5)
		fprintf(stderr, "cybercell: match: %s:%llu: malformed line: %s\n", file,
			(unsigned long long)line, why);
}

void mcli_print_progress(void *ud, uint64_t done, uint64_t total)
{
	match_cli *c = ud;
	int64_t now = cc_mono_us();

	if (now - c->last_progress < 250000 && done < total)
		return;
	c->last_progress = now;
	fprintf(stderr, "\r%s: %3.0f%% of %.1f MB", c->progress_file,
		total ? 100.0 * (double)done / (double)total : 100.0, (double)total / 1e6);
	if (done >= total)
		fputs("\033[K\r", stderr);
}

void mcli_note_format(void *ud, const char *file, match_format fmt)
{
	(void)file;
	((match_cli *)ud)->fmt = fmt;
}

void mcli_check_fields(const match_cli *c, const char *file, const match_totals *before,
		       const match_totals *after)
{
	if (after->events > before->events && after->fields == before->fields)
		fprintf(stderr, "cybercell: match: %s: warning: no field of its %llu events maps to an "
			"object path of the indicators (read as %s): nothing in it can hit\n",
			cc_file_display(file), (unsigned long long)(after->events - before->events),
			match_format_name(c->fmt));
}

/* The identity of where the sightings were made: the org's, else a local
 * one made for the run (and put in the bundle). */
static int scan_identity(match_cli *c, cc_err *e)
{
	char u[CC_UUID_STR], host[128] = "localhost", ts[CC_TS_MAX];

	if (c->identity_done)
		return 0;
	if (c->org) {
		store_org o = { 0 };
		int rc = store_org_get(c->s, c->org, &o, e);

		if (rc < 0)
			return rc;
		snprintf(c->identity, sizeof(c->identity), "%s", o.identity_id);
		store_org_clear(&o);
	} else {
		cc_uuid4(u);
		snprintf(c->identity, sizeof(c->identity), "identity--%s", u);
		gethostname(host, sizeof(host) - 1);
		cc_ts_format(cc_now_us(), 3, ts);
		c->local_id = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "type", "identity",
					"spec_version", "2.1", "id", c->identity, "created", ts,
					"modified", ts, "name", host, "identity_class", "system");
	}
	c->identity_done = true;
	return 0;
}

static int write_bundle(const char *path, json_t *objs, cc_err *e)
{
	char u[CC_UUID_STR], id[64];
	json_t *b;
	char *s;
	int rc;

	cc_uuid4(u);
	snprintf(id, sizeof(id), "bundle--%s", u);
	b = json_pack("{s:s,s:s,s:O}", "type", "bundle", "id", id, "objects", objs);
	s = b ? json_dumps(b, JSON_INDENT(1)) : NULL;
	json_decref(b);
	if (!s)
		return cc_err_set(e, CC_ENOMEM, "%s: out of memory", path);
	if (!strcmp(path, "-")) {
		fputs(s, stdout);
		putchar('\n');
		rc = 0;
	} else {
		size_t n = strlen(s);

		s[n] = '\n';
		rc = cc_file_write_atomic(path, s, n + 1, e);
	}
	free(s);
	return rc;
}

/* Store objs in one transaction: the org's own objects with --org (so
 * "who else saw this" knows whose they are), else the hub's. */
static int store_objects(match_cli *c, json_t *objs, cc_err *e)
{
	int64_t owner = 0;
	int rc = 0;

	if (c->org) {
		store_org o = { 0 };

		rc = store_org_get(c->s, c->org, &o, e);
		owner = o.id;
		store_org_clear(&o);
	}
	if (rc == 0)
		rc = store_begin(c->s, e);
	for (size_t i = 0; rc == 0 && i < json_array_size(objs); i++)
		rc = store_put(c->s, c->coll_id, json_array_get(objs, i), owner, NULL, e);
	if (rc == 0)
		return store_commit(c->s, e);
	store_rollback(c->s);
	return rc;
}

int mcli_sightings(match_cli *c, bool changed_only, cc_err *e)
{
	json_t *objs;
	int rc = scan_identity(c, e);

	if (rc < 0)
		return rc;
	if (c->sight_path) {            /* the whole bundle, every time */
		objs = match_sightings(c->m, c->run, c->identity);
		if (c->local_id)
			json_array_insert(objs, 0, c->local_id);
		rc = write_bundle(c->sight_path, objs, e);
	} else {
		objs = changed_only ? match_sightings_changed(c->m, c->run, c->identity)
				    : match_sightings(c->m, c->run, c->identity);
		if (c->local_id && json_array_size(objs))
			json_array_insert(objs, 0, c->local_id);
		rc = json_array_size(objs) ? store_objects(c, objs, e) : 0;
	}
	json_decref(objs);
	c->flushes++;
	return rc;
}
