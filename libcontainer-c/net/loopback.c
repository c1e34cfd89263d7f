#include "cradle/net.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include <time.h>

static void mnl_socket_closep(struct mnl_socket **nl)
{
    if (*nl)
        mnl_socket_close(*nl);
}
#define _cleanup_mnl_socket_ __attribute__((cleanup(mnl_socket_closep)))

/* Builds RTM_NEWLINK for ifindex that sets IFF_UP and touches no other flag. */
static struct nlmsghdr *build_link_up(char *buf, unsigned ifindex, unsigned seq)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_NEWLINK;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    nlh->nlmsg_seq = seq;

    struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = (int)ifindex;
    ifi->ifi_flags = IFF_UP;
    ifi->ifi_change = IFF_UP;
    return nlh;
}

int cradle_net_loopback_up(cradle_error **err)
{
    unsigned ifindex = if_nametoindex("lo");
    if (ifindex == 0)
        return cradle_error_sys(err, "loopback interface \"lo\" not found");

    _cleanup_mnl_socket_ struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (nl == NULL)
        return cradle_error_sys(err, "cannot open rtnetlink socket");
    if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
        return cradle_error_sys(err, "cannot bind rtnetlink socket");

    char buf[MNL_SOCKET_BUFFER_SIZE];
    unsigned seq = (unsigned)time(NULL);
    struct nlmsghdr *nlh = build_link_up(buf, ifindex, seq);
    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
        return cradle_error_sys(err, "cannot send RTM_NEWLINK for \"lo\"");

    ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
    if (n < 0)
        return cradle_error_sys(err, "cannot read the rtnetlink reply for \"lo\"");
    /* The callback-less run turns an NLMSG_ERROR ack with a non-zero code into
     * -1 with errno set to the kernel's error. */
    if (mnl_cb_run(buf, (size_t)n, seq, mnl_socket_get_portid(nl), NULL, NULL) < 0)
        return cradle_error_sys(err, "cannot bring \"lo\" up (RTM_NEWLINK)");
    return 0;
}
