/*
 * adversary.c — the attacker: a name and the ATT&CK techniques it uses.
 * Loaded from YAML ({name, techniques: [...]} or a bare list) or built by
 * a caller (e.g. from the store's intrusion-set and its `uses`).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/file.h"
#include "wargame/wargame_int.h"

wg_adversary *wg_adversary_new(const char *name)
{
	wg_adversary *a = cc_xcalloc(1, sizeof(*a));

	a->name = cc_xstrdup(name ? name : "adversary");
	return a;
}

bool wg_technique_id_ok(const char *t)
{
	size_t n = strlen(t);

	if ((n != 5 && n != 9) || t[0] != 'T')
		return false;
	for (size_t i = 1; i < n; i++) {
		if (i == 5) {
			if (t[i] != '.')
				return false;
		} else if (!isdigit((unsigned char)t[i])) {
			return false;
		}
	}
	return true;
}

int wg_adversary_add(wg_adversary *a, const char *technique, cc_err *e)
{
	if (!wg_technique_id_ok(technique))
		return cc_err_set(e, CC_ERR, "'%s' is not an ATT&CK technique id "
				  "(T1234 or T1234.001)", technique);
	for (size_t i = 0; i < a->ntechniques; i++)
		if (!strcmp(a->techniques[i], technique))
			return CC_OK;
	a->techniques = cc_xrealloc(a->techniques,
				    (a->ntechniques + 1) * sizeof(*a->techniques));
	a->techniques[a->ntechniques++] = cc_xstrdup(technique);
	return CC_OK;
}

void wg_adversary_add_software(wg_adversary *a, const char *name)
{
	for (size_t i = 0; i < a->nsoftware; i++)
		if (!strcmp(a->software[i], name))
			return;
	a->software = cc_xrealloc(a->software, (a->nsoftware + 1) * sizeof(*a->software));
	a->software[a->nsoftware++] = cc_xstrdup(name);
}

bool wg_technique_enables(const char *u, const char *t)
{
	size_t tl = strlen(t), ul = strlen(u);

	if (!strcmp(u, t))
		return true;
	if (ul == 5 && tl > 5 && !strncmp(u, t, 5))  /* parent used */
		return true;
	return tl == 5 && ul > 5 && !strncmp(u, t, 5);  /* sub used */
}

bool wg_adversary_uses(const wg_adversary *a, const char *t)
{
	for (size_t i = 0; i < a->ntechniques; i++)
		if (wg_technique_enables(a->techniques[i], t))
			return true;
	return false;
}

void wg_adversary_free(wg_adversary *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->ntechniques; i++)
		free(a->techniques[i]);
	for (size_t i = 0; i < a->nsoftware; i++)
		free(a->software[i]);
	free(a->techniques);
	free(a->software);
	free(a->name);
	free(a->id);
	free(a);
}

static int add_list(wgy *y, wg_adversary *a, yaml_node_t *n, const char *path)
{
	yaml_node_item_t *it;
	char p[WG_PATH_MAX];
	cc_err e2;

	if (wgy_want_seq(y, n, path))
		return CC_ERR;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *v = wgy_node(y, *it);
		const char *s = wgy_scalar(v);

		wg_pathf(p, "%s[%d]", path,
			 (int)(it - n->data.sequence.items.start));
		if (!s)
			return wgy_fail(y, v, p, "expected a technique id");
		if (wg_adversary_add(a, s, &e2))
			return wgy_fail(y, v, p, "%s", e2.msg);
	}
	return CC_OK;
}

wg_adversary *wg_adversary_load_mem(const char *data, size_t len,
				    const char *name, cc_err *e)
{
	static const char *const keys[] = { "name", "aliases", "description",
		"techniques", NULL };
	yaml_node_t *v[4], *root;
	wg_adversary *a = wg_adversary_new(NULL);
	wgy y;

	if (wgy_open(&y, data, len, name, e))
		goto out_fail;
	root = wgy_root(&y);
	if (!root) {
		cc_err_set(e, CC_ERR, "%s: empty adversary file", name);
		goto out_fail;
	}
	if (root->type == YAML_SEQUENCE_NODE) {
		if (add_list(&y, a, root, "techniques"))
			goto out_fail;
	} else {
		if (wgy_keys(&y, root, "adversary", keys, v))
			goto out_fail;
		if ((v[0] && wgy_str(&y, v[0], "name", &a->name)) ||
		    (v[1] && wgy_want_seq(&y, v[1], "aliases")))
			goto out_fail;
		if (!v[3]) {
			wgy_fail(&y, root, "adversary", "missing 'techniques'");
			goto out_fail;
		}
		if (add_list(&y, a, v[3], "techniques"))
			goto out_fail;
	}
	if (!a->ntechniques) {
		wgy_fail(&y, root, "techniques", "the adversary uses no technique");
		goto out_fail;
	}
	wgy_close(&y);
	return a;
out_fail:
	wgy_close(&y);
	wg_adversary_free(a);
	return NULL;
}

wg_adversary *wg_adversary_load_file(const char *path, cc_err *e)
{
	cc_buf b = CC_BUF_INIT;
	wg_adversary *a = NULL;

	if (cc_file_read_all(path, &b, e) == CC_OK)
		a = wg_adversary_load_mem(cc_buf_str(&b), b.len, cc_file_display(path), e);
	cc_buf_free(&b);
	return a;
}
