/*
 * compile.c — turning indicators into the matcher: each pattern is parsed
 * once and, when it is one comparison (or an OR of them) that an exact
 * index or the regex sets can hold, inserted there and freed; otherwise
 * kept for the per-event evaluator.
 */
#include <stdlib.h>
#include <string.h>

#include "match/match_int.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/jsplit.h"
#include "util/time.h"

matcher *match_new(void)
{
	matcher *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	for (int r = 0; r < MT_ROLES; r++)
		m->ip[r].dups = &m->dups;
	m->str.arena = &m->arena;
	m->str.dups = &m->dups;
	return m;
}

void match_free(matcher *m)
{
	if (!m)
		return;
	for (int r = 0; r < MT_ROLES; r++)
		mt_ipindex_free(&m->ip[r]);
	mt_strindex_free(&m->str);
	mt_rx_free(m);
	for (size_t i = 0; i < m->n_gen; i++) {
		pattern_free(m->gen[i].pat);
		free(m->gen[i].leaves);
	}
	free(m->gen);
	free(m->ind);
	free(m->dups.v);
	mt_arena_free(&m->arena);
	free(m);
}

const char *match_indicator_id(const matcher *m, uint32_t i)
{
	return i < m->n_ind ? mt_arena_str(&m->arena, m->ind[i].id_off) : "";
}

const char *match_indicator_name(const matcher *m, uint32_t i)
{
	return i < m->n_ind ? mt_arena_str(&m->arena, m->ind[i].name_off) : "";
}

void match_get_stats(const matcher *m, match_stats *out)
{
	*out = m->st;
	out->strings = m->arena.len;
	out->bytes = m->arena.cap + m->dups.cap * 4 + m->cap_ind * sizeof(mt_ind) +
		     mt_strindex_bytes(&m->str);
	for (int r = 0; r < MT_ROLES; r++)
		out->bytes += mt_ipindex_bytes(&m->ip[r]);
}

/* ---- which comparisons are exact ---- */

/* The field kind a comparison's path names, MK_NONE when it is not one of
 * the indexed paths. */
static mt_kind path_kind(const pattern_path *p)
{
	char buf[256];
	size_t n;

	n = (size_t)snprintf(buf, sizeof(buf), "%s:", p->object_type);
	for (size_t i = 0; i < p->n_steps && n < sizeof(buf); i++) {
		const pattern_step *s = &p->steps[i];

		if (s->kind != PATTERN_STEP_KEY)
			return MK_NONE;
		if (strchr(s->key, '-') || strchr(s->key, '.'))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s'%s'", i ? "." : "", s->key);
		else
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? "." : "", s->key);
	}
	if (n >= sizeof(buf))
		return MK_NONE;
	if (!strcmp(buf, "network-traffic:protocols") ||
	    !strncmp(buf, "network-traffic:src_port", 24) || !strncmp(buf, "network-traffic:dst_port", 24) ||
	    !strncmp(buf, "network-traffic:extensions", 26))
		return MK_NONE;	/* not strings we index; the evaluator does them */
	return mt_kind_of_path(buf);
}

static bool is_addr_kind(mt_kind k)
{
	return k == MK_IP || k == MK_SRC_IP || k == MK_DST_IP;
}

static bool lit_is_str(const pattern_literal *l)
{
	return l->kind == PATTERN_LIT_STRING && l->len < MT_NORM_MAX - 16;
}

/* Whether cmp can go into an exact index or a regex set. */
static bool cmp_indexable(const pattern_comparison *c)
{
	mt_kind k;

	if (c->negated)
		return false;
	k = path_kind(&c->path);
	if (k == MK_NONE)
		return false;
	switch (c->op) {
	case PATTERN_OP_EQ:
		if (!lit_is_str(&c->lit))
			return false;
		if (is_addr_kind(k)) {
			mt_ip ip;
			return mt_ip_parse(c->lit.str, c->lit.len, true, &ip);
		}
		{
			char tmp[MT_NORM_MAX];
			return mt_norm(k, c->lit.str, c->lit.len, tmp) > 0;
		}
	case PATTERN_OP_ISSUBSET:
		return is_addr_kind(k) && lit_is_str(&c->lit);
	case PATTERN_OP_IN:
		for (size_t i = 0; i < c->lit.n_items; i++) {
			const pattern_literal *l = &c->lit.items[i];
			mt_ip ip;
			char tmp[MT_NORM_MAX];

			if (!lit_is_str(l))
				return false;
			if (is_addr_kind(k) ? !mt_ip_parse(l->str, l->len, true, &ip)
					    : mt_norm(k, l->str, l->len, tmp) <= 0)
				return false;
		}
		return c->lit.n_items > 0;
	case PATTERN_OP_LIKE:
	case PATTERN_OP_MATCHES:
		return lit_is_str(&c->lit) && !is_addr_kind(k);
	default:
		return false;
	}
}

