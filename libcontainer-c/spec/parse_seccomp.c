/* linux.seccomp: actions, operators, architectures and flags checked against the names
 * the runtime-spec defines; every error names the JSON path at fault. */
#include "parse_seccomp.h"

#include <stdlib.h>
#include <string.h>

#include "cradle/cleanup.h"
#include "spec_internal.h"

#define SECCOMP_PATH     "linux.seccomp"
#define SYSCALL_MAX_ARGS 6
#define ERRNO_RET_MAX    65535 /* the 16-bit data field of SECCOMP_RET_ERRNO/TRACE */
#define ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *name;
    enum cradle_seccomp_action action;
} actions[] = {
    {"SCMP_ACT_KILL", CRADLE_SECCOMP_ACT_KILL_THREAD},
    {"SCMP_ACT_KILL_THREAD", CRADLE_SECCOMP_ACT_KILL_THREAD},
    {"SCMP_ACT_KILL_PROCESS", CRADLE_SECCOMP_ACT_KILL_PROCESS},
    {"SCMP_ACT_TRAP", CRADLE_SECCOMP_ACT_TRAP},
    {"SCMP_ACT_ERRNO", CRADLE_SECCOMP_ACT_ERRNO},
    {"SCMP_ACT_TRACE", CRADLE_SECCOMP_ACT_TRACE},
    {"SCMP_ACT_ALLOW", CRADLE_SECCOMP_ACT_ALLOW},
    {"SCMP_ACT_LOG", CRADLE_SECCOMP_ACT_LOG},
    {"SCMP_ACT_NOTIFY", CRADLE_SECCOMP_ACT_NOTIFY},
};

static const struct {
    const char *name;
    enum cradle_seccomp_op op;
} operators[] = {
    {"SCMP_CMP_NE", CRADLE_SECCOMP_OP_NE},
    {"SCMP_CMP_LT", CRADLE_SECCOMP_OP_LT},
    {"SCMP_CMP_LE", CRADLE_SECCOMP_OP_LE},
    {"SCMP_CMP_EQ", CRADLE_SECCOMP_OP_EQ},
    {"SCMP_CMP_GE", CRADLE_SECCOMP_OP_GE},
    {"SCMP_CMP_GT", CRADLE_SECCOMP_OP_GT},
    {"SCMP_CMP_MASKED_EQ", CRADLE_SECCOMP_OP_MASKED_EQ},
};

static const struct {
    const char *name;
    unsigned flag;
} flags[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", CRADLE_SECCOMP_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", CRADLE_SECCOMP_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", CRADLE_SECCOMP_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", CRADLE_SECCOMP_FLAG_WAIT_KILLABLE_RECV},
};

/* The architectures config-linux.md lists; libseccomp may still lack some (checked at load). */
static const char *const architectures[] = {
    "SCMP_ARCH_X86",     "SCMP_ARCH_X86_64",   "SCMP_ARCH_X32",         "SCMP_ARCH_ARM",
    "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",     "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",
    "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
    "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",  "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",
    "SCMP_ARCH_PARISC",  "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",     "SCMP_ARCH_LOONGARCH64",
};

const char *cradle_seccomp_action_name(size_t index)
{
    return index < ARRAY_SIZE(actions) ? actions[index].name : NULL;
}

const char *cradle_seccomp_operator_name(size_t index)
{
    return index < ARRAY_SIZE(operators) ? operators[index].name : NULL;
}

const char *cradle_seccomp_arch_name(size_t index)
{
    return index < ARRAY_SIZE(architectures) ? architectures[index] : NULL;
}

const char *cradle_seccomp_flag_name(size_t index)
{
    return index < ARRAY_SIZE(flags) ? flags[index].name : NULL;
}

static int parse_action(struct json_object *obj, const char *path, const char *key,
                        enum cradle_seccomp_action *out, cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    _cleanup_free_ char *name = NULL;
    int r = spec_get_string(obj, path, key, &name, err);
    if (r <= 0)
        return r < 0 ? -1 : spec_missing(path, key, err);
    for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
        if (strcmp(actions[i].name, name) == 0) {
            *out = actions[i].action;
            return 0;
        }
    }
    return cradle_error_set(err, 0, "%s: unknown action \"%s\"", spec_path_join(where, path, key),
                            name);
}

