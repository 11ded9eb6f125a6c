/*
 * wargame_run.h — `cybercell wargame run` (src/cmd/wargame_run.c), called
 * by the `wargame` command's dispatcher in wargame.c.
 */
#ifndef CC_CMD_WARGAME_RUN_H
#define CC_CMD_WARGAME_RUN_H

#include "cmd/cmd.h"

/* argv[0] is "run"; returns the exit status (0, 1 failed, 2 bad usage). */
int cmd_wargame_run(int argc, char **argv, const cc_cli *cli);

#endif
