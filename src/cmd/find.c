/* PLACEHOLDER: replaced by the module that implements 'find'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_find_usage[] = "usage: cybercell find (not built yet)\n";

int cmd_find(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: find: not built yet\n", stderr);
	return 1;
}
