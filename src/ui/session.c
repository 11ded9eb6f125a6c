/*
 * session.c — the UI's sessions: a bounded table of logged-in users, found
 * by a keyed hash of the random token in their cookie (the token itself
 * is never kept), with an idle timeout, a maximum age, a CSRF token each,
 * and the war-game reports they ran.
 */
#include "ui/ui_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/time.h"

/* 32 random bytes as base64url without padding. */
static void random_token(char out[UI_TOKEN_LEN + 1])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, UI_TOKEN_LEN + 1, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

static void token_key(const ui_ctx *u, const char *token, unsigned char out[16])
{
	crypto_generichash(out, 16, (const unsigned char *)token, strlen(token), u->key,
			   sizeof(u->key));
}

static bool slot_free(const ui_session *s)
{
	static const unsigned char zero[16];

	return memcmp(s->key, zero, sizeof(zero)) == 0;
}

static void slot_clear(ui_session *s)
{
	for (int i = 0; i < UI_REPORTS; i++)
		free(s->reports[i].html);
	sodium_memzero(s, sizeof(*s));
}

static bool expired(const ui_ctx *u, const ui_session *s, int64_t now)
{
	return now - s->last_us > (int64_t)u->idle_s * 1000000 ||
	       now - s->created_us > (int64_t)UI_SESSION_MAX_AGE * 1000000;
}

/* The session of token (lock held), NULL when none or expired. */
static ui_session *find(ui_ctx *u, const char *token, int64_t now)
{
	unsigned char key[16];

	token_key(u, token, key);
	for (size_t i = 0; i < UI_SESSIONS; i++) {
		ui_session *s = &u->sessions[i];

		if (slot_free(s) || sodium_memcmp(s->key, key, sizeof(key)) != 0)
			continue;
		if (!expired(u, s, now))
			return s;
		slot_clear(s);
		return NULL;
	}
	return NULL;
}

void ui_session_new(ui_ctx *u, const char *user, int64_t org_id, const unsigned char *pw_tail,
		    char token[UI_TOKEN_LEN + 1], ui_who *who)
{
	int64_t now = cc_mono_us();
	ui_session *slot = NULL;

	random_token(token);
	pthread_mutex_lock(&u->lock);
	for (size_t i = 0; i < UI_SESSIONS; i++) {
		ui_session *s = &u->sessions[i];

		if (!slot_free(s) && expired(u, s, now))
			slot_clear(s);
		if (slot_free(s)) {
			slot = s;
			break;
		}
		if (!slot || s->last_us < slot->last_us)
			slot = s;
	}
	slot_clear(slot);
	token_key(u, token, slot->key);
	snprintf(slot->user, sizeof(slot->user), "%s", user);
	slot->org_id = org_id;
	memcpy(slot->pw_tail, pw_tail, sizeof(slot->pw_tail));
	random_token(slot->csrf);
	slot->created_us = slot->last_us = now;
	memset(who, 0, sizeof(*who));
	memcpy(who->user, slot->user, sizeof(who->user));
	who->org_id = org_id;
	memcpy(who->pw_tail, pw_tail, sizeof(who->pw_tail));
	memcpy(who->csrf, slot->csrf, sizeof(who->csrf));
	pthread_mutex_unlock(&u->lock);
}

bool ui_session_get(ui_ctx *u, const char *token, ui_who *who)
{
	int64_t now = cc_mono_us();
	ui_session *s;

	pthread_mutex_lock(&u->lock);
	s = find(u, token, now);
	if (s) {
		s->last_us = now;
		memcpy(who->user, s->user, sizeof(who->user));
		who->org_id = s->org_id;
		memcpy(who->pw_tail, s->pw_tail, sizeof(who->pw_tail));
		memcpy(who->csrf, s->csrf, sizeof(who->csrf));
	}
	pthread_mutex_unlock(&u->lock);
	return s != NULL;
}

void ui_session_end(ui_ctx *u, const char *token)
{
	ui_session *s;

	pthread_mutex_lock(&u->lock);
	s = find(u, token, cc_mono_us());
	if (s)
		slot_clear(s);
	pthread_mutex_unlock(&u->lock);
}

bool ui_session_put_report(ui_ctx *u, const char *token, char *html, char id[16])
{
	ui_session *s;
	ui_report *r;

	pthread_mutex_lock(&u->lock);
	s = find(u, token, cc_mono_us());
	if (!s) {
		pthread_mutex_unlock(&u->lock);
		free(html);
		return false;
	}
	r = &s->reports[s->n_runs % UI_REPORTS];
	free(r->html);
	r->html = html;
	snprintf(r->id, sizeof(r->id), "%u", ++s->n_runs);
	memcpy(id, r->id, sizeof(r->id));
	pthread_mutex_unlock(&u->lock);
	return true;
}

char *ui_session_report(ui_ctx *u, const char *token, const char *id)
{
	ui_session *s;
	char *html = NULL;

	pthread_mutex_lock(&u->lock);
	s = find(u, token, cc_mono_us());
	for (int i = 0; s && i < UI_REPORTS; i++)
		if (s->reports[i].html && strcmp(s->reports[i].id, id) == 0)
			html = strdup(s->reports[i].html);
	pthread_mutex_unlock(&u->lock);
	return html;
}

void ui_pw_tail(const char *pwhash, unsigned char out[16])
{
	size_t n = strlen(pwhash), k = n < 16 ? n : 16;

	memset(out, 0, 16);
	memcpy(out, pwhash + n - k, k);
}

bool ui_cookie_token(const char *cookie, char token[UI_TOKEN_LEN + 1])
{
	const size_t nl = strlen(UI_COOKIE);

	for (const char *p = cookie; p && *p;) {
		while (*p == ' ' || *p == ';')
			p++;
		if (strncmp(p, UI_COOKIE "=", nl + 1) == 0) {
			const char *v = p + nl + 1;
			size_t n = strcspn(v, "; ");

			if (n != UI_TOKEN_LEN)
				return false;
			memcpy(token, v, n);
			token[n] = '\0';
			return true;
		}
		p += strcspn(p, ";");
	}
	return false;
}
