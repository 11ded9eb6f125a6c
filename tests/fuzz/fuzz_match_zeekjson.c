/* fuzz_match_zeekjson.c — libFuzzer target: the zeekjson reader and the matcher
 * (the harness is fuzz_match_zeek.c's). */
#define FUZZ_FORMAT MATCH_FMT_ZEEKJSON
#include "fuzz_match_zeek.c"
