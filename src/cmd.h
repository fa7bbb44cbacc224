/*
 * cmd.h - ramtop's subcommands, which do not watch anything themselves:
 *   ramtop mark [--to RAMTOP_PID] [LABEL...]   mark a phase in a session
 *   ramtop show [--json] FILE                  phase table of a snapshot
 *   ramtop diff [--json] FILE [A [B]]          what changed between phases
 *   ramtop diff [--json] FILE1 FILE2           ... between two snapshots
 *   ramtop report [--svg|--markdown] [--redact] [-o OUT] FILE   (report_html.c)
 *   ramtop check [--json] [--junit FILE] BUDGETS FILE   budgets (check.c)
 */
#ifndef RAMTOP_CMD_H
#define RAMTOP_CMD_H

/* If argv[1] names a subcommand, run it and return ramtop's exit code
 * (0 ok, 1 failed, 2 bad usage); otherwise return -1. */
int cmd_run(int argc, char **argv);

#endif
