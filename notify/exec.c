/*
 * The exec channel: runs the channel's command with /bin/sh -c, the
 * delivery's JSON (channel_json) on its standard input and the key and
 * type in NIANBAO_EVENT_KEY and NIANBAO_EVENT_TYPE.  Exit status 0 is
 * delivered.  The command runs in a process group of its own so that a
 * timeout kills it and everything it started; its output (stdout and
 * stderr together) is kept up to EXEC_MAX_OUTPUT bytes as the raw answer.
 * The environment is built before fork: the dispatcher is a thread, and
 * between fork and exec only async-signal-safe calls are allowed.
 */
#define _GNU_SOURCE		/* pipe2 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../daemon/buf.h"
#include "../daemon/clock.h"
#include "../daemon/xmalloc.h"
#include "notify.h"

#define EXEC_MAX_OUTPUT	(16 * 1024)

extern char **environ;

static char **
exec_env(const struct notify_msg *m)
{
	char **env;
	size_t n, i, j = 0;

	for (n = 0; environ[n] != NULL; n++)
		;
	env = xcalloc(n + 3, sizeof *env);
	for (i = 0; i < n; i++) {
		if (strncmp(environ[i], "NIANBAO_EVENT_", 14) == 0)
			continue;
		env[j++] = xstrdup(environ[i]);
	}
	env[j++] = xprintf("NIANBAO_EVENT_KEY=%s", m->key != NULL ? m->key :
	    "");
	env[j++] = xprintf("NIANBAO_EVENT_TYPE=%s", m->test ? "test" :
	    m->nevents == 1 ? m->events[0].type : "digest");
	env[j] = NULL;
	return env;
}

static void
exec_env_free(char **env)
{
	size_t i;

	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

int
exec_send(const struct channel_conf *c, const struct notify_msg *m,
    struct notify_answer *a)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, status = 0, rc = -1;
	int timed_out = 0, reaped = 0;
	char *body, **env, chunk[4096];
	const char *argv[4];
	size_t off = 0, len;
	struct pollfd pfd[2];
	struct buf output;
	sigset_t all;
	int64_t deadline;
	ssize_t n;
	pid_t pid;
	nfds_t np;

	body = channel_json(m);
	len = strlen(body);
	env = exec_env(m);
	buf_init(&output, EXEC_MAX_OUTPUT);
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = c->command;
	argv[3] = NULL;
	if (pipe2(in, O_CLOEXEC) == -1 || pipe2(out, O_CLOEXEC) == -1) {
		a->error = xprintf("exec: pipe: %s", strerror(errno));
		a->retryable = 1;
		goto out;
	}
	pid = fork();
	if (pid == -1) {
		a->error = xprintf("exec: fork: %s", strerror(errno));
		a->retryable = 1;
		goto out;
	}
	if (pid == 0) {
		/* the child: async-signal-safe calls only */
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(out[1], STDERR_FILENO);
		execve("/bin/sh", (char *const *)argv, env);
		_exit(127);
	}
	setpgid(pid, pid);	/* both sides: no race with the kill below */
	close(in[0]);
	close(out[1]);
	in[0] = out[1] = -1;
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	deadline = clock_mono_ms() + c->timeout_ms;
	for (;;) {
		int64_t left = deadline - clock_mono_ms();

		if (left <= 0) {
			timed_out = 1;
			break;
		}
		np = 0;
		if (out[0] != -1) {
			pfd[np].fd = out[0];
			pfd[np++].events = POLLIN;
		}
		if (in[1] != -1) {
			pfd[np].fd = in[1];
			pfd[np++].events = POLLOUT;
		}
		if (np == 0)
			break;
		if (poll(pfd, np, (int)(left > 1000 ? 1000 : left)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (out[0] != -1 && pfd[0].revents != 0) {
			n = read(out[0], chunk, sizeof chunk);
			if (n > 0) {
				size_t room = EXEC_MAX_OUTPUT - output.len;

				buf_add(&output, chunk, (size_t)n < room ?
				    (size_t)n : room);
			} else if (n == 0 || errno != EINTR) {
				close(out[0]);
				out[0] = -1;
			}
		}
		if (in[1] != -1 && pfd[np - 1].fd == in[1] &&
		    pfd[np - 1].revents != 0) {
			n = write(in[1], body + off, len - off);
			if (n > 0)
				off += (size_t)n;
			/* EPIPE: the command does not read its input */
			if (off == len || (n == -1 && errno != EAGAIN &&
			    errno != EINTR)) {
				close(in[1]);
				in[1] = -1;
			}
		}
	}
	if (!timed_out) {
		/* output closed: wait for the exit, still bounded */
		while (clock_mono_ms() < deadline) {
			pid_t w = waitpid(pid, &status, WNOHANG);

			if (w == pid) {
				reaped = 1;
				break;
			}
			if (w == -1 && errno != EINTR)
				break;
			{
				struct timespec ts = { 0, 20 * 1000 * 1000 };

				nanosleep(&ts, NULL);
			}
		}
		timed_out = !reaped;
	}
	if (!reaped) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	}
	a->raw = xstrdup(buf_str(&output));
	if (timed_out) {
		a->error = xprintf("exec: timed out after %lld ms, killed",
		    c->timeout_ms);
		a->retryable = 1;
		goto out;
	}
	if (WIFEXITED(status)) {
		a->status = WEXITSTATUS(status);
		if (a->status == 0) {
			a->delivered = 1;
			rc = 0;
			goto out;
		}
		a->error = xprintf("exec: exit status %ld", a->status);
	} else
		a->error = xprintf("exec: killed by signal %d",
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	a->retryable = 1;
out:
	if (in[0] != -1)
		close(in[0]);
	if (in[1] != -1)
		close(in[1]);
	if (out[0] != -1)
		close(out[0]);
	if (out[1] != -1)
		close(out[1]);
	buf_release(&output);
	exec_env_free(env);
	free(body);
	return rc;
}
