#include "rtnl.h"

#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

struct mnl_socket *rtnl_open(void)
{
    struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (nl && mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        mnl_socket_close(nl);
        return NULL;
    }
    return nl;
}

int rtnl_talk(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
    static unsigned seq;
    nlh->nlmsg_seq = ++seq;
    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
        return -1;
    char buf[32768];
    int ret;
    do {
        ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
        if (n < 0)
            return -1;
        /* Without a callback, an NLMSG_ERROR ack with a non-zero code is -1 and errno. */
        ret = mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, mnl_socket_get_portid(nl), cb, data);
    } while (ret > MNL_CB_STOP);
    return ret < 0 ? -1 : 0;
}

struct nlmsghdr *rtnl_link_msg(char *buf, unsigned ifindex, unsigned flags, unsigned change)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_NEWLINK;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = (int)ifindex;
    ifi->ifi_flags = flags;
    ifi->ifi_change = change;
    return nlh;
}

int rtnl_set_link_up(struct mnl_socket *nl, unsigned ifindex, bool up)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    return rtnl_talk(nl, rtnl_link_msg(buf, ifindex, up ? IFF_UP : 0, IFF_UP), NULL, NULL);
}
