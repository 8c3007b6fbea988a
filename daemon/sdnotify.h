/*
 * The systemd notification protocol (sd_notify(3)) in a few lines: one
 * datagram to $NOTIFY_SOCKET.  Without that variable every call is a
 * no-op, so the daemon behaves the same outside systemd.
 */
#ifndef SDNOTIFY_H
#define SDNOTIFY_H

#include <stdint.h>

/* Sends state ("READY=1", "STOPPING=1", ...); -1 on error, 0 otherwise. */
int	 sdnotify(const char *state);
/* The watchdog interval asked by systemd in microseconds, 0 if none. */
uint64_t sdnotify_watchdog_usec(void);

#endif
