/*
 * export.c — `cybercell export`: stored objects as one STIX 2.1 bundle.
 * The stored compact JSON is copied as is, so export never reparses.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "store/store.h"
#include "util/time.h"
#include "util/uuid.h"
#include "util/xalloc.h"

const char cmd_export_usage[] =
	"usage: cybercell export [--collection NAME] [--type T]... [--all-versions]\n"
	"                        [--added-after TS] [-o FILE]\n"
	"\n"
	"Write the stored objects as one STIX 2.1 bundle (a fresh bundle id), in the\n"
	"order they were added.  By default the latest version of every object of\n"
	"every collection.\n"
	"\n"
	"  -c, --collection NAME  only this collection\n"
	"  -t, --type T           only objects of type T (repeatable)\n"
	"  -a, --all-versions     every stored version, not only the latest\n"
	"      --added-after TS   only versions added after the STIX timestamp TS\n"
	"  -o, --output FILE      write FILE atomically instead of standard output\n"
	"\n"
	"Exit status: 0 written, 1 failed, 2 bad usage.\n";

static const struct option export_opts[] = {
	{ "collection", required_argument, NULL, 'c' },
	{ "type", required_argument, NULL, 't' },
	{ "all-versions", no_argument, NULL, 'a' },
	{ "added-after", required_argument, NULL, 'A' },
	{ "output", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

typedef struct export_out {
	FILE *f;
	size_t n;
} export_out;

static int write_row(const store_row *r, void *ud)
{
	export_out *o = ud;

	if (o->n++)
		fputs(",\n", o->f);
	fwrite(r->json, 1, r->json_len, o->f);
	return ferror(o->f) ? 1 : 0;
}

/* Open the output: stdout, or a temp file beside path to rename later. */
static FILE *open_out(const char *path, char **tmp, cc_err *e)
{
	int fd;

	*tmp = NULL;
	if (!path)
		return stdout;
	if (asprintf(tmp, "%s.tmp.XXXXXX", path) < 0) {
		*tmp = NULL;
		cc_err_set(e, CC_ENOMEM, "%s: out of memory", path);
		return NULL;
	}
	fd = mkstemp(*tmp);
	if (fd < 0) {
		cc_err_set(e, CC_EIO, "%s: %s", path, strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	return fdopen(fd, "w");
}

/* Flush, sync and rename the temp file into place (or remove it on failure). */
static int close_out(FILE *f, const char *path, char *tmp, int rc, cc_err *e)
{
	if (!tmp)
		return rc;
	if (rc == 0 && (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0))
		rc = cc_err_set(e, CC_EIO, "%s: %s", path, strerror(errno));
	if (fclose(f) != 0 && rc == 0)
		rc = cc_err_set(e, CC_EIO, "%s: %s", path, strerror(errno));
	if (rc == 0 && rename(tmp, path) != 0)
		rc = cc_err_set(e, CC_EIO, "%s: %s", path, strerror(errno));
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

static int run_export(store *st, store_query *q, const char *path, cc_err *e)
{
	export_out o = { NULL, 0 };
	char uuid[CC_UUID_STR], *tmp;
	int rc;

	o.f = open_out(path, &tmp, e);
	if (!o.f)
		return CC_EIO;
	cc_uuid4(uuid);
	fprintf(o.f, "{\"type\":\"bundle\",\"id\":\"bundle--%s\",\"objects\":[\n", uuid);
	rc = store_query_run(st, q, write_row, &o, NULL, e);
	fputs("\n]}\n", o.f);
	if (rc == 0 && ferror(o.f))
		rc = cc_err_set(e, CC_EIO, "%s: write error", path ? path : "<stdout>");
	return close_out(o.f, path, tmp, rc, e);
}

int cmd_export(int argc, char **argv, const cc_cli *cli)
{
	store_query q = { 0 };
	const char **types = NULL;
	const char *coll_name = NULL, *out = NULL;
	store_collection coll = { 0 };
	store *st = NULL;
	cc_err e = { 0 };
	int opt, status = 0;

	types = cc_xcalloc((size_t)argc, sizeof(*types));
	q.versions = STORE_VER_LAST;
	cmd_getopt_reset();
	while ((opt = cmd_getopt(argv[0], argc, argv, "c:t:ao:", export_opts)) != -1) {
		switch (opt) {
		case 'c': coll_name = optarg; break;
		case 't': types[q.n_types++] = optarg; break;
		case 'a': q.versions = STORE_VER_ALL; break;
		case 'o': out = optarg; break;
		case 'A':
			if (!cc_ts_parse(optarg, &q.added_after_us)) {
				status = cmd_usage_error(argv[0], "--added-after: '%s' is not a STIX "
							 "timestamp", optarg);
				goto out;
			}
			break;
		default:        /* reported by cmd_getopt */
			status = 2;
			goto out;
		}
	}
	if (optind < argc) {
		status = cmd_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	q.types = types;
	if (store_open(cli->db_path, &st, &e))
		goto out_fail;
	if (coll_name) {
		if (store_collection_get(st, coll_name, &coll, &e))
			goto out_fail;
		q.collection_id = coll.id;
	}
	if (run_export(st, &q, out, &e) == 0)
		goto out;
out_fail:
	status = cmd_fail(&e);
out:
	store_collection_clear(&coll);
	store_close(st);
	free(types);
	return status;
}
