/* fuzz_match_csv.c — libFuzzer target: the csv reader and the matcher
 * (the harness is fuzz_match_zeek.c's). */
#define FUZZ_FORMAT MATCH_FMT_CSV
#include "fuzz_match_zeek.c"
