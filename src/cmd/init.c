/* PLACEHOLDER: replaced by the module that implements 'init'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_init_usage[] = "usage: cybercell init (not built yet)\n";

int cmd_init(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: init: not built yet\n", stderr);
	return 1;
}
