/*
 * file.h — reading whole input files, with "-" meaning standard input and
 * gzip-compressed input decompressed transparently (zlib).
 *
 * Ownership: the caller owns the cc_buf it passes and frees it.
 */
#ifndef CC_UTIL_FILE_H
#define CC_UTIL_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

/* Append the whole (decompressed) content of path to *out.  path "-" reads
 * stdin.  Fails with CC_EIO and "path: reason" in *e. */
int cc_file_read_all(const char *path, cc_buf *out, cc_err *e);

/* Write len bytes to path atomically (temp file, fsync, rename). */
int cc_file_write_atomic(const char *path, const void *data, size_t len, cc_err *e);

/* The display name of an input path: "<stdin>" for "-", else the path. */
const char *cc_file_display(const char *path);

#endif
