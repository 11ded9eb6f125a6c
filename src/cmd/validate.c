/*
 * validate.c — `cybercell validate [--json] FILE...`: check STIX input
 * (bundle, object or array of objects; 2.0 upgraded first) without storing
 * anything, and list every problem with its place.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "analysis/analysis.h"
#include "cmd/cmd.h"
#include "stix/stix.h"
#include "util/buf.h"
#include "util/file.h"

const char cmd_validate_usage[] =
	"usage: cybercell validate [--json] FILE...\n"
	"\n"
	"Check STIX 2.1 input against the OASIS specification without storing it.\n"
	"FILE is a bundle, a single object or a JSON array of objects; '-' reads\n"
	"standard input; .gz files are decompressed.  STIX 2.0 input is upgraded to\n"
	"2.1 first, then validated.\n"
	"\n"
	"  --json    print one JSON document with every file's problems on stdout\n"
	"\n"
	"Each problem goes to stderr as\n"
	"  cybercell: FILE: objects[N] (ID): PROPERTY: what is wrong\n"
	"An indicator that is valid but will not do what it seems to (its pattern\n"
	"names a property its SCO type lacks or a value that cannot be one, or a\n"
	"value is on a warning list or too broad) gets a line ending in\n"
	"  ...: warning: what\n"
	"which does not change the exit status (with --json: \"warnings\").\n"
	"Exit status: 0 all valid, 1 a problem was found, 2 bad usage.\n";

/* One file being checked. */
typedef struct vfile {
	const char *display;    /* the name shown to the user */
	bool json;              /* --json: collect instead of printing */
	json_t *problems;       /* --json: the problems array */
	size_t count;           /* problems found */
	size_t index;           /* current object index */
	int shape;              /* 0 bundle "objects[i]", 1 array "[i]", 2 one object */
	const char *id;         /* current object id (NULL if none) */
	const an_wlset *wl;     /* the warning lists in force */
	json_t *warnings;       /* --json: the warnings array */
} vfile;

static void report(vfile *f, bool has_index, const char *path, const char *msg)
{
	f->count++;
	if (f->json) {
		json_array_append_new(f->problems, json_pack(
			"{s:o s:o s:s s:s}",
			"index", has_index ? json_integer((json_int_t)f->index) : json_null(),
			"id", f->id ? json_string(f->id) : json_null(),
			"path", path, "message", msg));
		return;
	}
	fprintf(stderr, "cybercell: %s: ", f->display);
	if (has_index) {
		if (f->shape == 0)
			fprintf(stderr, "objects[%zu]", f->index);
		else if (f->shape == 1)
			fprintf(stderr, "[%zu]", f->index);
		else
			fputs("object", stderr);
		if (f->id)
			fprintf(stderr, " (%s)", f->id);
		fputs(": ", stderr);
	} else if (path[0]) {
		fputs("bundle: ", stderr);
	}
	if (path[0])
		fprintf(stderr, "%s: ", path);
	fprintf(stderr, "%s\n", msg);
}

static void on_problem(const char *path, const char *msg, void *ud)
{
	report(ud, true, path, msg);
}

/* A warning about the current object: said, not counted as a problem. */
static void on_warning(void *ud, const char *msg)
{
	vfile *f = ud;

	if (f->json) {
		json_array_append_new(f->warnings, json_pack("{s:I s:o s:s}", "index", (json_int_t)f->index,
							     "id", f->id ? json_string(f->id) : json_null(),
							     "message", msg));
		return;
	}
	fprintf(stderr, "cybercell: %s: %s[%zu]%s%s%s: warning: %s\n", f->display,
		f->shape == 0 ? "objects" : "", f->index, f->id ? " (" : "", f->id ? f->id : "",
		f->id ? ")" : "", msg);
}

/* A problem of the bundle envelope itself (no object index). */
static void on_bundle_problem(const char *path, const char *msg, void *ud)
{
	vfile *f = ud;

	f->id = NULL;
	report(f, false, path, msg);
}

