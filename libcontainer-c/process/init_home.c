#include <stdlib.h>

#include "cradle/cleanup.h"
#include "cradle/passwd.h"
#include "init_stages.h"

int cradle_init_set_home(uid_t uid, cradle_error **err)
{
    const char *home = getenv("HOME");
    if (home != NULL && home[0] != '\0')
        return 0;
    _cleanup_free_ char *from_passwd = cradle_passwd_field(uid, CRADLE_PASSWD_HOME);
    if (setenv("HOME", from_passwd ? from_passwd : "/", 1) < 0)
        return cradle_error_sys(err, "setting HOME");
    return 0;
}
