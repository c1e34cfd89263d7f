/* What "run" and "restore" do after the container exists: detach, or stay in the
 * foreground as its parent until it exits. */
#ifndef CRADLE_RUNTIME_FOREGROUND_H
#define CRADLE_RUNTIME_FOREGROUND_H

#include <stdbool.h>

#include "commands.h"
#include "cradle/container.h"

/* Signals are blocked before the container exists so none is lost: they queue until
 * the wait loop forwards them (the container's init unblocks them before exec). */
void block_forwarded_signals(void);

/* Detached: returns 0. Otherwise waits for the init (forwarding signals, relaying its
 * terminal when c->console_fd is set), removes the container as runc does (not with KEEP:
 * run --keep) and returns its exit status. Closes c->pidfd (and c->console_fd) either way;
 * detached, there is no console_fd (a terminal goes to --console-socket). */
int finish_foreground(const struct global_opts *g, const char *id, struct cradle_created *c,
                      bool detach, bool keep, cradle_error **err);

#endif
