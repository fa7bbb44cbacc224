/*
 * launch.c - fork and exec the command of `ramtop -- CMD ARGS`.  A
 * close-on-exec pipe tells the parent whether the exec happened, so the
 * first sample is of CMD itself, not of ramtop's forked copy.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"
#include "loop.h"

int
launch_start(char *const argv[], int out_fd, const char *env_socket, pid_t *pid)
{
	int p[2], err = 0, null;
	ssize_t r;
	pid_t c;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	c = fork();
	if (c < 0) {
		err = errno;
		close(p[0]);
		close(p[1]);
		return -err;
	}
	if (c == 0) {
		close(p[0]);
		loop_restore_child();
		if (out_fd >= 0) {
			/* The screen's command gets no terminal signals:
			 * Ctrl-C and Ctrl-\ are ramtop's, which passes the
			 * stop on once (ramtop(1), SIGNALS). */
			setpgid(0, 0);
			null = open("/dev/null", O_RDONLY);
			if (null >= 0)
				dup2(null, 0);
			dup2(out_fd, 1);
			dup2(out_fd, 2);
		} else if (out_fd == LAUNCH_OUT_STDERR) {
			dup2(2, 1);
		}
		if (env_socket != NULL)
			setenv("RAMTOP_SOCKET", env_socket, 1);
		else /* not an outer session's: marks would go astray */
			unsetenv("RAMTOP_SOCKET");
		execvp(argv[0], argv);
		err = errno;
		r = write(p[1], &err, sizeof err);
		(void)r;
		_exit(127);
	}
	close(p[1]);
	if (out_fd >= 0)
		setpgid(c, c); /* as the child does: whichever runs first */
	do
		r = read(p[0], &err, sizeof err);
	while (r < 0 && errno == EINTR);
	close(p[0]);
	if (r == (ssize_t)sizeof err) {
		while (waitpid(c, NULL, 0) < 0 && errno == EINTR)
			;
		return -err;
	}
	*pid = c;
	return 0;
}

int
launch_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}