void match_set_filter(matcher *m, match_filter_fn fn, void *ud)
{
	m->filter = fn;
	m->filter_ud = ud;
}

void match_set_admit(matcher *m, match_admit_fn fn, void *ud)
{
	m->admit = fn;
	m->admit_ud = ud;
}

static int add_value(matcher *m, mt_kind k, const char *v, size_t n, uint32_t ind)
{
	if (m->filter && m->filter(m->filter_ud, match_indicator_id(m, ind), mt_kind_path(k), v, n, false)) {
		m->st.filtered++;
		return 0;
	}
	if (is_addr_kind(k)) {
		mt_ip ip;
		int role = k == MK_SRC_IP ? MT_ROLE_SRC : k == MK_DST_IP ? MT_ROLE_DST : MT_ROLE_ANY;

		if (!mt_ip_parse(v, n, true, &ip))
			return CC_ERR;
		m->st.exact_ip++;
		return mt_ipindex_add(&m->ip[role], &ip, ind);
	} else {
		char tmp[MT_NORM_MAX];
		int nn = mt_norm(k, v, n, tmp);

		if (nn <= 0)
			return CC_ERR;
		m->st.exact_str++;
		return mt_strindex_add(&m->str, k, tmp, (size_t)nn, ind);
	}
}

static int add_cmp(matcher *m, const pattern_comparison *c, uint32_t ind)
{
	mt_kind k = path_kind(&c->path);
	int rc = 0;

	switch (c->op) {
	case PATTERN_OP_EQ:
	case PATTERN_OP_ISSUBSET:
		return add_value(m, k, c->lit.str, c->lit.len, ind);
	case PATTERN_OP_IN:
		for (size_t i = 0; i < c->lit.n_items && rc == 0; i++)
			rc = add_value(m, k, c->lit.items[i].str, c->lit.items[i].len, ind);
		return rc;
	default:
		return CC_ERR;
	}
}

/* The kinds of event fields that can feed an SCO of this type. */
static uint32_t type_kinds(const char *t)
{
#define B(k) (1u << (k))
	if (!strcmp(t, "ipv4-addr") || !strcmp(t, "ipv6-addr"))
		return B(MK_SRC_IP) | B(MK_DST_IP) | B(MK_IP);
	if (!strcmp(t, "network-traffic"))
		return B(MK_SRC_IP) | B(MK_DST_IP) | B(MK_SRC_PORT) | B(MK_DST_PORT) |
		       B(MK_PROTO) | B(MK_UA) | B(MK_HTTP_METHOD) | B(MK_URI);
	if (!strcmp(t, "domain-name"))
		return B(MK_DOMAIN) | B(MK_HOST);
	if (!strcmp(t, "url"))
		return B(MK_URL);
	if (!strcmp(t, "email-addr"))
		return B(MK_EMAIL);
	if (!strcmp(t, "file"))
		return B(MK_MD5) | B(MK_SHA1) | B(MK_SHA256) | B(MK_SHA512) | B(MK_FILE_NAME);
	if (!strcmp(t, "x509-certificate"))
		return B(MK_X509_SHA1) | B(MK_X509_SHA256) | B(MK_X509_SUBJECT) |
		       B(MK_X509_ISSUER) | B(MK_X509_SERIAL);
	return 0;
#undef B
}

static void collect_leaves(const pattern_oexpr *o, const pattern_cexpr **out, size_t *n)
{
	if (!o)
		return;
	if (o->kind == PATTERN_OE_OBS) {
		out[(*n)++] = o->ce;
		return;
	}
	collect_leaves(o->left, out, n);
	collect_leaves(o->right, out, n);
	collect_leaves(o->kid, out, n);
}

static uint32_t cexpr_kinds(const pattern_cexpr *ce)
{
	uint32_t k = 0;

	if (ce->kind == PATTERN_CE_CMP)
		return type_kinds(ce->cmp->path.object_type);
	for (size_t i = 0; i < ce->n_kids; i++)
		k |= cexpr_kinds(ce->kids[i]);
	return k;
}

