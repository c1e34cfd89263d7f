/* runc's flag value syntaxes: memory sizes (docker/go-units) and Go durations. */
#include "cradle/units.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* Digits, then optionally "." and digits: the number at *p, advanced past it; false when
 * there is none. Go's ParseFloat and ParseDuration take "5." and ".5" too. */
static bool parse_decimal(const char **p, double *value)
{
    const char *s = *p;
    double v = 0, scale = 1;
    bool digits = false;
    for (; isdigit((unsigned char)*s); s++, digits = true)
        v = v * 10 + (*s - '0');
    if (*s == '.')
        for (s++; isdigit((unsigned char)*s); s++, digits = true)
            v += (*s - '0') * (scale /= 10);
    if (!digits)
        return false;
    *p = s;
    *value = v;
    return true;
}

int cradle_parse_ram_size(const char *text, int64_t *bytes)
{
    static const char units[] = "kmgtp";
    const char *p = text;
    double size;
    /* go-units: ^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$ (a leading "." is refused). */
    if (!isdigit((unsigned char)*p) || !parse_decimal(&p, &size) || p[-1] == '.') {
        errno = EINVAL;
        return -1;
    }
    if (*p == ' ')
        p++;
    const char *unit = *p ? strchr(units, tolower((unsigned char)*p)) : NULL;
    if (unit) {
        for (const char *u = units; u <= unit; u++)
            size *= 1024;
        p++;
    }
    if (*p == 'i' || *p == 'I')
        p++;
    if (*p == 'b' || *p == 'B')
        p++;
    if (*p != '\0') {
        errno = EINVAL;
        return -1;
    }
    if (size >= 9223372036854775808.0) {
        errno = ERANGE;
        return -1;
    }
    *bytes = (int64_t)size;
    return 0;
}

struct duration_unit {
    const char *name;
    double ns;
};

/* "ms" before "m" and "s", so that it is not read as minutes followed by junk. */
static const struct duration_unit duration_units[] = {
    {"ns", 1},   {"us", 1e3}, {"\xc2\xb5s", 1e3}, {"\xce\xbcs", 1e3},
    {"ms", 1e6}, {"s", 1e9},  {"m", 60e9},        {"h", 3600e9},
};

static const struct duration_unit *duration_unit_at(const char **p)
{
    for (size_t i = 0; i < sizeof(duration_units) / sizeof(duration_units[0]); i++) {
        size_t len = strlen(duration_units[i].name);
        if (strncmp(*p, duration_units[i].name, len) == 0) {
            *p += len;
            return &duration_units[i];
        }
    }
    return NULL;
}

int cradle_parse_duration(const char *text, int64_t *ns)
{
    const char *p = text;
    double sign = 1, total = 0;
    if (*p == '-' || *p == '+')
        sign = *p++ == '-' ? -1 : 1;
    if (strcmp(p, "0") == 0) {
        *ns = 0;
        return 0;
    }
    if (*p == '\0') {
        errno = EINVAL;
        return -1;
    }
    while (*p) {
        double value;
        const struct duration_unit *unit;
        if (!parse_decimal(&p, &value) || (unit = duration_unit_at(&p)) == NULL) {
            errno = EINVAL;
            return -1;
        }
        total += value * unit->ns;
    }
    if (total >= 9223372036854775808.0) {
        errno = ERANGE;
        return -1;
    }
    *ns = (int64_t)(sign * total);
    return 0;
}
