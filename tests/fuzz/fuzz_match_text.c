/* fuzz_match_text.c — libFuzzer target: the text reader and the matcher
 * (the harness is fuzz_match_zeek.c's). */
#define FUZZ_FORMAT MATCH_FMT_TEXT
#include "fuzz_match_zeek.c"
