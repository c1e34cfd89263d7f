#include "cradle/security.h"

#include <sys/prctl.h>

int cradle_security_no_new_privs(cradle_error **err)
{
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return cradle_error_sys(err, "prctl(PR_SET_NO_NEW_PRIVS, 1)");
    return 0;
}
