#include "foreground.h"

#include <signal.h>
#include <unistd.h>

void block_forwarded_signals(void)
{
    sigset_t set;
    sigfillset(&set);
    sigdelset(&set, SIGCHLD);
    sigdelset(&set, SIGSEGV);
    sigdelset(&set, SIGBUS);
    sigdelset(&set, SIGFPE);
    sigdelset(&set, SIGILL);
    sigprocmask(SIG_BLOCK, &set, NULL);
}

int finish_foreground(const struct global_opts *g, const char *id, struct cradle_created *c,
                      bool detach, bool keep, cradle_error **err)
{
    if (detach) {
        close(c->pidfd);
        return 0;
    }
    int status = 1;
    int ret = cradle_container_wait_forwarding(c, &status, err);
    close(c->pidfd);
    if (c->console_fd >= 0)
        close(c->console_fd);
    if (ret < 0 || (!keep && cradle_container_delete(g->root, id, true, err) < 0))
        return 1;
    return status;
}
