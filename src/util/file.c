#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

const char *cc_file_display(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int cc_file_read_all(const char *path, cc_buf *out, cc_err *e)
{
	struct stat sb;
	int fd;
	gzFile gz;
	int rc = CC_OK;

	if (strcmp(path, "-") == 0)
		fd = dup(STDIN_FILENO);
	else
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cc_err_set(e, CC_EIO, "%s: %s", cc_file_display(path), strerror(errno));
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0)
		cc_buf_reserve(out, (size_t)sb.st_size + (1 << 17));  /* one allocation */
	gz = gzdopen(fd, "rb");
	if (!gz) {
		close(fd);
		return cc_err_set(e, CC_EIO, "%s: cannot open", cc_file_display(path));
	}
	gzbuffer(gz, 1 << 17);
	for (;;) {
		int n;

		cc_buf_reserve(out, 1 << 17);
		n = gzread(gz, out->data + out->len, 1 << 17);
		if (n < 0) {
			int zerr;
			const char *m = gzerror(gz, &zerr);

			rc = cc_err_set(e, CC_EIO, "%s: %s", cc_file_display(path),
					zerr == Z_ERRNO ? strerror(errno) : m);
			break;
		}
		if (n == 0) {
			int zerr;

			gzerror(gz, &zerr);
			if (zerr != Z_OK && zerr != Z_BUF_ERROR)
				rc = cc_err_set(e, CC_EIO, "%s: truncated or corrupt gzip data",
						cc_file_display(path));
			else if (zerr == Z_BUF_ERROR)
				rc = cc_err_set(e, CC_EIO, "%s: truncated gzip data",
						cc_file_display(path));
			break;
		}
		out->len += (size_t)n;
		out->data[out->len] = '\0';
	}
	gzclose(gz);
	return rc;
}

int cc_file_write_atomic(const char *path, const void *data, size_t len, cc_err *e)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	const char *p = data;
	int fd;
	int rc = CC_OK;

	if (!tmp)
		return cc_err_set(e, CC_ENOMEM, "%s: out of memory", path);
	snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = cc_err_set(e, CC_EIO, "%s: %s", path, strerror(errno));
		goto out_free;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = cc_err_set(e, CC_EIO, "%s: %s", path, strerror(errno));
			goto out_close;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) != 0)
		rc = cc_err_set(e, CC_EIO, "%s: %s", path, strerror(errno));
out_close:
	if (close(fd) != 0 && rc == CC_OK)
		rc = cc_err_set(e, CC_EIO, "%s: %s", path, strerror(errno));
	if (rc == CC_OK && rename(tmp, path) != 0)
		rc = cc_err_set(e, CC_EIO, "%s: %s", path, strerror(errno));
	if (rc != CC_OK)
		unlink(tmp);
out_free:
	free(tmp);
	return rc;
}
