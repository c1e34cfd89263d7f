/* Small whole-file helpers. They return -1 with errno set (no cradle_error) so callers
 * can decide what a missing file means and add their own context. */
#ifndef CRADLE_FILEUTIL_H
#define CRADLE_FILEUTIL_H

#include <stddef.h>

/* Reads the whole file at dir_fd/path (AT_FDCWD for plain paths) into a NUL-terminated
 * buffer the caller frees; *len (optional) gets its length. */
int cradle_read_file_at(int dir_fd, const char *path, char **out, size_t *len);

/* Writes len bytes to an existing file (O_WRONLY, no O_CREAT), e.g. a /proc or cgroup file. */
int cradle_write_file_at(int dir_fd, const char *path, const char *data, size_t len);

/* PATH made absolute against the current directory (a copy when already absolute);
 * NULL on failure with errno set. */
char *cradle_absolute_path(const char *path);

#endif
