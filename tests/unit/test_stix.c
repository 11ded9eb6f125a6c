/* Unit tests of src/stix: strict parsing, validation (data-driven from
 * tests/data/stix/valid and invalid), ids, TLP, the 2.0 -> 2.1 upgrade of a
 * bundle shaped like ATT&CK (tests/data/store/attack20.json), and real data
 * (ATT&CK, the OASIS examples) when the outside test data is there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stix/stix.h"
#include "util/buf.h"
#include "util/file.h"
#include "testdata.h"

static const char *root_dir(void)
{
	const char *r = getenv("CC_ROOT");

	return r ? r : ".";
}

/* Parse a whole file (".gz" too) strictly; fails the test on error. */
static json_t *load(const char *path)
{
	cc_buf b = CC_BUF_INIT;
	cc_err e = { 0 };
	json_t *j;

	if (cc_file_read_all(path, &b, &e) != 0)
		fail_msg("%s", e.msg);
	j = stix_json_parse(b.data, b.len, path, &e);
	if (!j)
		fail_msg("%s", e.msg);
	cc_buf_free(&b);
	return j;
}

/* Problems collected as "path: message" lines. */
static void collect(const char *path, const char *msg, void *ud)
{
	cc_buf_printf(ud, "%s: %s\n", path, msg);
}

static size_t validate_into(const json_t *obj, cc_buf *out)
{
	return stix_validate(obj, collect, out);
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcmp(s + n - m, suf) == 0;
}

