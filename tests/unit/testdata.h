/*
 * testdata.h — where a unit test finds material the project does not own
 * (ATT&CK, the OASIS examples): under $CYBERCELL_TESTDATA (tests/run-all
 * sets it), else ../shared beside the clone.  A test that needs a file that
 * is not there is skipped with cmocka's skip(), after a line
 * "SKIP: <what>: <path> not found ..." that tests/run-all shows; run-all
 * counts the skips.  Include it after <cmocka.h>.
 */
#ifndef CC_TEST_TESTDATA_H
#define CC_TEST_TESTDATA_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The path of rel (e.g. "data/attack/ics-attack-18.1.json") in the outside
 * test data, written into buf (size n); skips the running test, saying it
 * needed it for what, when it is not there.  The skip leaves the test at
 * once (a longjmp): call this before allocating anything. */
static const char *testdata_need(char *buf, size_t n, const char *rel, const char *what)
{
	const char *d = getenv("CYBERCELL_TESTDATA");
	const char *root = getenv("CC_ROOT");

	if (d)
		snprintf(buf, n, "%s/%s", d, rel);
	else
		snprintf(buf, n, "%s/../shared/%s", root ? root : ".", rel);
	if (access(buf, F_OK) != 0) {
		print_message("SKIP: %s: %s not found (outside test data: set "
			      "CYBERCELL_TESTDATA or put it in ../shared)\n", what, buf);
		skip();
	}
	return buf;
}

#endif
