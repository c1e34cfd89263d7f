/* Policy files, statement by statement: one keyword per line, words separated by blanks,
 * "#" starting a comment line. "rule NAME" and "deny NAME" open a block that the
 * following property lines fill; "remove NAME" stands alone. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc_policy_internal.h"

#define MAX_NAME_LEN 128

struct parser {
    struct pp_file *file;
    unsigned line;
    char *why;
    size_t why_size;
    /* The open block: index into file->statements, or -1 outside a block. */
    long open;
    bool has_destination, has_kinds, has_access, has_source;
};

struct words {
    char **v;
    size_t n;
};

#define FAIL(p, ...)  pp_fail_at((p)->why, (p)->why_size, (p)->file->source, (p)->line, __VA_ARGS__)
#define FAIL_NOMEM(p) (FAIL(p, "out of memory"), errno = ENOMEM, -1)

static struct pp_statement *open_statement(struct parser *p)
{
    return p->open < 0 ? NULL : &p->file->statements[p->open];
}

static bool valid_name(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > MAX_NAME_LEN)
        return false;
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == len;
}

/* A new zeroed statement at the end of the file's list, or NULL on ENOMEM. */
static struct pp_statement *append_statement(struct parser *p)
{
    struct pp_file *f = p->file;
    struct pp_statement *grown = realloc(f->statements, (f->n_statements + 1) * sizeof(*grown));
    if (grown == NULL)
        return NULL;
    f->statements = grown;
    struct pp_statement *s = &grown[f->n_statements++];
    memset(s, 0, sizeof(*s));
    s->line = p->line;
    return s;
}

static const struct pp_statement *find_rule_statement(const struct pp_file *f, const char *name)
{
    for (size_t i = 0; i < f->n_statements; i++)
        if (!f->statements[i].remove && strcmp(f->statements[i].rule.name, name) == 0)
            return &f->statements[i];
    return NULL;
}

/* Checks the block being closed: what a rule cannot do without. */
static int close_block(struct parser *p)
{
    struct pp_statement *s = open_statement(p);
    p->open = -1;
    if (s == NULL)
        return 0;
    const char *what = s->rule.deny ? "deny rule" : "rule";
    if (!p->has_destination)
        return pp_fail_at(p->why, p->why_size, p->file->source, s->line,
                          "%s \"%s\" has no destination (add \"destination PATH\" or "
                          "\"destination-prefix PATH\")",
                          what, s->rule.name);
    if (!s->rule.deny && !p->has_kinds)
        return pp_fail_at(p->why, p->why_size, p->file->source, s->line,
                          "rule \"%s\" allows no kind of mount (add \"kinds ...\")", s->rule.name);
    if (p->has_source && !(s->rule.kinds & PP_KIND_BIND_PROCFS))
        return pp_fail_at(p->why, p->why_size, p->file->source, s->line,
                          "rule \"%s\" has a source but does not allow bind-procfs", s->rule.name);
    /* Outside /proc only a fresh procfs and a bind from procfs are judged: a rule there
     * for any other kind would never match a mount. */
    if (!s->rule.deny && !pp_path_is_under_proc(s->rule.destination) &&
        (s->rule.kinds & ~(unsigned)(PP_KIND_PROC | PP_KIND_BIND_PROCFS)))
        return pp_fail_at(p->why, p->why_size, p->file->source, s->line,
                          "rule \"%s\": destination %s is not under /proc, where only kinds proc "
                          "and bind-procfs are judged",
                          s->rule.name, s->rule.destination);
    if (!s->rule.deny && !p->has_access)
        s->rule.access = PP_ACCESS_RO;
    return 0;
}

static int one_name(struct parser *p, const struct words *w, const char **name)
{
    if (w->n != 2)
        return FAIL(p, "\"%s\" takes exactly one name", w->v[0]);
    if (!valid_name(w->v[1]))
        return FAIL(p,
                    "invalid rule name \"%s\" (use letters, digits, '.', '_' and '-', at most %d)",
                    w->v[1], MAX_NAME_LEN);
    *name = w->v[1];
    return 0;
}

static int open_rule(struct parser *p, const struct words *w, bool deny)
{
    const char *name;
    if (close_block(p) < 0 || one_name(p, w, &name) < 0)
        return -1;
    const struct pp_statement *earlier = find_rule_statement(p->file, name);
    if (earlier)
        return FAIL(p, "rule \"%s\" is already defined at line %u", name, earlier->line);
    struct pp_statement *s = append_statement(p);
    if (s == NULL)
        return FAIL_NOMEM(p);
    s->rule.deny = deny;
    s->rule.name = strdup(name);
    if (s->rule.name == NULL || asprintf(&s->rule.origin, "%s:%u", p->file->source, p->line) < 0) {
        s->rule.origin = NULL;
        return FAIL_NOMEM(p);
    }
    p->open = (long)(s - p->file->statements);
    p->has_destination = p->has_kinds = p->has_access = p->has_source = false;
    return 0;
}

