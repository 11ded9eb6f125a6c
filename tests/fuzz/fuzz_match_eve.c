/* fuzz_match_eve.c — libFuzzer target: the eve reader and the matcher
 * (the harness is fuzz_match_zeek.c's). */
#define FUZZ_FORMAT MATCH_FMT_EVE
#include "fuzz_match_zeek.c"
