#include "cradle/hooks.h"

#include "hooks_internal.h"

static void hook_process_releasep(struct hook_process *proc)
{
    hook_process_release(proc);
}

/* Runs one hook; the error (without the "<stage> hook #N (path)" prefix) says why it failed. */
static int run_hook(const struct cradle_spec_hook *hook, const char *state_json, cradle_error **err)
{
    __attribute__((cleanup(hook_process_releasep))) struct hook_process proc = HOOK_PROCESS_NONE;
    if (hook_spawn(hook, &proc, err) < 0)
        return -1;

    struct hook_outcome outcome;
    if (hook_supervise(&proc, state_json, hook->has_timeout ? hook->timeout : 0, &outcome, err) < 0)
        return -1;
    if (outcome.timed_out)
        return cradle_error_set(err, 0, "timed out after %d s", hook->timeout);

    char text[64];
    const char *failure = hook_exit_describe(&outcome.info, text, sizeof(text));
    if (failure)
        return cradle_error_set(err, 0, "%s", failure);
    return 0;
}

int cradle_hooks_run(const struct cradle_spec_hook_list *list, const char *stage,
                     const char *state_json, cradle_error **err)
{
    /* Numbered from 0, as runc numbers them in its messages. */
    for (size_t i = 0; i < list->n_hooks; i++) {
        const struct cradle_spec_hook *hook = &list->hooks[i];
        if (run_hook(hook, state_json, err) < 0)
            return cradle_error_wrap(err, "%s hook #%zu (%s)", stage, i, hook->path);
    }
    return 0;
}
