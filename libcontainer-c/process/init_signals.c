#include <signal.h>

#include "init_stages.h"

void cradle_init_reset_signals(void)
{
    /* Handlers are reset by execve anyway; ignored signals are not. sigaction refuses
     * SIGKILL, SIGSTOP and the signals libc keeps for itself: those errors are expected. */
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sigemptyset(&dfl.sa_mask);
    for (int sig = 1; sig < NSIG; sig++)
        sigaction(sig, &dfl, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}
