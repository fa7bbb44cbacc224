/*
 * launch.h - launch mode: ramtop starts the command itself so its
 * baseline is zero and its whole life is observed.
 */
#ifndef RAMTOP_LAUNCH_H
#define RAMTOP_LAUNCH_H

#include <sys/types.h>

/*
 * Fork and exec argv[0] (searched in PATH).  Returns once the exec has
 * happened (or failed): 0 with *pid set, or -errno of the failed exec
 * (the child is then already reaped).  If out_fd >= 0 the child's
 * stdout and stderr go there and stdin is /dev/null (the TUI owns the
 * terminal) and it runs in its own process group, so that the terminal's
 * signals reach ramtop alone; LAUNCH_OUT_STDERR: its stdout goes to
 * ramtop's stderr (batch: ramtop's stdout carries ramtop's lines only),
 * stdin and stderr are inherited, and so is the process group; otherwise
 * (-1) it inherits all three and the process group.
 * env_socket, if not NULL, is exported as RAMTOP_SOCKET.
 */
#define LAUNCH_OUT_STDERR (-2)
int launch_start(char *const argv[], int out_fd, const char *env_socket,
		 pid_t *pid);

/* Exit status for ramtop from a waitpid status: code, or 128 + signal. */
int launch_exit_code(int status);

#endif
