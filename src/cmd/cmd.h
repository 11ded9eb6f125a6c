/*
 * cmd.h — the subcommands and what they share.
 *
 * Each src/cmd/<name>.c parses its own flags (getopt_long with a table next
 * to its usage text), calls the modules, and prints.  A command returns the
 * process exit status: 0 success, 1 bad data or failed operation, 2 bad
 * usage.  main() has already handled the global options.
 */
#ifndef CC_CMD_H
#define CC_CMD_H

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "audit/audit.h"
#include "util/err.h"

/* What an administrative command adds to its entry of the audit trail
 * (main.c writes the entry when the command returns). */
typedef struct cmd_note {
	char message[512];      /* why it failed or was refused ("": nothing) */
	char authz[40];         /* the authorisation it acted on ("": none) */
} cmd_note;

/* The global options, read-only for commands. */
typedef struct cc_cli {
	const char *db_path;    /* --db, else $CYBERCELL_DB, else ./cybercell.db */
	const char *audit_path; /* --audit, else $CYBERCELL_AUDIT, else DB.audit */
	const char *audit_key;  /* --audit-key, else $CYBERCELL_AUDIT_KEY, else DB.audit-key
	                           (its public half: the same path with .pub) */
	cmd_note *note;         /* an audited command's note, else NULL */
} cc_cli;

/* A command's handler (the table in main.c names them); argv[0] is the
 * command name. */
typedef int (*cmd_fn)(int argc, char **argv, const cc_cli *cli);

/* Print "cybercell: <msg>" for a failed operation; returns 1. */
int cmd_fail(const cc_err *e);

/* ---- the audit trail (trail.c) ---- */

/* The actor of this process in the trail: "cli:<unix user>". */
void cmd_actor(char *out, size_t n);
/* Keep a message (printf fmt) for the command's audit entry (no-op when
 * it is not audited). */
