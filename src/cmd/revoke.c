/* PLACEHOLDER: replaced by the module that implements 'revoke'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_revoke_usage[] = "usage: cybercell revoke (not built yet)\n";

int cmd_revoke(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: revoke: not built yet\n", stderr);
	return 1;
}
