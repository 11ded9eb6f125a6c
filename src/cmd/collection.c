/* PLACEHOLDER: replaced by the module that implements 'collection'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_collection_usage[] = "usage: cybercell collection (not built yet)\n";

int cmd_collection(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: collection: not built yet\n", stderr);
	return 1;
}