/* Call fn for every *.json in dir; returns how many. */
static int each_json(const char *dir, void (*fn)(const char *path))
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[1024];
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d))) {
		if (!has_suffix(de->d_name, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		fn(path);
		n++;
	}
	closedir(d);
	return n;
}

static void check_valid_file(const char *path)
{
	json_t *o = load(path);
	cc_buf b = CC_BUF_INIT;

	if (validate_into(o, &b) != 0)
		fail_msg("%s should be valid:\n%s", path, cc_buf_str(&b));
	cc_buf_free(&b);
	json_decref(o);
}

static void check_invalid_file(const char *path)
{
	json_t *doc = load(path), *x;
	cc_buf b = CC_BUF_INIT;
	size_t i;

	size_t n = validate_into(json_object_get(doc, "object"), &b);

	/* exactly the problems expected, no more */
	if (n != json_array_size(json_object_get(doc, "expect")))
		fail_msg("%s: %zu problems, expected %zu:\n%s", path, n,
			 json_array_size(json_object_get(doc, "expect")),
			 cc_buf_str(&b));
	json_array_foreach(json_object_get(doc, "expect"), i, x) {
		char line[1024];

		snprintf(line, sizeof(line), "%s: %s",
			 json_string_value(json_object_get(x, "path")),
			 json_string_value(json_object_get(x, "message")));
		if (!strstr(cc_buf_str(&b), line))
			fail_msg("%s: expected \"%s\", got:\n%s", path, line,
				 cc_buf_str(&b));
	}
	cc_buf_free(&b);
	json_decref(doc);
}

static void test_valid_files(void **state)
{
	char dir[1024];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/data/stix/valid", root_dir());
	assert_int_equal(each_json(dir, check_valid_file), 51);
}

static void test_invalid_files(void **state)
{
	char dir[1024];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/data/stix/invalid", root_dir());
	assert_int_equal(each_json(dir, check_invalid_file), 59);
}

/* Parse text and return the error message ("" when it parsed). */
static const char *parse_error(const char *text, size_t len)
{
	static cc_err e;
	json_t *j;

	memset(&e, 0, sizeof(e));
	j = stix_json_parse(text, len, "t.json", &e);
	if (j) {
		json_decref(j);
		return "";
	}
	return e.msg;
}

static void test_parse_strict(void **state)
{
	const char *msg;
	size_t n = 10000, big = 10 * 1024 * 1024;
	char *s;

	(void)state;
	assert_string_equal(parse_error("{\"a\":1}", 7), "");
	msg = parse_error("{\"a\":1,\n \"a\":2}", 15);
	assert_non_null(strstr(msg, "t.json:2:"));
	assert_non_null(strstr(msg, "duplicate"));
	msg = parse_error("{\"a\":\"\xff\xfe\"}", 10);
	assert_non_null(strstr(msg, "t.json:1:"));
	msg = parse_error("{\"type\": \"bundle\", \"objects\": [", 31);
	assert_non_null(strstr(msg, "t.json:1:"));
	assert_string_equal(parse_error("", 0)[0] != '\0' ? "err" : "", "err");
	/* 10,000 levels of nesting: an error, not a crash */
	s = malloc(2 * n);
	assert_non_null(s);
	memset(s, '[', n);
	memset(s + n, ']', n);
	msg = parse_error(s, 2 * n);
	assert_non_null(strstr(msg, "depth"));
	free(s);
	/* a 10 MB string parses (the e2e test does 100 MB) */
	s = malloc(big + 9);
	assert_non_null(s);
	memcpy(s, "{\"a\":\"", 6);
	memset(s + 6, 'x', big);
	memcpy(s + 6 + big, "\"}", 3);
	assert_string_equal(parse_error(s, big + 8), "");
	free(s);
}

static void test_input_objects(void **state)
{
	cc_err e = { 0 };
	json_t *r, *objs;

	(void)state;
	r = json_loads("{\"type\":\"bundle\",\"id\":\"b\",\"objects\":[{\"type\":\"x\"},{\"type\":\"y\"}]}", 0, NULL);
	objs = stix_input_objects(r, "f", &e);
	assert_int_equal(json_array_size(objs), 2);
	json_decref(objs);
	json_decref(r);
	r = json_loads("[{\"type\":\"x\"}]", 0, NULL);
	objs = stix_input_objects(r, "f", &e);
	assert_int_equal(json_array_size(objs), 1);
	json_decref(objs);
	json_decref(r);
	r = json_loads("{\"type\":\"indicator\"}", 0, NULL);
	objs = stix_input_objects(r, "f", &e);
	assert_int_equal(json_array_size(objs), 1);
	assert_ptr_equal(json_array_get(objs, 0), r);
	json_decref(objs);
	json_decref(r);
	r = json_loads("42", JSON_DECODE_ANY, NULL);
	assert_null(stix_input_objects(r, "f", &e));
	assert_string_equal(e.msg, "f: not a STIX bundle, object or array of objects");
	json_decref(r);
	r = json_loads("[1]", 0, NULL);
	assert_null(stix_input_objects(r, "f", &e));
	json_decref(r);
}

static size_t bundle_problems(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);
	size_t n = stix_validate_bundle(j, NULL, NULL);

	json_decref(j);
	return n;
}

