/* rtnetlink over libmnl, shared by net/: one socket, one request and its answers. */
#ifndef CRADLE_NET_RTNL_H
#define CRADLE_NET_RTNL_H

#include <libmnl/libmnl.h>
#include <stdbool.h>

static inline void rtnl_closep(struct mnl_socket **nl)
{
    if (*nl)
        mnl_socket_close(*nl);
}
#define _cleanup_rtnl_ __attribute__((cleanup(rtnl_closep)))

/* A bound NETLINK_ROUTE socket (close-on-exec) in this thread's network namespace, or
 * NULL with errno set. */
struct mnl_socket *rtnl_open(void);

/* Sends NLH (its sequence number set here) and reads the answers until the ACK or the
 * end of a dump, each given to CB; a kernel error is -1 with errno set. */
int rtnl_talk(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/* RTM_NEWLINK for ifindex in buf (MNL_SOCKET_BUFFER_SIZE bytes), acknowledged, changing
 * the flags in change to their values in flags. */
struct nlmsghdr *rtnl_link_msg(char *buf, unsigned ifindex, unsigned flags, unsigned change);

/* Sets IFF_UP of ifindex, or clears it, touching no other flag. */
int rtnl_set_link_up(struct mnl_socket *nl, unsigned ifindex, bool up);

#endif
