/* PLACEHOLDER: replaced by the module that implements 'org'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_org_usage[] = "usage: cybercell org (not built yet)\n";

int cmd_org(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: org: not built yet\n", stderr);
	return 1;
}