/* errnoRet: only ERRNO and TRACE carry a return value (config-linux.md: MUST fail otherwise). */
static int parse_errno_ret(struct json_object *obj, const char *path, const char *key,
                           enum cradle_seccomp_action action, bool *has, uint32_t *out,
                           cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    int r = spec_get_u32(obj, path, key, out, err);
    if (r <= 0)
        return r;
    spec_path_join(where, path, key);
    if (action != CRADLE_SECCOMP_ACT_ERRNO && action != CRADLE_SECCOMP_ACT_TRACE)
        return cradle_error_set(err, 0, "%s: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE",
                                where);
    if (*out > ERRNO_RET_MAX)
        return cradle_error_set(err, 0, "%s: %u is larger than %d", where, *out, ERRNO_RET_MAX);
    *has = true;
    return 0;
}

static int parse_arg(struct json_object *obj, const char *path, struct cradle_spec_seccomp_arg *arg,
                     cradle_error **err)
{
    char where[SPEC_PATH_MAX];
    _cleanup_free_ char *op = NULL;
    int r;
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "%s", path);
    if ((r = spec_get_u32(obj, path, "index", &arg->index, err)) <= 0)
        return r < 0 ? -1 : spec_missing(path, "index", err);
    if (arg->index >= SYSCALL_MAX_ARGS)
        return cradle_error_set(err, 0, "%s: %u is not a syscall argument index (0 to %d)",
                                spec_path_join(where, path, "index"), arg->index,
                                SYSCALL_MAX_ARGS - 1);
    if ((r = spec_get_u64(obj, path, "value", &arg->value, err)) <= 0)
        return r < 0 ? -1 : spec_missing(path, "value", err);
    if (spec_get_u64(obj, path, "valueTwo", &arg->value_two, err) < 0)
        return -1;
    if ((r = spec_get_string(obj, path, "op", &op, err)) <= 0)
        return r < 0 ? -1 : spec_missing(path, "op", err);
    for (size_t i = 0; i < ARRAY_SIZE(operators); i++) {
        if (strcmp(operators[i].name, op) == 0) {
            arg->op = operators[i].op;
            return 0;
        }
    }
    return cradle_error_set(err, 0, "%s: unknown operator \"%s\"",
                            spec_path_join(where, path, "op"), op);
}

static int parse_syscall(struct json_object *obj, const char *path,
                         struct cradle_spec_seccomp_syscall *call, cradle_error **err)
{
    char where[SPEC_PATH_MAX], item[SPEC_PATH_MAX];
    struct json_object *args = NULL;
    int r;
    if (spec_as_object(obj, err) < 0)
        return cradle_error_wrap(err, "%s", path);
    if ((r = spec_get_strv(obj, path, "names", &call->names, &call->n_names, err)) <= 0)
        return r < 0 ? -1 : spec_missing(path, "names", err);
    for (size_t i = 0; i < call->n_names; i++) {
        if (call->names[i][0] == '\0')
            return cradle_error_set(err, 0, "%s: empty syscall name",
                                    spec_path_format(item, "%s.names[%zu]", path, i));
    }
    if (parse_action(obj, path, "action", &call->action, err) < 0 ||
        parse_errno_ret(obj, path, "errnoRet", call->action, &call->has_errno_ret, &call->errno_ret,
                        err) < 0)
        return -1;

    if ((r = spec_get_array(obj, path, "args", &args, err)) <= 0)
        return r;
    spec_path_join(where, path, "args");
    size_t n = json_object_array_length(args);
    call->args = spec_alloc_array(n, sizeof(*call->args), where, err);
    if (call->args == NULL)
        return -1;
    call->n_args = n;
    for (size_t i = 0; i < n; i++) {
        if (parse_arg(json_object_array_get_idx(args, i), spec_path_index(item, where, i),
                      &call->args[i], err) < 0)
            return -1;
    }
    return 0;
}

static int parse_syscalls(struct json_object *arr, struct cradle_spec *spec, cradle_error **err)
{
    struct cradle_spec_seccomp *sc = &spec->linux_.seccomp;
    const char *where = SECCOMP_PATH ".syscalls";
    char item[SPEC_PATH_MAX];
    size_t n = json_object_array_length(arr);
    sc->syscalls = spec_alloc_array(n, sizeof(*sc->syscalls), where, err);
    if (sc->syscalls == NULL)
        return -1;
    sc->n_syscalls = n;
    for (size_t i = 0; i < n; i++) {
        if (parse_syscall(json_object_array_get_idx(arr, i), spec_path_index(item, where, i),
                          &sc->syscalls[i], err) < 0)
            return -1;
    }
    return 0;
}

