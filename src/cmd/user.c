/* PLACEHOLDER: replaced by the module that implements 'user'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_user_usage[] = "usage: cybercell user (not built yet)\n";

int cmd_user(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: user: not built yet\n", stderr);
	return 1;
}
