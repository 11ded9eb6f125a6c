/* PLACEHOLDER: replaced by the module that implements 'match'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_match_usage[] = "usage: cybercell match (not built yet)\n";

int cmd_match(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: match: not built yet\n", stderr);
	return 1;
}
