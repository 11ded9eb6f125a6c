/* PLACEHOLDER: replaced by the module that implements 'pattern'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_pattern_usage[] = "usage: cybercell pattern (not built yet)\n";

int cmd_pattern(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: pattern: not built yet\n", stderr);
	return 1;
}
