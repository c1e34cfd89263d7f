#include "cap_label.h"

#include <stdio.h>

#include "cradle/spec.h"

const char *cap_label(int cap, char buf[CAP_LABEL_MAX])
{
    const char *name = cradle_cap_name(cap);
    if (name)
        snprintf(buf, CAP_LABEL_MAX, "%s", name);
    else
        snprintf(buf, CAP_LABEL_MAX, "capability %d", cap);
    return buf;
}