void cmd_note_message(const cc_cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Keep the authorisation id the command acts on for its audit entry. */
void cmd_note_authz(const cc_cli *cli, const char *id);
/* cmd_fail, with the message also kept for the audit entry; returns 1. */
int cmd_fail_noted(const cc_cli *cli, const cc_err *e);
/* The hub's key: the secret key file (secret true), or its public key
 * (the .pub file, else the secret file's public half).  CC_ENOTFOUND
 * when there is none. */
int cmd_hub_key(const cc_cli *cli, bool secret, audit_key *k, cc_err *e);
/* Open the trail for an administrative command cmd; 0, or 1 after saying
 * that nothing was done. */
int cmd_trail_open(const cc_cli *cli, const char *cmd, audit_log **out);
/* Append the entry of a command (action, its arguments, its exit status,
 * cli->note) and a checkpoint when the hub's key is readable; 0, or 1
 * after saying that it was done but not recorded. */
int cmd_trail_write(const cc_cli *cli, audit_log *l, const char *action, int argc,
		    char **argv, int exit_code);

/* Print "cybercell: <cmd>: <what>" and the usage hint; returns 2. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A listing on stdout: a tab-separated line per row, or (json) one
 * indented JSON array of the rows' objects. */
typedef struct cmd_list {
	bool json;
	json_t *rows;           /* the array being built (json only) */
} cmd_list;

/* List the n items of sz bytes at v: row() adds each with cmd_list_row.
 * Returns 0. */
int cmd_list_print(bool json, const void *v, size_t n, size_t sz,
		   void (*row)(cmd_list *l, const void *item));
/* Add a row: obj (taken; may be NULL when not json) for JSON, else the
 * line fmt formats. */
void cmd_list_row(cmd_list *l, json_t *obj, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Whether name may be a login or approver name: 1 to 63 letters, digits
 * and . _ - @ + (no ':', which Basic credentials cannot carry, no spaces,
 * quotes or control characters, which would break log lines and
 * terminals); else a usage error of cmd naming the first bad character
 * is printed. */
bool cmd_name_ok(const char *cmd, const char *name);

/* Read a secret (what: "password") from the first line of stdin into buf
 * (size bytes, the line end removed): 0, or 1 after printing why (none,
 * filling the buffer, shorter than min_len).  The caller wipes
 * buf. */
int cmd_read_secret(const char *cmd, const char *what, char *buf, size_t size, size_t min_len);

/* Reset getopt so a command can parse its own argv from index 1. */
void cmd_getopt_reset(void);

/* getopt_long() for commands (call cmd_getopt_reset() first): returns the
 * next option's value, or -1 at the end, like it.  An option it refuses is
 * reported as a usage error of cmd (e.g. "export", "wargame run") that says
 * why -- unknown, ambiguous, missing its value, given a value it does not
 * take -- and returned as '?', for which the caller returns 2. */
int cmd_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

/* Parse argv for one optional flag (--LONG, or -SHORT when short is not
 * 0; no value) and exactly one operand, for subcommands like "pattern
 * check [--ast] PATTERN": *set tells whether the flag was given, *operand
 * receives the operand.  0, or 2 after a usage error of cmd ("what" names
 * the missing operand in it). */
int cmd_flag_and_operand(const char *cmd, int argc, char **argv, const char *longname,
			 char shortname, const char *what, bool *set, const char **operand);

/* Parse a non-negative integer option; false (and a usage error printed)
 * when it is not one.  Range is [min, max]. */
bool cmd_parse_long(const char *cmd, const char *opt, const char *s,
		    long long min, long long max, long long *out);

/* A warning about an object (borrowed during the call). */
typedef void (*cmd_warn_fn)(void *ud, const char *msg);

/* Warnings about an indicator that is valid but will not do what its
 * author may think (src/cmd/indicator_warn.c): its pattern's lint
 * (stix_pattern_lint: "pattern:L:C: ...") and its values on the warning
 * lists wl (may be NULL: breadth only) or too broad.  Other objects: none.
 * Returns how many. */
struct an_wlset;
size_t cmd_indicator_warnings(const json_t *obj, const struct an_wlset *wl, cmd_warn_fn fn,
			      void *ud);
/* The warning lists in force: the built-in ones and those of the store at
 * db_path when the file exists (it is never created).  Free with
 * an_wlset_free; NULL without memory. */
struct an_wlset *cmd_warninglists(const char *db_path);

/* The handlers. */
int cmd_init(int argc, char **argv, const cc_cli *cli);
int cmd_import(int argc, char **argv, const cc_cli *cli);
int cmd_export(int argc, char **argv, const cc_cli *cli);
int cmd_get(int argc, char **argv, const cc_cli *cli);
int cmd_find(int argc, char **argv, const cc_cli *cli);
int cmd_validate(int argc, char **argv, const cc_cli *cli);
int cmd_stats(int argc, char **argv, const cc_cli *cli);
int cmd_serve(int argc, char **argv, const cc_cli *cli);
int cmd_org(int argc, char **argv, const cc_cli *cli);
int cmd_user(int argc, char **argv, const cc_cli *cli);
int cmd_collection(int argc, char **argv, const cc_cli *cli);
int cmd_grant(int argc, char **argv, const cc_cli *cli);
int cmd_revoke(int argc, char **argv, const cc_cli *cli);
int cmd_pattern(int argc, char **argv, const cc_cli *cli);
int cmd_match(int argc, char **argv, const cc_cli *cli);
int cmd_wargame(int argc, char **argv, const cc_cli *cli);
int cmd_exercise(int argc, char **argv, const cc_cli *cli);
int cmd_audit(int argc, char **argv, const cc_cli *cli);
int cmd_approver(int argc, char **argv, const cc_cli *cli);
int cmd_authorise(int argc, char **argv, const cc_cli *cli);
int cmd_peer(int argc, char **argv, const cc_cli *cli);
int cmd_sync(int argc, char **argv, const cc_cli *cli);
int cmd_taxii(int argc, char **argv, const cc_cli *cli);
int cmd_warninglist(int argc, char **argv, const cc_cli *cli);
int cmd_sightings(int argc, char **argv, const cc_cli *cli);
int cmd_attribute(int argc, char **argv, const cc_cli *cli);

/* Usage texts, each defined beside its handler. */
extern const char cmd_init_usage[], cmd_import_usage[], cmd_export_usage[],
	cmd_get_usage[], cmd_find_usage[], cmd_validate_usage[], cmd_stats_usage[],
	cmd_serve_usage[], cmd_org_usage[], cmd_user_usage[], cmd_collection_usage[],
	cmd_grant_usage[], cmd_revoke_usage[], cmd_pattern_usage[], cmd_match_usage[],
	cmd_wargame_usage[], cmd_exercise_usage[], cmd_audit_usage[], cmd_approver_usage[],
	cmd_authorise_usage[], cmd_peer_usage[], cmd_sync_usage[], cmd_taxii_usage[],
	cmd_warninglist_usage[], cmd_sightings_usage[], cmd_attribute_usage[];

/* Where the version of row came from, for `get` and `find --json`: an
 * array of {"peer": NAME, "received": TIMESTAMP} (new reference), one per
 * peer that delivered it, oldest first; NULL when none did (made here, or
 * a failure to read it). */
struct store;
struct store_row;
json_t *cmd_provenance(struct store *s, const struct store_row *r);

/* The property `get` and `find --json` add to an object that peers
 * delivered (the object stored, exported and served over TAXII never has
 * it). */
#define CMD_PROVENANCE_KEY "x_cybercell_provenance"

/* How a sync pass is reported (`sync`, `serve --sync-every`): each link
 * on links, after link_prefix, as a line of text or (json) a compact JSON
 * object; the objects refused and the retries on stderr after prefix. */
typedef struct cmd_sync_out {
	bool json;
	FILE *links;
	const char *link_prefix;
	const char *prefix;
} cmd_sync_out;
/* Set the callbacks of pass options o to report as out says (out is
 * borrowed until the pass is over). */
struct sync_pass_opts;
void cmd_sync_report(struct sync_pass_opts *o, const cmd_sync_out *out);

#endif
