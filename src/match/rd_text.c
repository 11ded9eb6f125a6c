/*
 * rd_text.c — CSV with a header row, plain text (values found by their
 * shape), format detection, and reader set-up.
 */
#include <string.h>
#include <strings.h>

#include "match/match_int.h"

static const char *const fmt_names[] = {
	[MATCH_FMT_AUTO] = "auto", [MATCH_FMT_ZEEK] = "zeek", [MATCH_FMT_ZEEKJSON] = "zeek-json",
	[MATCH_FMT_EVE] = "eve", [MATCH_FMT_CSV] = "csv", [MATCH_FMT_TEXT] = "text",
	[MATCH_FMT_ECS] = "ecs",
};

const char *match_format_name(match_format f)
{
	return (unsigned)f < MATCH_FMT_COUNT ? fmt_names[f] : "?";
}

bool match_format_parse(const char *s, match_format *out)
{
	for (int i = 0; i < MATCH_FMT_COUNT; i++)
		if (!strcmp(s, fmt_names[i])) {
			*out = (match_format)i;
			return true;
		}
	return false;
}

bool match_colmap_check(const match_colmap *m, cc_err *e)
{
	if (!m->column[0])
		return cc_err_set(e, CC_EUSAGE, "--map: empty column name"), false;
	if (!strcmp(m->path, "time") || !strcmp(m->path, "ts"))
		return true;
	if (mt_kind_of_path(m->path) == MK_NONE) {
		cc_err_set(e, CC_EUSAGE, "--map %s=%s: not an object path the CSV reader fills "
			   "(e.g. ipv4-addr:value, domain-name:value, url:value, file:hashes.MD5, or 'time')",
			   m->column, m->path);
		return false;
	}
	return true;
}

void mt_reader_init(mt_reader *r, match_format fmt, const match_colmap *maps, size_t n_maps,
		    uint32_t need)
{
	memset(r, 0, sizeof(*r));
	r->need = need;
	r->fmt = fmt;
	r->maps = maps;
	r->n_maps = n_maps;
	r->zeek.sep = '\t';
	r->zeek.set_sep = ',';
	strcpy(r->zeek.empty, "(empty)");
	strcpy(r->zeek.unset, "-");
	r->zeek.ts_col = -1;
	r->csv_ts_col = -1;
	switch (fmt) {
	case MATCH_FMT_ZEEK: r->line = mt_zeek_line; break;
	case MATCH_FMT_ZEEKJSON: r->line = mt_zeekjson_line; break;
	case MATCH_FMT_EVE: r->line = mt_eve_line; break;
	case MATCH_FMT_ECS: r->line = mt_ecs_line; break;
	case MATCH_FMT_CSV: r->line = mt_csv_line; break;
	default: r->line = mt_text_line; break;
	}
}

/* ---- CSV ---- */

/* The next field at *pp (RFC 4180 quoting); sets *v and *vn to its value, which
 * is copied into the event scratch when it had doubled quotes.  Returns
 * false at a quoting error. */
static bool csv_field(mt_event *ev, const char **pp, const char *end, char sep,
		      const char **v, size_t *vn, bool *last)
{
	const char *p = *pp;

	if (p < end && *p == '"') {
		const char *s = ++p;
		bool dq = false;

		for (;;) {
			const char *q = memchr(p, '"', (size_t)(end - p));

			if (!q)
				return false;
			if (q + 1 < end && q[1] == '"') {
				dq = true;
				p = q + 2;
				continue;
			}
			*v = s;
			*vn = (size_t)(q - s);
			p = q + 1;
			break;
		}
		if (dq && ev) {
			char tmp[MT_NORM_MAX];
			size_t o = 0;

			for (size_t i = 0; i < *vn && o < sizeof(tmp); i++) {
				tmp[o++] = (*v)[i];
				if ((*v)[i] == '"')
					i++;
			}
			*v = mt_event_keep(ev, tmp, o);
			*vn = *v ? o : 0;
		}
		if (p < end && *p != sep)
			return false;
	} else {
		const char *q = memchr(p, sep, (size_t)(end - p));

		*v = p;
		*vn = (size_t)((q ? q : end) - p);
		p = q ? q : end;
	}
	*last = p >= end;
	*pp = p < end ? p + 1 : end;
	return true;
}

