/*
 * proc.c - small helpers around struct proc: unknown figures, deltas,
 * error reasons, freeing.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "proc.h"

const char *
proc_err_str(enum proc_err e)
{
	switch (e) {
	case PROC_OK:
		return NULL;
	case PROC_EACCES:
		return "permission denied";
	case PROC_GONE:
		return "no such process";
	case PROC_KTHREAD:
		return "kernel thread";
	case PROC_ZOMBIE:
		return "zombie";
	case PROC_ABSENT:
		return "not in the recording";
	case PROC_EIO:
		break;
	}
	return "read error";
}

enum proc_err
proc_err_from_errno(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case 0:
		return PROC_OK;
	case EACCES:
	case EPERM:
		return PROC_EACCES;
	case ESRCH:
	case ENOENT:
		return PROC_GONE;
	case ENODATA:
		return PROC_ABSENT;
	}
	return PROC_EIO;
}

const char *
proc_error(const struct proc *p)
{
	if (p->status_err != PROC_OK)
		return proc_err_str(p->status_err);
	if (p->rollup_err != PROC_OK)
		return proc_err_str(p->rollup_err);
	if (p->smaps_err != PROC_OK)
		return proc_err_str(p->smaps_err);
	return NULL;
}

void
proc_figs_unknown(struct proc_figs *f)
{
#define X(name, key) f->name = KB_UNKNOWN;
	PROC_FIGS
#undef X
}

void
proc_free(struct proc *p)
{
	if (p == NULL)
		return;
	if (p->regions != p->base_regions) {
		region_set_free(p->regions);
		free(p->regions);
	}
	region_set_free(p->base_regions);
	free(p->base_regions);
	free(p->cmdline);
	free(p);
}
