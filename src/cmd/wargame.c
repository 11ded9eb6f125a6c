/* PLACEHOLDER: replaced by the module that implements 'wargame'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_wargame_usage[] = "usage: cybercell wargame (not built yet)\n";

int cmd_wargame(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: wargame: not built yet\n", stderr);
	return 1;
}
