/* PLACEHOLDER: replaced by the module that implements 'serve'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_serve_usage[] = "usage: cybercell serve (not built yet)\n";

int cmd_serve(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: serve: not built yet\n", stderr);
	return 1;
}
