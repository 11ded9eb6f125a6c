/*
 * taxii_int.h — what the files of `cybercell taxii` share (taxii.c: the
 * options, the connection, the read-only subcommands; taxii_move.c: pull
 * and push).
 */
#ifndef CC_CMD_TAXII_INT_H
#define CC_CMD_TAXII_INT_H

#include "cmd/cmd.h"
#include "store/store.h"
#include "sync/sync.h"

#define TX_LIST_MAX 64          /* values of one repeatable option */

/* The options of `taxii`. */
typedef struct tx_args {
	const char *peer, *user, *ca, *pin, *into, *from, *object, *versions_of, *added_after,
		   *next;
	bool password_stdin, manifest, all_pages, json;
	long long limit, retries;
	int max_tlp;                    /* -1: not given */
	const char *ids[TX_LIST_MAX], *types[TX_LIST_MAX], *versions[TX_LIST_MAX],
		   *specs[TX_LIST_MAX];
	size_t n_ids, n_types, n_versions, n_specs;
	char **operands;                /* after the subcommand (URL first, unless --peer) */
	int n_operands;
} tx_args;

/* A client for the URL operand or --peer, and what it needs. */
typedef struct tx_conn {
	store *s;                       /* opened for --peer, pull and push --from (else NULL) */
	store_peer peer;                /* with --peer */
	sync_client *c;
	const char *url;                /* the URL operand, or the peer's */
	char password[256];             /* wiped by tx_close */
	const char *const *rest;        /* the operands after the URL */
	int n_rest;
} tx_conn;

/* Open the store when needed (need_store), then the client: 0, or the
 * exit status (1, 2) after saying why. */
int tx_open(const tx_args *a, const cc_cli *cli, bool need_store, tx_conn *t);
void tx_close(tx_conn *t);

/* The filters of a. */
void tx_filter(const tx_args *a, sync_filter *f);

/* `taxii pull` and `taxii push`: exit statuses. */
int tx_pull(const tx_args *a, const cc_cli *cli);
int tx_push(const tx_args *a, const cc_cli *cli);

#endif
