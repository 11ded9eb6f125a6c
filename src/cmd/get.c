/* PLACEHOLDER: replaced by the module that implements 'get'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_get_usage[] = "usage: cybercell get (not built yet)\n";

int cmd_get(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: get: not built yet\n", stderr);
	return 1;
}
