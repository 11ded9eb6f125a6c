/*
 * rd_zeek.c — Zeek TSV logs: the #separator / #set_separator /
 * #empty_field / #unset_field / #fields / #types header, rows split in
 * place, set and vector columns split on the set separator, \xHH escapes
 * resolved only in the values that carry them.
 */
#include <emmintrin.h>
#include <string.h>

#include "match/match_int.h"

/* The next sep at or after p, or end: 16 bytes at a time (fields are
 * short, so this beats a call to memchr). */
static inline const char *find_sep(const char *p, const char *end, char sep)
{
	const __m128i vs = _mm_set1_epi8(sep);

	while (p + 16 <= end) {
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), vs));

		if (m)
			return p + __builtin_ctz(m);
		p += 16;
	}
	while (p < end && *p != sep)
		p++;
	return p;
}

/* Resolve Zeek's escapes in s into out; returns the length.  Zeek's
 * ASCII writer doubles a backslash (older versions wrote \x5c) and writes
 * separators and unprintable bytes as \xHH; a backslash before anything
 * else is kept as it is. */
static size_t unescape(const char *s, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' && cc_hex_digit((unsigned char)s[i + 2]) >= 0 &&
		    cc_hex_digit((unsigned char)s[i + 3]) >= 0) {
			out[o++] = (char)(cc_hex_digit((unsigned char)s[i + 2]) * 16 + cc_hex_digit((unsigned char)s[i + 3]));
			i += 3;
		} else if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\\') {
			out[o++] = '\\';
			i++;
		} else {
			out[o++] = s[i];
		}
	}
	return o;
}

/* The value after "#name<sep>" in a header line. */
static bool hdr_value(const char *line, size_t n, const char *name, char sep,
		      const char **v, size_t *vn)
{
	size_t kl = strlen(name);

	if (n <= kl || memcmp(line, name, kl) || line[kl] != sep)
		return false;
	*v = line + kl + 1;
	*vn = n - kl - 1;
	return true;
}

static void copy_small(char *dst, size_t cap, const char *s, size_t n)
{
	char tmp[64];
	size_t m = n < sizeof(tmp) ? unescape(s, n, tmp) : 0;

	if (m >= cap)
		m = cap - 1;
	memcpy(dst, tmp, m);
	dst[m] = '\0';
}

static void header_line(mt_zeek_hdr *h, uint32_t need, const char *line, size_t n)
{
	const char *v;
	size_t vn;

	if (n > 11 && !memcmp(line, "#separator ", 11)) {
		char tmp[16];
		size_t m = n - 11 < sizeof(tmp) ? unescape(line + 11, n - 11, tmp) : 0;

		if (m == 1)
			h->sep = tmp[0];
		return;
	}
	if (hdr_value(line, n, "#set_separator", h->sep, &v, &vn)) {
		char tmp[16];

		if (vn < sizeof(tmp) && unescape(v, vn, tmp) == 1)
			h->set_sep = tmp[0];
	} else if (hdr_value(line, n, "#empty_field", h->sep, &v, &vn)) {
		copy_small(h->empty, sizeof(h->empty), v, vn);
	} else if (hdr_value(line, n, "#unset_field", h->sep, &v, &vn)) {
		copy_small(h->unset, sizeof(h->unset), v, vn);
	} else if (hdr_value(line, n, "#fields", h->sep, &v, &vn)) {
		uint32_t col = 0;
		const char *end = v + vn;

		h->ts_col = -1;
		while (v <= end && col < MT_MAX_FIELDS * 2) {
			const char *q = memchr(v, h->sep, (size_t)(end - v));
			size_t fl = q ? (size_t)(q - v) : (size_t)(end - v);

			h->col_kind[col] = (uint16_t)mt_kind_of_column(v, fl);
			if (!(need >> h->col_kind[col] & 1))
				h->col_kind[col] = MK_NONE;
			h->col_set[col] = 0;
			if (fl == 2 && !memcmp(v, "ts", 2))
				h->ts_col = (int)col;
			col++;
			if (!q)
				break;
			v = q + 1;
		}
		h->nfields = col;
		h->have_fields = col > 0;
		h->gen++;
		n = n < sizeof(h->fields_line) - 1 ? n : sizeof(h->fields_line) - 1;
		memcpy(h->fields_line, line, n);
		h->fields_line[n] = '\0';
	} else if (hdr_value(line, n, "#types", h->sep, &v, &vn)) {
		uint32_t col = 0;
		const char *end = v + vn;

		while (v <= end && col < h->nfields) {
			const char *q = memchr(v, h->sep, (size_t)(end - v));
			size_t fl = q ? (size_t)(q - v) : (size_t)(end - v);

			h->col_set[col] = (fl > 4 && (!memcmp(v, "set[", 4))) ||
					  (fl > 7 && !memcmp(v, "vector[", 7));
			/* an address column we have no name for is still an address */
			if (h->col_kind[col] == MK_NONE && (need >> MK_IP & 1) &&
			    ((fl == 4 && !memcmp(v, "addr", 4)) ||
			     (fl == 9 && !memcmp(v, "set[addr]", 9)) ||
			     (fl == 12 && !memcmp(v, "vector[addr]", 12))))
				h->col_kind[col] = MK_IP;
			col++;
			if (!q)
				break;
			v = q + 1;
		}
	}
}

static void add_value(mt_event *ev, mt_kind k, const char *v, size_t n)
{
	if (memchr(v, '\\', n)) {
		char tmp[MT_NORM_MAX];
		size_t m;
		const char *kept;

		if (n >= sizeof(tmp))
			return;
		m = unescape(v, n, tmp);
		kept = mt_event_keep(ev, tmp, m);
		if (kept)
			mt_event_add(ev, k, kept, m, 0);
		return;
	}
	mt_event_add(ev, k, v, n, 0);
}

int mt_zeek_line(mt_reader *r, const char *line, size_t n, mt_event *ev, const char **why)
{
	mt_zeek_hdr *h = &r->zeek;
	const char *p = line, *end = line + n;
	uint32_t col = 0;
	size_t ul = strlen(h->unset), el = strlen(h->empty);

	if (n && line[n - 1] == '\r')
		end--;
	if (p == end)
		return 0;
	if (*p == '#') {
		header_line(h, r->need, line, (size_t)(end - line));
		return 0;
	}
	if (!h->have_fields) {
		*why = "data before the #fields header";
		return -1;
	}
	for (;;) {
		const char *fe = find_sep(p, end, h->sep);
		const char *q = fe < end ? fe : NULL;
		size_t fl = (size_t)(fe - p);

		if (col >= h->nfields) {
			*why = "more columns than #fields";
			return -1;
		}
		if ((int)col == h->ts_col) {
			mt_event_set_ts(ev, p, fl);
		} else if (h->col_kind[col] != MK_NONE && !(fl == ul && !memcmp(p, h->unset, ul)) &&
			   !(fl == el && !memcmp(p, h->empty, el))) {
			if (h->col_set[col]) {
				const char *s = p;

				while (s <= fe) {
					const char *c = memchr(s, h->set_sep, (size_t)(fe - s));
					const char *se = c ? c : fe;

					add_value(ev, (mt_kind)h->col_kind[col], s, (size_t)(se - s));
					if (!c)
						break;
					s = c + 1;
				}
			} else {
				add_value(ev, (mt_kind)h->col_kind[col], p, fl);
			}
		}
		col++;
		if (!q)
			break;
		p = q + 1;
	}
	if (col != h->nfields) {
		*why = "fewer columns than #fields";
		return -1;
	}
	return 1;
}