static void test_bundle(void **state)
{
	(void)state;
	assert_int_equal(bundle_problems("{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":[]}"), 0);
	assert_int_equal(bundle_problems("{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"spec_version\":\"2.0\"}"), 0);
	assert_int_equal(bundle_problems("{\"type\":\"bundle\",\"id\":\"report--5d0092c5-5f74-4287-9642-33f4c354e56d\"}"), 1);
	assert_int_equal(bundle_problems("{\"type\":\"bundle\"}"), 1);
	assert_int_equal(bundle_problems("{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"spec_version\":\"3\",\"objects\":[1]}"), 2);
	assert_int_equal(bundle_problems("{\"type\":\"indicator\"}"), 1);
}

static void test_ids(void **state)
{
	char t[64];

	(void)state;
	assert_true(stix_id_valid("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", NULL));
	assert_true(stix_id_valid("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "indicator"));
	assert_false(stix_id_valid("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "indicato"));
	assert_false(stix_id_valid("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3", NULL));
	assert_false(stix_id_valid("indicator--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f", NULL));
	assert_false(stix_id_valid("Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", NULL));
	assert_false(stix_id_valid("indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", NULL));
	assert_false(stix_id_valid(NULL, NULL));
	assert_true(stix_id_type("x-mitre-tactic--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", t, sizeof(t)));
	assert_string_equal(t, "x-mitre-tactic");
	assert_false(stix_id_type("x-mitre-tactic--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", t, 5));
	assert_false(stix_id_type("nonsense", t, sizeof(t)));
}

static int tlp_of(const char *refs_json)
{
	json_t *o = json_pack("{s:o}", "object_marking_refs",
			      json_loads(refs_json, 0, NULL));
	int l = stix_tlp_level(o);

	json_decref(o);
	return l;
}

static void test_tlp(void **state)
{
	(void)state;
	assert_int_equal(tlp_of("[\"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9\"]"), STIX_TLP_CLEAR);
	assert_int_equal(tlp_of("[\"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487\"]"), STIX_TLP_CLEAR);
	assert_int_equal(tlp_of("[\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\"]"), STIX_TLP_GREEN);
	assert_int_equal(tlp_of("[\"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82\"]"), STIX_TLP_AMBER);
	assert_int_equal(tlp_of("[\"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb\","
				"\"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003\"]"),
			 STIX_TLP_AMBER_STRICT);
	assert_int_equal(tlp_of("[\"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1\","
				"\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\"]"),
			 STIX_TLP_RED);
	assert_int_equal(tlp_of("[\"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed\"]"), STIX_TLP_RED);
	assert_int_equal(tlp_of("[\"marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168\"]"), STIX_TLP_NONE);
	assert_int_equal(tlp_of("[]"), STIX_TLP_NONE);
	assert_string_equal(stix_tlp_marking_id(3),
			    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003");
	assert_null(stix_tlp_marking_id(5));
	assert_null(stix_tlp_marking_id(-1));
	assert_string_equal(stix_tlp_name(STIX_TLP_AMBER_STRICT), "amber+strict");
	assert_null(stix_tlp_name(7));
	for (int l = 0; l <= 4; l++)
		assert_int_equal(stix_tlp_parse_name(stix_tlp_name(l)), l);
	assert_int_equal(stix_tlp_parse_name("white"), STIX_TLP_CLEAR);
	assert_int_equal(stix_tlp_parse_name("TLP:RED"), STIX_TLP_RED);
	assert_int_equal(stix_tlp_parse_name("purple"), -1);
}

/* Upgrade one 2.0 object given as JSON text; returns it, extra in *extra. */
static json_t *upgrade(const char *text, json_t **extra)
{
	json_t *o = json_loads(text, 0, NULL);
	cc_err e = { 0 };

	assert_non_null(o);
	*extra = json_array();
	assert_true(stix_is_20(o, NULL));
	if (stix_upgrade(o, *extra, &e) != 0)
		fail_msg("upgrade: %s", e.msg);
	return o;
}

static void test_upgrade_observed(void **state)
{
	/* expected ids computed independently with python3:
	   uuid.uuid5(STIX namespace, json.dumps(props, sort_keys=True,
	   separators=(',', ':'))) */
	static const char *const want[] = {
		"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4",
		"domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7",
		"file--e1b5a944-94ee-544e-9acf-7c35a855ac95",
		"network-traffic--8d96ecf7-7766-5228-b821-47c85270ac6f",
		"process--faf3efd7-ad93-5984-8b51-206c8f7808a7",
	};
	json_t *extra, *o, *x;
	const char *k;
	size_t i;

	(void)state;
	o = upgrade("{\"type\":\"observed-data\",\"id\":\"observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf\","
		    "\"created\":\"2016-04-06T19:58:16.000Z\",\"modified\":\"2016-04-06T19:58:16.000Z\","
		    "\"first_observed\":\"2015-12-21T19:00:00Z\",\"last_observed\":\"2015-12-21T19:00:00Z\","
		    "\"number_observed\":50,\"objects\":{"
		    "\"3\":{\"type\":\"network-traffic\",\"src_ref\":\"0\",\"dst_port\":443,\"protocols\":[\"tcp\"]},"
		    "\"0\":{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.3\"},"
		    "\"1\":{\"type\":\"domain-name\",\"value\":\"example.com\",\"resolves_to_refs\":[\"0\"]},"
		    "\"2\":{\"type\":\"file\",\"name\":\"a.exe\",\"hashes\":{\"SHA-256\":\"" 
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"MD5\":\""
		    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"},\"created\":\"2015-12-21T19:00:00Z\"},"
		    "\"4\":{\"type\":\"process\",\"pid\":7,\"name\":\"x\"}}}", &extra);
	assert_null(json_object_get(o, "objects"));
	assert_int_equal(json_array_size(extra), 5);
	assert_int_equal(json_array_size(json_object_get(o, "object_refs")), 5);
	/* object_refs in the order of the 2.0 keys */
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "object_refs"), 0)), want[3]);
	json_array_foreach(extra, i, x) {
		const char *id = json_string_value(json_object_get(x, "id"));
		bool found = false;

		for (size_t j = 0; j < 5; j++)
			found |= strcmp(id, want[j]) == 0;
		if (!found)
			fail_msg("unexpected SCO id %s", id);
		assert_string_equal(json_string_value(json_object_get(x, "spec_version")), "2.1");
		assert_int_equal(stix_validate(x, NULL, NULL), 0);
		if (strncmp(id, "network-traffic", 15) == 0)
			assert_string_equal(json_string_value(json_object_get(x, "src_ref")), want[0]);
		if (strncmp(id, "domain-name", 11) == 0)
			assert_string_equal(json_string_value(json_array_get(
				json_object_get(x, "resolves_to_refs"), 0)), want[0]);
		if (strncmp(id, "file", 4) == 0) {
			assert_non_null(json_object_get(x, "ctime"));
			assert_null(json_object_get(x, "created"));
		}
	}
	assert_int_equal(stix_validate(o, NULL, NULL), 0);
	/* spec_version right after type */
	json_object_foreach(o, k, x) {
		(void)x;
		if (strcmp(k, "type") != 0) {
			assert_string_equal(k, "spec_version");
			break;
		}
	}
	json_decref(o);
	json_decref(extra);
}

/* 2.0 observed-data whose "objects" is given; returns stix_upgrade's code. */
static int upgrade_od(const char *objects, json_t **extra, cc_err *e)
{
	char text[1024];
	json_t *o;
	int rc;

	snprintf(text, sizeof(text), "{\"type\":\"observed-data\",\"id\":"
		 "\"observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf\","
		 "\"created\":\"2016-04-06T19:58:16.000Z\",\"modified\":"
		 "\"2016-04-06T19:58:16.000Z\",\"first_observed\":"
		 "\"2015-12-21T19:00:00Z\",\"last_observed\":\"2015-12-21T19:00:00Z\","
		 "\"number_observed\":1,\"objects\":%s}", objects);
	o = json_loads(text, 0, NULL);
	assert_non_null(o);
	*extra = json_array();
	rc = stix_upgrade(o, *extra, e);
	json_decref(o);
	return rc;
}

static void test_upgrade_errors(void **state)
{
	json_t *a, *b;
	cc_err e = { 0 };

	(void)state;
	/* a reference to a key that does not exist */
	assert_int_not_equal(upgrade_od("{\"0\":{\"type\":\"domain-name\",\"value\":\"x.com\","
					"\"resolves_to_refs\":[\"7\"]}}", &a, &e), 0);
	assert_non_null(strstr(e.msg, "objects"));
	json_decref(a);
	/* a reference cycle */
	assert_int_not_equal(upgrade_od("{\"0\":{\"type\":\"process\",\"parent_ref\":\"1\"},"
					"\"1\":{\"type\":\"process\",\"parent_ref\":\"0\"}}", &a, &e), 0);
	json_decref(a);
	/* not a dictionary of objects */
	assert_int_not_equal(upgrade_od("[1]", &a, &e), 0);
	json_decref(a);
	assert_int_not_equal(upgrade_od("{\"0\":{\"value\":\"no type\"}}", &a, &e), 0);
	json_decref(a);
	/* the same 2.0 data twice gives the same ids, process ones included */
	assert_int_equal(upgrade_od("{\"0\":{\"type\":\"process\",\"pid\":4},"
				    "\"1\":{\"type\":\"ipv4-addr\",\"value\":\"10.0.0.1\"}}", &a, &e), 0);
	assert_int_equal(upgrade_od("{\"0\":{\"type\":\"process\",\"pid\":4},"
				    "\"1\":{\"type\":\"ipv4-addr\",\"value\":\"10.0.0.1\"}}", &b, &e), 0);
	assert_int_equal(json_array_size(a), 2);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
}

static void test_upgrade_sdos(void **state)
{
	json_t *extra, *o;
	cc_err e = { 0 };

	(void)state;
	o = upgrade("{\"type\":\"malware\",\"id\":\"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
		    "\"created\":\"2016-04-06T20:03:48.000Z\",\"modified\":\"2016-04-06T20:03:48.000Z\","
		    "\"name\":\"Bad\",\"labels\":[\"backdoor\"],\"x_mitre_version\":\"1.0\"}", &extra);
	assert_true(json_is_true(json_object_get(o, "is_family")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "malware_types"), 0)), "backdoor");
	assert_null(json_object_get(o, "labels"));
	assert_string_equal(json_string_value(json_object_get(o, "x_mitre_version")), "1.0");
	assert_int_equal(stix_validate(o, NULL, NULL), 0);
	json_decref(o);
	json_decref(extra);

	o = upgrade("{\"type\":\"indicator\",\"id\":\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
		    "\"created\":\"2016-04-06T20:03:48.000Z\",\"modified\":\"2016-04-06T20:03:48.000Z\","
		    "\"labels\":[\"malicious-activity\"],\"pattern\":\"[url:value = 'http://x']\","
		    "\"valid_from\":\"2016-04-06T20:03:48.000Z\"}", &extra);
	assert_string_equal(json_string_value(json_object_get(o, "pattern_type")), "stix");
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "indicator_types"), 0)),
			    "malicious-activity");
	assert_int_equal(stix_validate(o, NULL, NULL), 0);
	json_decref(o);
	json_decref(extra);

	/* identity keeps labels (2.1 has no identity_types) */
	o = upgrade("{\"type\":\"identity\",\"id\":\"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
		    "\"created\":\"2016-04-06T20:03:48.000Z\",\"modified\":\"2016-04-06T20:03:48.000Z\","
		    "\"name\":\"A\",\"identity_class\":\"organization\",\"labels\":[\"x\"]}", &extra);
	assert_non_null(json_object_get(o, "labels"));
	json_decref(o);
	json_decref(extra);

	/* unknown spec_version: an error; 2.1 left alone */
	o = json_loads("{\"type\":\"tool\",\"spec_version\":\"3.0\"}", 0, NULL);
	extra = json_array();
	assert_int_not_equal(stix_upgrade(o, extra, &e), 0);
	assert_non_null(strstr(e.msg, "unknown spec_version"));
	json_object_set_new(o, "spec_version", json_string("2.1"));
	assert_false(stix_is_20(o, NULL));
	assert_int_equal(stix_upgrade(o, extra, &e), 0);
	assert_int_equal(json_object_size(o), 2);
	json_decref(o);
	json_decref(extra);

	/* an SCO without spec_version is 2.1 unless its bundle says 2.0 */
	o = json_loads("{\"type\":\"url\",\"id\":\"url--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\",\"value\":\"x\"}", 0, NULL);
	assert_false(stix_is_20(o, NULL));
	assert_true(stix_is_20(o, "2.0"));
	json_decref(o);
}