static int add_general(matcher *m, pattern *p, uint32_t ind)
{
	mt_general *g;

	if (m->n_gen == m->cap_gen) {
		size_t cap = m->cap_gen ? m->cap_gen * 2 : 64;
		mt_general *v = realloc(m->gen, cap * sizeof(*v));

		if (!v)
			return CC_ENOMEM;
		m->gen = v;
		m->cap_gen = cap;
	}
	g = &m->gen[m->n_gen];
	memset(g, 0, sizeof(*g));
	g->leaves = calloc(p->n_obs ? p->n_obs : 1, sizeof(*g->leaves));
	if (!g->leaves)
		return CC_ENOMEM;
	collect_leaves(p->root, g->leaves, &g->n_leaves);
	for (size_t i = 0; i < g->n_leaves; i++)
		g->kinds |= cexpr_kinds(g->leaves[i]);
	g->pat = p;
	g->ind = ind;
	g->multi = p->root->kind != PATTERN_OE_OBS;
	m->gen_kinds |= g->kinds;
	m->n_gen++;
	m->st.general++;
	return 0;
}

/* Index p for indicator ind, or keep it for the evaluator. */
static int classify(matcher *m, pattern *p, uint32_t ind)
{
	const pattern_cexpr *ce = p->root->kind == PATTERN_OE_OBS ? p->root->ce : NULL;
	int rc = 0;

	if (ce && ce->kind == PATTERN_CE_CMP && cmp_indexable(ce->cmp)) {
		if (ce->cmp->op == PATTERN_OP_LIKE || ce->cmp->op == PATTERN_OP_MATCHES)
			return mt_rx_add(m, path_kind(&ce->cmp->path), p, ind);	/* takes p */
		rc = add_cmp(m, ce->cmp, ind);
		pattern_free(p);
		return rc;
	}
	if (ce && ce->kind == PATTERN_CE_OR) {
		bool all = true;

		for (size_t i = 0; i < ce->n_kids && all; i++)
			all = ce->kids[i]->kind == PATTERN_CE_CMP && cmp_indexable(ce->kids[i]->cmp) &&
			      ce->kids[i]->cmp->op != PATTERN_OP_LIKE &&
			      ce->kids[i]->cmp->op != PATTERN_OP_MATCHES;
		if (all) {
			for (size_t i = 0; i < ce->n_kids && rc == 0; i++)
				rc = add_cmp(m, ce->kids[i]->cmp, ind);
			pattern_free(p);
			return rc;
		}
	}
	rc = add_general(m, p, ind);
	if (rc < 0)
		pattern_free(p);
	return rc;
}

/* The fields of one indicator, as NUL-terminated strings (NULL = absent). */
typedef struct ind_fields {
	const char *type, *id, *name, *pattern, *pattern_type, *valid_from, *valid_until;
	bool revoked;
} ind_fields;

static int64_t field_time(const char *s, int64_t dflt)
{
	int64_t us;

	if (!s)
		return dflt;
	if (cc_ts_parse(s, &us) || mt_parse_time(s, strlen(s), &us))
		return us;
	return dflt;
}

static int add_fields(matcher *m, const ind_fields *f, cc_err *e)
{
	pattern *p;
	mt_ind *in;
	uint32_t ind;

	if (!f->type || strcmp(f->type, "indicator") || !f->pattern || !f->id ||
	    (f->pattern_type && strcmp(f->pattern_type, "stix")) || f->revoked) {
		m->st.skipped++;
		return 1;
	}
	p = pattern_parse(f->pattern, e);
	if (!p) {
		m->st.skipped++;
		cc_err_prefix(e, "%s", f->id);
		return CC_ERR;
	}
	if (m->n_ind == m->cap_ind) {
		size_t cap = m->cap_ind ? m->cap_ind * 2 : 1024;
		mt_ind *v = realloc(m->ind, cap * sizeof(*v));

		if (!v) {
			pattern_free(p);
			return cc_err_set(e, CC_ENOMEM, "%s: out of memory", f->id);
		}
		m->ind = v;
		m->cap_ind = cap;
	}
	ind = (uint32_t)m->n_ind;
	in = &m->ind[ind];
	in->id_off = mt_arena_put(&m->arena, f->id, strlen(f->id));
	in->name_off = mt_arena_put(&m->arena, f->name ? f->name : "", f->name ? strlen(f->name) : 0);
	if (in->id_off == UINT32_MAX || in->name_off == UINT32_MAX) {
		pattern_free(p);
		return cc_err_set(e, CC_ENOMEM, "%s: out of memory", f->id);
	}
	in->valid_from = field_time(f->valid_from, INT64_MIN);
	in->valid_until = field_time(f->valid_until, INT64_MAX);
	m->n_ind++;
	m->st.indicators++;
	if (classify(m, p, ind) < 0)
		return cc_err_set(e, CC_ENOMEM, "%s: out of memory", f->id);
	return 0;
}

