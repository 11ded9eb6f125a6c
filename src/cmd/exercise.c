/* PLACEHOLDER: replaced by the module that implements 'exercise'. */
#include <stdio.h>

#include "cmd/cmd.h"

const char cmd_exercise_usage[] = "usage: cybercell exercise (not built yet)\n";

int cmd_exercise(int argc, char **argv, const cc_cli *cli)
{
	(void)argc;
	(void)argv;
	(void)cli;
	fputs("cybercell: exercise: not built yet\n", stderr);
	return 1;
}