/* Upgrade (when 2.0) and validate every object of a file; counts types. */
static size_t check_data_file(const char *path, bool expect_20, json_t *counts)
{
	json_t *root = load(path), *objs, *obj;
	const char *bsv = json_string_value(json_object_get(root, "spec_version"));
	cc_err e = { 0 };
	cc_buf b = CC_BUF_INIT;
	size_t i, n;

	objs = stix_input_objects(root, path, &e);
	assert_non_null(objs);
	json_array_foreach(objs, i, obj) {
		json_t *extra = json_array(), *x;
		const char *type = json_string_value(json_object_get(obj, "type"));
		size_t j;

		if (counts)
			json_object_set_new(counts, type, json_integer(
				json_integer_value(json_object_get(counts, type)) + 1));
		assert_int_equal(stix_is_20(obj, bsv), expect_20);
		if (expect_20 && stix_upgrade(obj, extra, &e) != 0)
			fail_msg("%s: objects[%zu]: %s", path, i, e.msg);
		if (validate_into(obj, &b) != 0)
			fail_msg("%s: objects[%zu] %s:\n%s", path, i, json_string_value(
				json_object_get(obj, "id")), cc_buf_str(&b));
		json_array_foreach(extra, j, x)
			assert_int_equal(validate_into(x, &b), 0);
		json_decref(extra);
	}
	n = json_array_size(objs);
	json_decref(objs);
	json_decref(root);
	cc_buf_free(&b);
	return n;
}