int match_add_indicator(matcher *m, json_t *obj, cc_err *e)
{
	ind_fields f = {
		json_string_value(json_object_get(obj, "type")),
		json_string_value(json_object_get(obj, "id")),
		json_string_value(json_object_get(obj, "name")),
		json_string_value(json_object_get(obj, "pattern")),
		json_string_value(json_object_get(obj, "pattern_type")),
		json_string_value(json_object_get(obj, "valid_from")),
		json_string_value(json_object_get(obj, "valid_until")),
		json_is_true(json_object_get(obj, "revoked")),
	};

	if (m->admit && f.pattern && !f.revoked) {
		char *s = json_dumps(obj, JSON_COMPACT);
		bool take = s && m->admit(m->admit_ud, s, strlen(s));

		free(s);
		if (!take) {
			m->st.skipped++;
			return 1;
		}
	}
	return add_fields(m, &f, e);
}

int match_add_indicator_text(matcher *m, const char *text, size_t len, cc_err *e)
{
	mt_ind_text t;
	char small[MT_IF_COUNT][512];
	char *big[MT_IF_COUNT] = { NULL };
	const char *s[MT_IF_COUNT];
	ind_fields f;
	int rc = 0;

	if (mt_ind_text_parse(text, len, &t) < 0) {
		m->st.skipped++;
		return cc_err_set(e, CC_ERR, "not a JSON object");
	}
	if (m->admit && !t.revoked && t.v[MT_IF_PATTERN] && !m->admit(m->admit_ud, text, len)) {
		m->st.skipped++;
		return 1;
	}
	for (int i = 0; i < MT_IF_COUNT; i++) {
		char *d = t.n[i] < sizeof(small[i]) ? small[i] : (big[i] = malloc(t.n[i] + 1));
		int n = (int)t.n[i];

		if (!t.v[i]) {
			s[i] = NULL;
			continue;
		}
		if (!d) {
			rc = cc_err_set(e, CC_ENOMEM, "out of memory");
			goto out;
		}
		if (t.esc[i])
			n = mt_json_unescape(t.v[i], t.n[i], d);
		else
			memcpy(d, t.v[i], t.n[i]);
		if (n < 0 || memchr(d, '\0', (size_t)n)) {
			m->st.skipped++;
			rc = cc_err_set(e, CC_ERR, "bad string escape");
			goto out;
		}
		d[n] = '\0';
		s[i] = d;
	}
	f = (ind_fields){ s[MT_IF_TYPE], s[MT_IF_ID], s[MT_IF_NAME], s[MT_IF_PATTERN],
			  s[MT_IF_PATTERN_TYPE], s[MT_IF_VALID_FROM], s[MT_IF_VALID_UNTIL], t.revoked };
	rc = add_fields(m, &f, e);
out:
	for (int i = 0; i < MT_IF_COUNT; i++)
		free(big[i]);
	return rc;
}

#define BUNDLE_DEPTH 256        /* objects nested deeper are parsed whole */

typedef struct bundle_ctx {
	matcher *m;
	const char *path;
	match_warn_fn warn;
	void *ud;
	size_t i, nbad;
	cc_err *e;
} bundle_ctx;

/* One object of the bundle: parsed alone, so a million indicators never
 * make one huge tree. */
static int bundle_obj(void *ud, const char *text, size_t len)
{
	bundle_ctx *b = ud;
	cc_err pe = { 0 };
	int r;

	if (len < 2 || text[0] != '{' || !memmem(text, len, "\"indicator\"", 11)) {
		b->i++;
		return 0;
	}
	r = match_add_indicator_text(b->m, text, len, &pe);
	if (r == CC_ENOMEM) {
		cc_err_set(b->e, r, "%s", pe.msg);
		return r;
	}
	if (r < 0 && b->warn && b->nbad++ < 5) {
		char msg[1200];

		snprintf(msg, sizeof(msg), "%s: objects[%zu]: %s", cc_file_display(b->path), b->i, pe.msg);
		b->warn(b->ud, msg);
	}
	b->i++;
	return 0;
}

/* Cut text into objects with util/jsplit, without building it: a bundle
 * whose envelope parses, or an array of objects.  False (nothing
 * allocated) for any other text. */