static int remove_rule(struct parser *p, const struct words *w)
{
    const char *name;
    if (close_block(p) < 0 || one_name(p, w, &name) < 0)
        return -1;
    struct pp_statement *s = append_statement(p);
    if (s == NULL)
        return FAIL_NOMEM(p);
    s->remove = true;
    s->rule.name = strdup(name);
    if (s->rule.name == NULL)
        return FAIL_NOMEM(p);
    return 0;
}

/* The path argument of a "destination" or "source" line: absolute and normalised. */
static int path_argument(struct parser *p, const struct words *w, char **out)
{
    if (w->n != 2)
        return FAIL(p, "\"%s\" takes exactly one path", w->v[0]);
    const char *path = w->v[1];
    if (path[0] != '/')
        return FAIL(p, "%s \"%s\" is not an absolute path", w->v[0], path);
    _cleanup_pp_free_ char *normalized = pp_normalize_path(path);
    if (normalized == NULL)
        return FAIL_NOMEM(p);
    if (strcmp(normalized, path) != 0)
        return FAIL(p, "%s \"%s\" is not normalised (write \"%s\")", w->v[0], path, normalized);
    *out = TAKE_PP_PTR(normalized);
    return 0;
}

static int set_destination(struct parser *p, struct pp_rule *rule, const struct words *w,
                           bool prefix)
{
    if (p->has_destination)
        return FAIL(p, "rule \"%s\" has a second destination", rule->name);
    if (path_argument(p, w, &rule->destination) < 0)
        return -1;
    rule->prefix = prefix;
    p->has_destination = true;
    return 0;
}

static int set_source(struct parser *p, struct pp_rule *rule, const struct words *w)
{
    if (p->has_source)
        return FAIL(p, "rule \"%s\" has a second source", rule->name);
    if (path_argument(p, w, &rule->source) < 0)
        return -1;
    if (!pp_path_is_under_proc(rule->source))
        return FAIL(p,
                    "source \"%s\" is not under /proc (name the procfs file as it shows "
                    "under /proc)",
                    rule->source);
    p->has_source = true;
    return 0;
}

static int kind_from_keyword(const char *word)
{
    static const enum pp_kind kinds[] = {PP_KIND_PROC, PP_KIND_BIND_PROCFS, PP_KIND_BIND_FUSE,
                                         PP_KIND_TMPFS};
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(word, pp_kind_keyword(kinds[i])) == 0)
            return (int)kinds[i];
    return 0;
}

static int set_kinds(struct parser *p, struct pp_rule *rule, const struct words *w)
{
    if (p->has_kinds)
        return FAIL(p, "rule \"%s\" has a second \"kinds\" line", rule->name);
    if (w->n < 2)
        return FAIL(p, "\"kinds\" needs at least one of proc, bind-procfs, bind-fuse, tmpfs");
    for (size_t i = 1; i < w->n; i++) {
        int kind = kind_from_keyword(w->v[i]);
        if (kind == 0)
            return FAIL(p, "unknown kind \"%s\" (expected proc, bind-procfs, bind-fuse or tmpfs)",
                        w->v[i]);
        rule->kinds |= (unsigned)kind;
    }
    p->has_kinds = true;
    return 0;
}

static int set_access(struct parser *p, struct pp_rule *rule, const struct words *w)
{
    if (p->has_access)
        return FAIL(p, "rule \"%s\" has a second \"access\" line", rule->name);
    if (w->n < 2)
        return FAIL(p, "\"access\" needs ro, rw or both");
    for (size_t i = 1; i < w->n; i++) {
        if (strcmp(w->v[i], "ro") == 0)
            rule->access |= PP_ACCESS_RO;
        else if (strcmp(w->v[i], "rw") == 0)
            rule->access |= PP_ACCESS_RW;
        else
            return FAIL(p, "unknown access \"%s\" (expected ro or rw)", w->v[i]);
    }
    p->has_access = true;
    return 0;
}

static int parse_gate(struct parser *p, const char *word, struct pp_gate *gate)
{
    if (strcmp(word, "userns") == 0) {
        gate->type = PP_GATE_USERNS;
        return 0;
    }
    if (strcmp(word, "pidns") == 0) {
        gate->type = PP_GATE_PIDNS;
        return 0;
    }
    if (strncmp(word, "cap:", 4) == 0) {
        gate->type = PP_GATE_CAP_BOUNDING;
        gate->cap = pp_cap_from_name(word + 4);
        if (gate->cap < 0)
            return FAIL(p, "unknown capability \"%s\" in gate \"%s\"", word + 4, word);
        return 0;
    }
    if (strncmp(word, "annotation:", 11) == 0) {
        const char *key = word + 11;
        const char *eq = strchr(key, '=');
        size_t key_len = eq ? (size_t)(eq - key) : strlen(key);
        if (key_len == 0)
            return FAIL(p, "gate \"%s\" has an empty annotation key", word);
        gate->type = PP_GATE_ANNOTATION;
        gate->key = strndup(key, key_len);
        if (gate->key == NULL || (eq && (gate->value = strdup(eq + 1)) == NULL))
            return FAIL_NOMEM(p);
        return 0;
    }
    return FAIL(p,
                "unknown gate \"%s\" (expected cap:CAP_NAME, userns, pidns or "
                "annotation:KEY[=VALUE])",
                word);
}

