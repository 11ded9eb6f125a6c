/* PLACEHOLDER: replaced by the module that implements 'export'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_export_usage[] = "usage: cybercell export (not built yet)\n";

int cmd_export(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: export: not built yet\n", stderr);
	return 1;
}
