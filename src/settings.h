/*
 * settings.h - the settings file, $XDG_CONFIG_HOME/ramtop/ramtoprc
 * (~/.config/ramtop/ramtoprc): plain key=value lines, '#' comments.
 * The screen keeps its sort, columns, panel split, kernel-thread toggle
 * and tree/flat choice there (ui/tui_settings.c maps them).  Keys ramtop
 * does not know are ignored (and written back as they were); a file
 * that is not key=value lines is ignored whole (one warning, defaults).
 *
 * A struct settings owns its strings.  Nothing here prints.
 */
#ifndef RAMTOP_SETTINGS_H
#define RAMTOP_SETTINGS_H

#include <stddef.h>

#define SETTINGS_MAX 32
#define SETTINGS_KEY_MAX 32
#define SETTINGS_VAL_MAX 128

struct settings {
	char key[SETTINGS_MAX][SETTINGS_KEY_MAX];
	char val[SETTINGS_MAX][SETTINGS_VAL_MAX];
	size_t n;
};

/* The file's path into buf: 0, or -ENOENT when neither XDG_CONFIG_HOME
 * nor HOME is set (no settings then). */
int settings_path(char *buf, size_t len);

/* Read path into s (emptied first).  0; -ENOENT when there is no file;
 * -EINVAL when it is not key=value lines (s is then empty and err says
 * which line); another -errno when it cannot be read (err says). */
int settings_load(const char *path, struct settings *s, char *err,
		  size_t errlen);

/* The value of key, or NULL. */
const char *settings_get(const struct settings *s, const char *key);
/* Set key to val (added or replaced); -ENOSPC when full, -EINVAL for a
 * key or value that cannot be written back as one line. */
int settings_set(struct settings *s, const char *key, const char *val);

/* Write s to path atomically (atomic.c), making its directory first.
 * 0 or -errno with one line in err. */
int settings_save(const char *path, const struct settings *s, char *err,
		  size_t errlen);

#endif