static int add_gates(struct parser *p, struct pp_rule *rule, const struct words *w)
{
    if (w->n < 2)
        return FAIL(p, "\"require\" needs at least one gate");
    for (size_t i = 1; i < w->n; i++) {
        struct pp_gate *grown = realloc(rule->gates, (rule->n_gates + 1) * sizeof(*grown));
        if (grown == NULL)
            return FAIL_NOMEM(p);
        rule->gates = grown;
        memset(&grown[rule->n_gates], 0, sizeof(*grown));
        /* Counted before it is filled so that pp_rule_free releases a half-made gate. */
        struct pp_gate *gate = &grown[rule->n_gates++];
        if (parse_gate(p, w->v[i], gate) < 0)
            return -1;
    }
    return 0;
}

/* A property line of the open block. */
static int set_property(struct parser *p, const struct words *w)
{
    const char *keyword = w->v[0];
    struct pp_statement *s = open_statement(p);
    bool destination = strcmp(keyword, "destination") == 0;
    bool prefix = strcmp(keyword, "destination-prefix") == 0;
    bool known = destination || prefix || strcmp(keyword, "kinds") == 0 ||
                 strcmp(keyword, "access") == 0 || strcmp(keyword, "require") == 0 ||
                 strcmp(keyword, "source") == 0;
    if (!known)
        return FAIL(p, "unknown keyword \"%s\"", keyword);
    if (s == NULL)
        return FAIL(p, "\"%s\" outside a rule (start one with \"rule NAME\" or \"deny NAME\")",
                    keyword);
    if (destination || prefix)
        return set_destination(p, &s->rule, w, prefix);
    if (s->rule.deny)
        return FAIL(p, "deny rule \"%s\" takes no \"%s\" (it refuses every mount there)",
                    s->rule.name, keyword);
    if (strcmp(keyword, "kinds") == 0)
        return set_kinds(p, &s->rule, w);
    if (strcmp(keyword, "access") == 0)
        return set_access(p, &s->rule, w);
    if (strcmp(keyword, "source") == 0)
        return set_source(p, &s->rule, w);
    return add_gates(p, &s->rule, w);
}

static int parse_words(struct parser *p, const struct words *w)
{
    const char *keyword = w->v[0];
    if (strcmp(keyword, "rule") == 0)
        return open_rule(p, w, false);
    if (strcmp(keyword, "deny") == 0)
        return open_rule(p, w, true);
    if (strcmp(keyword, "remove") == 0)
        return remove_rule(p, w);
    return set_property(p, w);
}

/* Splits LINE in place into words; a line that is blank or a comment has none. */
static int split_words(struct parser *p, char *line, struct words *w)
{
    static const char blanks[] = " \t\r\v\f";
    char *save = NULL;
    w->n = 0;
    for (char *word = strtok_r(line, blanks, &save); word; word = strtok_r(NULL, blanks, &save)) {
        if (w->n == 0 && word[0] == '#')
            return 0;
        char **grown = realloc(w->v, (w->n + 1) * sizeof(*grown));
        if (grown == NULL)
            return FAIL_NOMEM(p);
        w->v = grown;
        w->v[w->n++] = word;
    }
    return 0;
}

static int parse_line(struct parser *p, const char *start, size_t len, struct words *w)
{
    if (memchr(start, '\0', len))
        return FAIL(p, "NUL byte in line");
    _cleanup_pp_free_ char *line = strndup(start, len);
    if (line == NULL)
        return FAIL_NOMEM(p);
    if (split_words(p, line, w) < 0)
        return -1;
    return w->n == 0 ? 0 : parse_words(p, w);
}

static int parse_lines(struct parser *p, const char *text, size_t len)
{
    struct words w = {0};
    int r = 0;
    size_t pos = 0;
    while (pos < len && r == 0) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t line_len = nl ? (size_t)(nl - (text + pos)) : len - pos;
        p->line++;
        r = parse_line(p, text + pos, line_len, &w);
        pos += line_len + 1;
    }
    free(w.v);
    return r < 0 ? -1 : close_block(p);
}

int pp_file_parse(struct pp_file *file, const char *source, const char *text, size_t len, char *why,
                  size_t why_size)
{
    *file = (struct pp_file){.source = source};
    struct parser p = {.file = file, .why = why, .why_size = why_size, .open = -1};
    if (parse_lines(&p, text, len) < 0) {
        int saved = errno;
        pp_file_free(file);
        errno = saved;
        return -1;
    }
    return 0;
}

void pp_file_free(struct pp_file *file)
{
    for (size_t i = 0; i < file->n_statements; i++)
        pp_rule_free(&file->statements[i].rule);
    free(file->statements);
    file->statements = NULL;
    file->n_statements = 0;
}
