#ifndef CRADLE_NET_H
#define CRADLE_NET_H

#include "cradle/error.h"

/* Brings the loopback interface up in the current network namespace (rtnetlink via
 * libmnl), as runc does for a new network namespace. */
int cradle_net_loopback_up(cradle_error **err);

#endif
