/*
 * See sdnotify.h.  An abstract socket name starts with '@' in the
 * variable and with a NUL byte in sun_path.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sdnotify.h"
#include "util.h"

int
sdnotify(const char *state)
{
	struct sockaddr_un sun;
	const char *path = getenv("NOTIFY_SOCKET");
	size_t len;
	socklen_t slen;
	int fd, rc = -1;

	if (path == NULL || *path == '\0')
		return 0;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof sun.sun_path)
		return -1;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, len);
	if (sun.sun_path[0] == '@')
		sun.sun_path[0] = '\0';
	slen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, slen) >= 0)
		rc = 0;
	close(fd);
	return rc;
}

uint64_t
sdnotify_watchdog_usec(void)
{
	const char *usec = getenv("WATCHDOG_USEC");
	const char *pid = getenv("WATCHDOG_PID");
	const char *errstr;
	long long v, p;

	if (usec == NULL)
		return 0;
	if (pid != NULL) {
		if (util_strtonum(pid, 1, 1LL << 31, &p, &errstr) != 0 ||
		    p != (long long)getpid())
			return 0;
	}
	if (util_strtonum(usec, 1, 1LL << 50, &v, &errstr) != 0)
		return 0;
	return (uint64_t)v;
}