static mt_kind csv_column_kind(const mt_reader *r, const char *name, size_t n, bool *is_time)
{
	*is_time = false;
	for (size_t i = 0; i < r->n_maps; i++) {
		if (strlen(r->maps[i].column) == n && !strncasecmp(r->maps[i].column, name, n)) {
			if (!strcmp(r->maps[i].path, "time") || !strcmp(r->maps[i].path, "ts")) {
				*is_time = true;
				return MK_NONE;
			}
			return mt_kind_of_path(r->maps[i].path);
		}
	}
	if ((n == 2 && !strncasecmp(name, "ts", 2)) || (n == 4 && !strncasecmp(name, "time", 4)) ||
	    (n == 9 && !strncasecmp(name, "timestamp", 9)) || (n == 4 && !strncasecmp(name, "date", 4))) {
		*is_time = true;
		return MK_NONE;
	}
	return mt_kind_of_column(name, n);
}

static char csv_guess_sep(const char *line, size_t n)
{
	size_t c = 0, t = 0, s = 0;

	for (size_t i = 0; i < n; i++) {
		c += line[i] == ',';
		t += line[i] == '\t';
		s += line[i] == ';';
	}
	return t > c && t > s ? '\t' : s > c ? ';' : ',';
}

int mt_csv_line(mt_reader *r, const char *line, size_t n, mt_event *ev, const char **why)
{
	const char *p = line, *end = line + n;
	uint32_t col = 0;
	bool last = false;

	if (n && line[n - 1] == '\r')
		end--;
	if (p == end)
		return 0;
	if (!r->csv_have_header) {
		r->csv_sep = csv_guess_sep(line, (size_t)(end - line));
		while (!last && col < MT_MAX_FIELDS * 2) {
			const char *v;
			size_t vn;
			bool is_time;

			if (!csv_field(NULL, &p, end, r->csv_sep, &v, &vn, &last)) {
				*why = "bad quoting in the header";
				return -1;
			}
			while (vn && (*v == ' '))
				v++, vn--;
			r->csv_kind[col] = (uint16_t)csv_column_kind(r, v, vn, &is_time);
			if (!(r->need >> r->csv_kind[col] & 1))
				r->csv_kind[col] = MK_NONE;
			if (is_time && r->csv_ts_col < 0)
				r->csv_ts_col = (int)col;
			col++;
		}
		r->csv_ncols = col;
		r->csv_have_header = true;
		return 0;
	}
	while (!last) {
		const char *v;
		size_t vn;

		if (col >= r->csv_ncols) {
			*why = "more columns than the header";
			return -1;
		}
		if (!csv_field(ev, &p, end, r->csv_sep, &v, &vn, &last)) {
			*why = "bad quoting";
			return -1;
		}
		if ((int)col == r->csv_ts_col) {
			int64_t us;

			if (vn && mt_parse_time(v, vn, &us))
				ev->ts_us = us;
		} else if (r->csv_kind[col] != MK_NONE && vn) {
			mt_event_add(ev, (mt_kind)r->csv_kind[col], v, vn, 0);
		}
		col++;
	}
	if (col != r->csv_ncols) {
		*why = "fewer columns than the header";
		return -1;
	}
	return 1;
}

/* ---- plain text ---- */

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

static bool is_domain(const char *s, size_t n)
{
	size_t label = 0, dots = 0, tld_alpha = 0;

	if (n < 4 || n > 253 || s[0] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0)
				return false;
			dots++;
			label = 0;
			tld_alpha = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			label++;
			tld_alpha++;
		} else if ((c >= '0' && c <= '9') || c == '-' || c == '_') {
			label++;
			tld_alpha = 0;
			if (c != '-' && c != '_')
				tld_alpha = 0;
		} else {
			return false;
		}
		if (label > 63)
			return false;
	}
	return dots >= 1 && label >= 2 && tld_alpha == label;
}

static void text_token(mt_event *ev, const char *s, size_t n)
{
	mt_ip ip;
	const char *at;

	while (n && strchr(".,;:!?)]}'\"", s[n - 1]))
		n--;
	while (n && strchr("([{'\"", s[0]))
		s++, n--;
	if (n < 3)
		return;
	if ((n == 32 || n == 40 || n == 64 || n == 128) && is_hex(s, n)) {
		mt_event_add(ev, MK_HASH_ANY, s, n, 0);
		return;
	}
	if (n <= 45 && mt_ip_parse(s, n, false, &ip)) {
		mt_event_add(ev, MK_IP, s, n, 0);
		return;
	}
	at = memchr(s, '@', n);
	if (at && at > s && is_domain(at + 1, (size_t)(s + n - at - 1))) {
		mt_event_add(ev, MK_EMAIL, s, n, 0);
		return;
	}
	if (is_domain(s, n)) {
		mt_event_add(ev, MK_DOMAIN, s, n, 0);
		return;
	}
	/* host:port, addr:port */
	{
		const char *c = memrchr(s, ':', n);

		if (c && c > s && !memchr(s, ':', (size_t)(c - s)))
			text_token(ev, s, (size_t)(c - s));
	}
}

