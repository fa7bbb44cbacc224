/*
 * opts.h - command-line settings of ramtop.
 */
#ifndef RAMTOP_OPTS_H
#define RAMTOP_OPTS_H

#include <stddef.h>
#include <stdio.h>

struct opts {
	int *pids; /* -p, owned */
	size_t npids;
	double delay;		 /* -d, seconds */
	long count;		 /* -n, -1 = until stopped */
	int batch;		 /* -b */
	int json;		 /* --json */
	int regions;		 /* --regions (batch: region tables) */
	int regions_all;	 /* --regions=all: marks keep every table */
	int gentle;		 /* --gentle */
	int no_color;		 /* --no-color or NO_COLOR */
	int pss_every;		 /* --pss-every, ticks */
	int no_cgroup;		 /* --no-cgroup */
	const char *out_file;	 /* -o */
	const char *replay;	 /* --replay: a recorded /proc */
	const char *budget_file; /* --budget */
	int fail_on_budget;	 /* --fail-on-budget */
	const char *listen;	 /* --listen [ADDR:]PORT: serve /metrics */
	const char *textfile;	 /* --textfile PATH: exposition per sample */
	long metrics_top;	 /* --metrics-top N (all-processes mode) */
	char **cmd;	   /* after --, NULL-terminated; points into argv */
	const char *pgrep; /* -P, --pgrep: a regular expression */
	const char *user;  /* -u, --user: the screen shows this user's */
	int no_config;	   /* --no-config or RAMTOP_NO_CONFIG */
	int keep_log;	   /* --keep-log: keep the command's log file */
};

enum opts_result {
	OPTS_RUN = 0,
	OPTS_EXIT_OK, /* --help or --version was printed */
	OPTS_USAGE,   /* bad usage; the message was printed */
};

enum opts_result opts_parse(struct opts *o, int argc, char **argv);
void opts_free(struct opts *o);
void opts_usage(FILE *fp);

#endif
