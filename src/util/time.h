/*
 * time.h — STIX/TAXII timestamps.
 *
 * STIX timestamps are RFC 3339 in UTC with a literal "Z"
 * ("2016-05-12T08:17:27.000Z"); internally they are microseconds since the
 * Unix epoch in an int64_t (sub-microsecond digits are truncated).
 */
#ifndef CC_UTIL_TIME_H
#define CC_UTIL_TIME_H

#include <stdbool.h>
#include <stdint.h>

/* Buffer size enough for any formatted timestamp. */
#define CC_TS_MAX 64

/* Parse a STIX timestamp "YYYY-MM-DDTHH:MM:SS[.frac]Z" (strict: "Z" only,
 * valid calendar date, seconds 0..60).  Returns true and sets *us on success. */
bool cc_ts_parse(const char *s, int64_t *us);

/* Format us as "YYYY-MM-DDTHH:MM:SS.ffffffZ" with frac_digits (0, 3 or 6)
 * fraction digits. */
void cc_ts_format(int64_t us, int frac_digits, char out[CC_TS_MAX]);

/* Now, in microseconds since the epoch (CLOCK_REALTIME). */
int64_t cc_now_us(void);

/* A monotonic clock in microseconds, for measuring durations. */
int64_t cc_mono_us(void);

#endif
