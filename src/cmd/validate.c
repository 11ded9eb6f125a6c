/* PLACEHOLDER: replaced by the module that implements 'validate'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_validate_usage[] = "usage: cybercell validate (not built yet)\n";

int cmd_validate(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: validate: not built yet\n", stderr);
	return 1;
}
