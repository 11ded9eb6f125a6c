/* fuzz_match_ecs.c — libFuzzer target: the ECS reader and the matcher
 * (the harness is fuzz_match_zeek.c's). */
#define FUZZ_FORMAT MATCH_FMT_ECS
#include "fuzz_match_zeek.c"