static bool split_objects(const char *text, size_t len, cc_jspan **el, size_t *n)
{
	cc_buf env = CC_BUF_INIT;
	cc_jspan arr;
	json_t *root;

	if (!cc_jsplit_bundle(text, len, BUNDLE_DEPTH, el, n, &arr))
		return cc_jsplit_array(text, len, BUNDLE_DEPTH, el, n);
	cc_jsplit_envelope(text, len, arr, &env);
	root = json_loadb(cc_buf_str(&env), env.len, 0, NULL);
	cc_buf_free(&env);
	json_decref(root);
	if (root)
		return true;
	free(*el);
	*el = NULL;
	return false;
}

/* The rare shapes the splitter leaves (elements that are not objects, a
 * lone object, deep nesting), parsed whole. */
static int each_parsed(bundle_ctx *b, const char *text, size_t len)
{
	json_t *root = json_loadb(text, len, 0, NULL), *objs, *v;
	size_t i;
	int rc = 0;

	if (!root)
		return cc_err_set(b->e, CC_ERR, "%s: not a STIX bundle (bad JSON)",
				  cc_file_display(b->path));
	objs = json_is_array(root) ? root : json_object_get(root, "objects");
	if (!json_is_array(objs)) {             /* a lone object */
		json_decref(root);
		return bundle_obj(b, text, len);
	}
	json_array_foreach(objs, i, v) {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

		rc = s ? bundle_obj(b, s, strlen(s)) : CC_ENOMEM;
		free(s);
		if (rc)
			break;
	}
	json_decref(root);
	return rc;
}

int match_add_bundle_file(matcher *m, const char *path, match_warn_fn warn, void *ud, cc_err *e)
{
	cc_buf buf = CC_BUF_INIT;
	bundle_ctx b = { m, path, warn, ud, 0, 0, e };
	cc_jspan *el = NULL;
	size_t n = 0;
	int rc;

	rc = cc_file_read_all(path, &buf, e);
	if (rc < 0)
		goto out;
	if (split_objects(cc_buf_str(&buf), buf.len, &el, &n)) {
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = bundle_obj(&b, buf.data + el[i].off, el[i].len);
	} else {
		rc = each_parsed(&b, cc_buf_str(&buf), buf.len);
	}
out:
	free(el);
	cc_buf_free(&buf);
	return rc < 0 ? rc : 0;
}

/* The kinds of fields a reader should keep: those some index, regex set
 * or general pattern can use, and the raw kinds that turn into them. */
static uint32_t need_kinds(const matcher *m)
{
#define B(k) (1u << (k))
	uint32_t need = m->gen_kinds | m->rx_kinds | m->str.kinds;

	for (int r = 0; r < MT_ROLES; r++)
		if (m->ip[r].n4 || m->ip[r].n6)
			need |= B(MK_SRC_IP) | B(MK_DST_IP) | B(MK_IP) | B(MK_HOST);
	if (need & (B(MK_IP) | B(MK_DOMAIN)))
		need |= B(MK_ANSWER);
	if (need & B(MK_DOMAIN))
		need |= B(MK_HOST);
	if (need & B(MK_URL))
		need |= B(MK_HOST) | B(MK_URI);
	if (need & (B(MK_MD5) | B(MK_SHA1) | B(MK_SHA256) | B(MK_SHA512)))
		need |= B(MK_HASH_ANY);
	if (need & (B(MK_X509_SHA1) | B(MK_X509_SHA256)))
		need |= B(MK_X509_SHA1) | B(MK_X509_SHA256);
	return need;
#undef B
}

/* Give back what the growing arrays over-allocated. */
static void shrink(matcher *m)
{
	char *a = m->arena.len ? realloc(m->arena.data, m->arena.len) : NULL;
	mt_ind *v = m->n_ind ? realloc(m->ind, m->n_ind * sizeof(*v)) : NULL;
	uint32_t *d = m->dups.n ? realloc(m->dups.v, m->dups.n * sizeof(*d)) : NULL;

	if (a) {
		m->arena.data = a;
		m->arena.cap = m->arena.len;
	}
	if (v) {
		m->ind = v;
		m->cap_ind = m->n_ind;
	}
	if (d) {
		m->dups.v = d;
		m->dups.cap = m->dups.n;
	}
}

int match_compile(matcher *m, cc_err *e)
{
	int rc;

	shrink(m);
	for (int r = 0; r < MT_ROLES; r++)
		mt_ipindex_finish(&m->ip[r]);
	mt_strindex_finish(&m->str);
	rc = mt_rx_compile(m, e);
	if (rc < 0)
		return rc;
	m->need = need_kinds(m);
	m->compiled = true;
	return 0;
}
