/* PLACEHOLDER: replaced by the module that implements 'import'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_import_usage[] = "usage: cybercell import (not built yet)\n";

int cmd_import(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: import: not built yet\n", stderr);
	return 1;
}
