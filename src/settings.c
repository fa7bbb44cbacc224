/*
 * settings.c - the settings file (settings.h): read key=value lines,
 * write them back through the one atomic writer (atomic.c).
 *
 * Touches: the settings file and its directory only.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic.h"
#include "settings.h"

/* Bigger than any settings file ramtop writes: refuse to read more. */
#define SETTINGS_FILE_MAX 16384

int
settings_path(char *buf, size_t len)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *h = getenv("HOME");
	int n;

	if (x != NULL && x[0] == '/')
		n = snprintf(buf, len, "%s/ramtop/ramtoprc", x);
	else if (h != NULL && h[0] == '/')
		n = snprintf(buf, len, "%s/.config/ramtop/ramtoprc", h);
	else
		return -ENOENT;
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int
settings_key_ok(const char *k, size_t n)
{
	size_t i;

	if (n == 0 || n >= SETTINGS_KEY_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || k[i] == '_' ||
		      (k[i] >= '0' && k[i] <= '9')))
			return 0;
	return 1;
}

static int
settings_val_ok(const char *v, size_t n)
{
	size_t i;

	if (n >= SETTINGS_VAL_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < ' ' || v[i] == 127)
			return 0;
	return 1;
}

/* One line: blank, a comment, or key=value.  0 or -EINVAL. */
static int
settings_line(struct settings *s, char *l, size_t n)
{
	char *eq;

	while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\r'))
		l[--n] = '\0';
	if (n == 0 || l[0] == '#')
		return 0;
	eq = memchr(l, '=', n);
	if (eq == NULL || !settings_key_ok(l, (size_t)(eq - l)) ||
	    !settings_val_ok(eq + 1, n - (size_t)(eq - l) - 1))
		return -EINVAL;
	*eq = '\0';
	/* A full table drops later keys: they are not ramtop's. */
	(void)settings_set(s, l, eq + 1);
	return 0;
}

static int
settings_parse(struct settings *s, char *buf, size_t len, char *err,
	       size_t errlen)
{
	size_t line = 1, start = 0, i;

	if (memchr(buf, '\0', len) != NULL) {
		snprintf(err, errlen, "it holds binary data");
		return -EINVAL;
	}
	for (i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\n')
			continue;
		buf[i] = '\0';
		if (settings_line(s, buf + start, i - start) < 0) {
			snprintf(err, errlen, "line %zu is not key=value",
				 line);
			return -EINVAL;
		}
		start = i + 1;
		line++;
	}
	return 0;
}

int
settings_load(const char *path, struct settings *s, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	FILE *fp;
	int r;

	s->n = 0;
	err[0] = '\0';
	fp = fopen(path, "re");
	if (fp == NULL) {
		r = -errno;
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(-r));
		return r;
	}
	buf = malloc(SETTINGS_FILE_MAX + 1);
	if (buf == NULL) {
		fclose(fp);
		return -ENOMEM;
	}
	len = fread(buf, 1, SETTINGS_FILE_MAX + 1, fp);
	r = ferror(fp) ? -EIO : 0;
	fclose(fp);
	if (r == 0 && len > SETTINGS_FILE_MAX) {
		snprintf(err, errlen, "it is over %d bytes", SETTINGS_FILE_MAX);
		r = -EINVAL;
	}
	if (r == 0)
		r = settings_parse(s, buf, len, err, errlen);
	else if (r == -EIO)
		snprintf(err, errlen, "cannot read %s", path);
	free(buf);
	if (r < 0)
		s->n = 0;
	return r;
}

const char *
settings_get(const struct settings *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->key[i], key) == 0)
			return s->val[i];
	return NULL;
}

int
settings_set(struct settings *s, const char *key, const char *val)
{
	size_t i;

	if (!settings_key_ok(key, strlen(key)) ||
	    !settings_val_ok(val, strlen(val)))
		return -EINVAL;
	for (i = 0; i < s->n && strcmp(s->key[i], key) != 0; i++)
		;
	if (i == SETTINGS_MAX)
		return -ENOSPC;
	snprintf(s->key[i], sizeof s->key[i], "%s", key);
	snprintf(s->val[i], sizeof s->val[i], "%s", val);
	if (i == s->n)
		s->n++;
	return 0;
}

/* mkdir -p of path's directory (its parents first). */
static int
settings_mkdirs(const char *path)
{
	char d[4096];
	char *p;

	if (snprintf(d, sizeof d, "%s", path) >= (int)sizeof d)
		return -ENAMETOOLONG;
	p = strrchr(d, '/');
	if (p == NULL || p == d)
		return 0;
	*p = '\0';
	for (p = d + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0700) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(d, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int
settings_save(const char *path, const struct settings *s, char *err,
	      size_t errlen)
{
	char buf[SETTINGS_MAX * (SETTINGS_KEY_MAX + SETTINGS_VAL_MAX + 2) +
		 128];
	size_t i, n;
	int r;

	n = (size_t)snprintf(buf, sizeof buf,
			     "# ramtop settings, written when ramtop quits "
			     "(see ramtop(1), FILES)\n");
	for (i = 0; i < s->n && n < sizeof buf; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s=%s\n",
				      s->key[i], s->val[i]);
	r = settings_mkdirs(path);
	if (r < 0) {
		snprintf(err, errlen, "cannot make the directory of %s: %s",
			 path, strerror(-r));
		return r;
	}
	return atomic_write(path, buf, n, "the settings file",
			    "or start ramtop with --no-config", err, errlen);
}
