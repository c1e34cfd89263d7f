#ifndef CRADLE_NET_H
#define CRADLE_NET_H

#include <sys/types.h>

#include "cradle/error.h"
#include "cradle/spec.h"

/* Brings the loopback interface up in the current network namespace (rtnetlink via
 * libmnl), as runc does for a new network namespace. */
int cradle_net_loopback_up(cradle_error **err);

/* Moves the host interfaces of linux.netDevices into the network namespace of the
 * container whose init is PID (or the one its spec joins by path), renamed, with their
 * permanent global addresses, and up (net_devices.c). */
int cradle_net_move_devices(const struct cradle_spec *spec, pid_t pid, cradle_error **err);

#endif