/* An upgrade error "prop: what" is split into its path and message. */
static void report_upgrade_error(vfile *f, const cc_err *e)
{
	const char *sep = strstr(e->msg, ": ");
	char path[256] = "";

	if (sep && (size_t)(sep - e->msg) < sizeof(path) &&
	    !memchr(e->msg, ' ', (size_t)(sep - e->msg))) {
		memcpy(path, e->msg, (size_t)(sep - e->msg));
		path[sep - e->msg] = '\0';
		report(f, true, path, sep + 2);
	} else {
		report(f, true, "", e->msg);
	}
}

/* Check the objects of one document; returns how many there were. */
static size_t check_objects(vfile *f, json_t *objs, const char *bundle_sv)
{
	json_t *obj, *x;
	size_t i, j;

	json_array_foreach(objs, i, obj) {
		json_t *extra = json_array();
		cc_err e = { 0 };

		f->index = i;
		f->id = json_string_value(json_object_get(obj, "id"));
		if (stix_is_20(obj, bundle_sv) && stix_upgrade(obj, extra, &e) != 0) {
			report_upgrade_error(f, &e);
			json_decref(extra);
			continue;
		}
		f->id = json_string_value(json_object_get(obj, "id"));
		stix_validate(obj, on_problem, f);
		cmd_indicator_warnings(obj, f->wl, on_warning, f);
		json_array_foreach(extra, j, x) {
			f->id = json_string_value(json_object_get(x, "id"));
			stix_validate(x, on_problem, f);
		}
		json_decref(extra);
	}
	return json_array_size(objs);
}

/* Validate one file; adds its entry to files (--json). */
static void check_file(const char *path, bool as_json, const an_wlset *wl, json_t *files,
		       size_t *invalid)
{
	vfile f = { .display = cc_file_display(path), .json = as_json, .wl = wl };
	cc_buf data = CC_BUF_INIT;
	cc_err e = { 0 };
	json_t *root = NULL, *objs = NULL;
	const char *bundle_sv = NULL;
	size_t n = 0;

	f.problems = json_array();
	f.warnings = json_array();
	if (cc_file_read_all(path, &data, &e) != 0 ||
	    !(root = stix_json_parse(data.data ? data.data : "", data.len,
				     f.display, &e)) ||
	    !(objs = stix_input_objects(root, f.display, &e))) {
		/* the message already names the file */
		f.count++;
		if (as_json)
			json_array_append_new(f.problems, json_pack(
				"{s:n s:n s:s s:s}", "index", "id", "path", "",
				"message", e.msg));
		else
			cmd_fail(&e);
	} else {
		const char *type = json_string_value(json_object_get(root, "type"));

		f.shape = json_is_array(root) ? 1 : 2;
		if (type && strcmp(type, "bundle") == 0) {
			f.shape = 0;
			bundle_sv = json_string_value(json_object_get(root, "spec_version"));
			stix_validate_bundle(root, on_bundle_problem, &f);
		}
		n = check_objects(&f, objs, bundle_sv);
		if (!as_json)
			printf("%s: %zu objects, %s\n", f.display, n,
			       f.count ? "INVALID" : "valid");
	}
	if (f.count)
		(*invalid)++;
	if (as_json)
		json_array_append_new(files, json_pack(
			"{s:s s:I s:b s:o s:o}", "file", f.display,
			"objects", (json_int_t)n, "valid", f.count == 0,
			"problems", f.problems, "warnings", f.warnings));
	else
		json_decref(f.problems);
	if (!as_json)
		json_decref(f.warnings);
	json_decref(objs);
	json_decref(root);
	cc_buf_free(&data);
}

int cmd_validate(int argc, char **argv, const cc_cli *cli)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	bool as_json = false;
	size_t invalid = 0;
	json_t *files;
	an_wlset *wl;
	int c;

	cmd_getopt_reset();
	while ((c = cmd_getopt("validate", argc, argv, "+", opts)) != -1) {
		if (c == 'j')
			as_json = true;
		else
			return 2;       /* reported by cmd_getopt */
	}
	if (optind >= argc)
		return cmd_usage_error("validate", "no FILE given");
	files = json_array();
	wl = cmd_warninglists(cli->db_path);
	for (int i = optind; i < argc; i++)
		check_file(argv[i], as_json, wl, files, &invalid);
	an_wlset_free(wl);
	if (as_json) {
		json_t *doc = json_pack("{s:o}", "files", files);

		json_dumpf(doc, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(doc);
	} else {
		json_decref(files);
	}
	return invalid ? 1 : 0;
}