static bool url_start(const char *s, const char *end, size_t *scheme_len)
{
	size_t i = 0;

	while (s + i < end && i < 10 && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
		i++;
	if (i >= 3 && s + i + 3 <= end && !memcmp(s + i, "://", 3)) {
		*scheme_len = i;
		return true;
	}
	return false;
}

static bool text_sep(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' ||
	       c == ',' || c == ';' || c == '|' || c == '=' || c == '(' || c == ')' || c == '[' ||
	       c == ']' || c == '{' || c == '}' || c == '\r' || c == '/' || c == '\\' || c < 0x20;
}

int mt_text_line(mt_reader *r, const char *line, size_t n, mt_event *ev, const char **why)
{
	const char *p = line, *end = line + n;

	(void)r;
	(void)why;
	/* a leading time stamp: ISO 8601 or epoch seconds */
	{
		const char *q = p;
		int64_t us;

		while (q < end && *q != ' ' && *q != '\t' && *q != ',' && *q != ';' && *q != '|')
			q++;
		if (q > p && mt_parse_time(p, (size_t)(q - p), &us))
			ev->ts_us = us;
	}
	while (p < end) {
		const char *s;
		size_t sl;

		while (p < end && text_sep((unsigned char)*p))
			p++;
		if (p >= end)
			break;
		if (url_start(p, end, &sl)) {
			s = p;
			while (p < end && *p != ' ' && *p != '\t' && *p != '"' && *p != '\'' &&
			       *p != '<' && *p != '>' && *p != '`')
				p++;
			while (p > s && strchr(".,;:!?)]}", p[-1]))
				p--;
			mt_event_add(ev, MK_URL, s, (size_t)(p - s), 0);
			if (p < end)
				p++;
			continue;
		}
		s = p;
		while (p < end && !text_sep((unsigned char)*p))
			p++;
		text_token(ev, s, (size_t)(p - s));
	}
	return ev->nf ? 1 : 0;
}

/* ---- detection ---- */

match_format mt_detect(const char *p, size_t n, const match_colmap *maps, size_t n_maps)
{
	const char *end = p + (n > 65536 ? 65536 : n);
	const char *line = p, *nl;
	size_t ln;

	if (memchr(p, '\0', (size_t)(end - p)))
		return MATCH_FMT_AUTO;	/* binary: cannot tell */
	while (line < end && (*line == '\n' || *line == '\r' || *line == ' '))
		line++;
	if (line >= end)
		return MATCH_FMT_TEXT;
	nl = memchr(line, '\n', (size_t)(end - line));
	ln = (size_t)((nl ? nl : end) - line);
	if ((ln >= 10 && !memcmp(line, "#separator", 10)) || (ln >= 7 && !memcmp(line, "#fields", 7)))
		return MATCH_FMT_ZEEK;
	if (line[0] == '{')
		return mt_json_flavour(line, ln);
	{
		char sep = csv_guess_sep(line, ln);
		size_t nsep = 0, known = 0;
		const char *s = line, *le = line + ln;
		bool dummy;
		mt_reader r;

		memset(&r, 0, sizeof(r));
		r.maps = maps;
		r.n_maps = n_maps;
		if (le > line && le[-1] == '\r')
			le--;
		for (const char *q = line; q < le; q++)
			nsep += *q == sep;
		if (nsep >= 1) {
			for (;;) {
				const char *q = memchr(s, sep, (size_t)(le - s));
				const char *fe = q ? q : le;
				const char *a = s;

				if (*a == '"')
					a++;
				if (csv_column_kind(&r, a, (size_t)(fe - a) - (fe > a && fe[-1] == '"'), &dummy) != MK_NONE || dummy)
					known++;
				if (!q)
					break;
				s = q + 1;
			}
			if (known >= 1)
				return MATCH_FMT_CSV;
		}
	}
	return MATCH_FMT_TEXT;
}
