/* PLACEHOLDER: replaced by the module that implements 'grant'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_grant_usage[] = "usage: cybercell grant (not built yet)\n";

int cmd_grant(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: grant: not built yet\n", stderr);
	return 1;
}
