/* PLACEHOLDER: replaced by the module that implements 'stats'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_stats_usage[] = "usage: cybercell stats (not built yet)\n";

int cmd_stats(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: stats: not built yet\n", stderr);
	return 1;
}