/* A STIX 2.0 bundle shaped like ATT&CK upgrades and validates, with n
 * objects: rel relationships, ap attack-patterns, is intrusion-sets, mw malware. */
static void check_attack_20(const char *path, size_t n, int rel, int ap, int is, int mw)
{
	json_t *counts = json_object();

	assert_int_equal(check_data_file(path, true, counts), n);
	assert_int_equal(json_integer_value(json_object_get(counts, "relationship")), rel);
	assert_int_equal(json_integer_value(json_object_get(counts, "attack-pattern")), ap);
	assert_int_equal(json_integer_value(json_object_get(counts, "intrusion-set")), is);
	assert_int_equal(json_integer_value(json_object_get(counts, "malware")), mw);
	json_decref(counts);
}

static void test_attack_shaped_20(void **state)
{
	char path[1024];

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/data/store/attack20.json", root_dir());
	check_attack_20(path, 30, 13, 6, 2, 2);
}

static void test_attack_enterprise(void **state)
{
	char path[1024];

	(void)state;
	testdata_need(path, sizeof(path), "data/attack/enterprise-attack-v18.1-stix2.0.json.gz",
		      "stix: ATT&CK Enterprise");
	check_attack_20(path, 24771, 20048, 835, 187, 696);
}

static void test_attack_ics(void **state)
{
	char path[1024];

	(void)state;
	testdata_need(path, sizeof(path), "data/attack/ics-attack-18.1.json", "stix: ATT&CK for ICS");
	assert_int_equal(check_data_file(path, false, NULL), 1826);
}

static void check_example(const char *path)
{
	assert_true(check_data_file(path, false, NULL) > 0);
}

static void test_oasis_examples(void **state)
{
	char dir[1024];

	(void)state;
	testdata_need(dir, sizeof(dir), "data/oasis/examples/threat-reports", "stix: OASIS examples");
	assert_int_equal(each_json(dir, check_example), 2);
	testdata_need(dir, sizeof(dir), "data/oasis/examples", "stix: OASIS examples");
	assert_int_equal(each_json(dir, check_example), 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_files),
		cmocka_unit_test(test_invalid_files),
		cmocka_unit_test(test_parse_strict),
		cmocka_unit_test(test_input_objects),
		cmocka_unit_test(test_bundle),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_tlp),
		cmocka_unit_test(test_upgrade_observed),
		cmocka_unit_test(test_upgrade_sdos),
		cmocka_unit_test(test_upgrade_errors),
		cmocka_unit_test(test_attack_shaped_20),
		cmocka_unit_test(test_attack_enterprise),
		cmocka_unit_test(test_attack_ics),
		cmocka_unit_test(test_oasis_examples),
	};

	return cmocka_run_group_tests_name("stix", tests, NULL, NULL);
}