static int parse_architectures(struct json_object *obj, struct cradle_spec_seccomp *sc,
                               cradle_error **err)
{
    char item[SPEC_PATH_MAX];
    if (spec_get_strv(obj, SECCOMP_PATH, "architectures", &sc->architectures, &sc->n_architectures,
                      err) < 0)
        return -1;
    for (size_t i = 0; i < sc->n_architectures; i++) {
        bool known = false;
        for (size_t j = 0; j < ARRAY_SIZE(architectures) && !known; j++)
            known = strcmp(architectures[j], sc->architectures[i]) == 0;
        if (!known)
            return cradle_error_set(err, 0, "%s: unknown architecture \"%s\"",
                                    spec_path_index(item, SECCOMP_PATH ".architectures", i),
                                    sc->architectures[i]);
    }
    return 0;
}

static int parse_flags(struct json_object *obj, struct cradle_spec_seccomp *sc, cradle_error **err)
{
    char item[SPEC_PATH_MAX];
    _cleanup_strv_ char **names = NULL;
    size_t n = 0;
    if (spec_get_strv(obj, SECCOMP_PATH, "flags", &names, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < ARRAY_SIZE(flags) && strcmp(flags[j].name, names[i]) != 0)
            j++;
        if (j == ARRAY_SIZE(flags))
            return cradle_error_set(err, 0, "%s: unknown flag \"%s\"",
                                    spec_path_index(item, SECCOMP_PATH ".flags", i), names[i]);
        sc->flags |= flags[j].flag;
    }
    return 0;
}

/* The agent SCMP_ACT_NOTIFY's fd goes to; an empty listenerPath is no listener, as in
 * runc. Whether the rules need one is the validation pass's business. */
static int parse_listener(struct json_object *obj, struct cradle_spec_seccomp *sc,
                          cradle_error **err)
{
    if (spec_get_string(obj, SECCOMP_PATH, "listenerPath", &sc->listener_path, err) < 0 ||
        spec_get_string(obj, SECCOMP_PATH, "listenerMetadata", &sc->listener_metadata, err) < 0)
        return -1;
    if (sc->listener_path != NULL && sc->listener_path[0] == '\0') {
        free(sc->listener_path);
        sc->listener_path = NULL;
    }
    return 0;
}

int spec_parse_seccomp(struct json_object *obj, struct cradle_spec *spec, cradle_error **err)
{
    struct cradle_spec_seccomp *sc = &spec->linux_.seccomp;
    struct json_object *syscalls = NULL;
    _cleanup_free_ char *default_action = NULL;

    int has_syscalls = spec_get_array(obj, SECCOMP_PATH, "syscalls", &syscalls, err);
    if (has_syscalls < 0 ||
        spec_get_string(obj, SECCOMP_PATH, "defaultAction", &default_action, err) < 0)
        return -1;
    /* As runc: with neither a default action nor any rule there is no filter. */
    bool no_default = default_action == NULL || default_action[0] == '\0';
    if (no_default && (!has_syscalls || json_object_array_length(syscalls) == 0))
        return 0;

    if (parse_action(obj, SECCOMP_PATH, "defaultAction", &sc->default_action, err) < 0)
        return -1;
    if (sc->default_action == CRADLE_SECCOMP_ACT_NOTIFY)
        return cradle_error_set(err, 0,
                                SECCOMP_PATH ".defaultAction: SCMP_ACT_NOTIFY cannot be the "
                                             "default action");
    if (parse_errno_ret(obj, SECCOMP_PATH, "defaultErrnoRet", sc->default_action,
                        &sc->has_default_errno_ret, &sc->default_errno_ret, err) < 0 ||
        parse_architectures(obj, sc, err) < 0 || parse_flags(obj, sc, err) < 0 ||
        parse_listener(obj, sc, err) < 0)
        return -1;
    if (has_syscalls && parse_syscalls(syscalls, spec, err) < 0)
        return -1;
    spec->linux_.has_seccomp = true;
    return 0;
}
