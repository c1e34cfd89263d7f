/* linux.netDevices: the runtime moves each host interface into the container's network
 * namespace under its new name, as runc's devChangeNetNamespace does: down first, the
 * move and the rename in one RTM_NEWLINK, then the permanent global addresses put back
 * (the kernel drops addresses on a move) and the link up; errors in runc's words. When
 * the namespace goes, the kernel returns physical devices to the initial namespace and
 * destroys virtual ones. */
#include "cradle/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cradle/cleanup.h"
#include "cradle/log.h"
#include "cradle/process.h"
#include "rtnl.h"

/* An address to put back: family, prefix and the bytes of IFA_LOCAL. */
struct saved_addr {
    unsigned char family;
    unsigned char prefixlen;
    unsigned char addr[16];
};

struct saved_addrs {
    unsigned ifindex;
    struct saved_addr *items;
    size_t n;
    bool nomem;
};

static int collect_addr(const struct nlmsghdr *nlh, void *data)
{
    struct saved_addrs *out = data;
    const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
    if (ifa->ifa_index != out->ifindex || ifa->ifa_scope != RT_SCOPE_UNIVERSE)
        return MNL_CB_OK;
    uint32_t flags = ifa->ifa_flags;
    const struct nlattr *local = NULL, *address = NULL;
    const struct nlattr *attr;
    mnl_attr_for_each(attr, nlh, sizeof(*ifa))
    {
        if (mnl_attr_get_type(attr) == IFA_LOCAL)
            local = attr;
        else if (mnl_attr_get_type(attr) == IFA_ADDRESS)
            address = attr;
        else if (mnl_attr_get_type(attr) == IFA_FLAGS)
            flags = mnl_attr_get_u32(attr);
    }
    /* runc keeps only what the user configured: permanent addresses of global scope. */
    const struct nlattr *a = local ? local : address;
    size_t len = ifa->ifa_family == AF_INET ? 4 : 16;
    if (!(flags & IFA_F_PERMANENT) || a == NULL || mnl_attr_get_payload_len(a) != len)
        return MNL_CB_OK;
    struct saved_addr *items = realloc(out->items, (out->n + 1) * sizeof(*items));
    if (items == NULL) {
        out->nomem = true;
        return MNL_CB_ERROR;
    }
    out->items = items;
    struct saved_addr *s = &items[out->n++];
    *s = (struct saved_addr){.family = ifa->ifa_family, .prefixlen = ifa->ifa_prefixlen};
    memcpy(s->addr, mnl_attr_get_payload(a), len);
    return MNL_CB_OK;
}

static int list_addrs(struct mnl_socket *nl, struct saved_addrs *out)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_GETADDR;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
    ifa->ifa_family = AF_UNSPEC;
    int r = rtnl_talk(nl, nlh, collect_addr, out);
    if (out->nomem)
        errno = ENOMEM;
    return r;
}

/* As vishvananda/netlink's AddrAdd of a bare IPNet: local and address the same, and an
 * IPv4 broadcast computed for prefixes shorter than 31. */
static int add_addr(struct mnl_socket *nl, unsigned ifindex, const struct saved_addr *s)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_NEWADDR;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
    ifa->ifa_family = s->family;
    ifa->ifa_prefixlen = s->prefixlen;
    ifa->ifa_index = ifindex;
    size_t len = s->family == AF_INET ? 4 : 16;
    mnl_attr_put(nlh, IFA_LOCAL, len, s->addr);
    mnl_attr_put(nlh, IFA_ADDRESS, len, s->addr);
    if (s->family == AF_INET && s->prefixlen < 31) {
        uint32_t ip, mask = s->prefixlen ? htonl(~0u << (32 - s->prefixlen)) : 0;
        memcpy(&ip, s->addr, 4);
        uint32_t broadcast = ip | ~mask;
        mnl_attr_put(nlh, IFA_BROADCAST, 4, &broadcast);
    }
    return rtnl_talk(nl, nlh, NULL, NULL);
}

struct link_info {
    unsigned index;
    unsigned flags; /* IFF_* */
};

static int link_info_of_reply(const struct nlmsghdr *nlh, void *data)
{
    const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
    *(struct link_info *)data = (struct link_info){(unsigned)ifi->ifi_index, ifi->ifi_flags};
    return MNL_CB_OK;
}

/* The index and flags of interface NAME in the namespace of NL's socket. */
static int link_info(struct mnl_socket *nl, const char *name, struct link_info *out)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    struct nlmsghdr *nlh = rtnl_link_msg(buf, 0, 0, 0);
    nlh->nlmsg_type = RTM_GETLINK;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    return rtnl_talk(nl, nlh, link_info_of_reply, out);
}

/* The device is still the host's after a failed step: back up if it was, so that a failed
 * create leaves no host link down. Keeps errno for the caller's message. */
static void restore_host_link(struct mnl_socket *host_nl, const struct link_info *host)
{
    int e = errno;
    if ((host->flags & IFF_UP) && rtnl_set_link_up(host_nl, host->index, true) < 0)
        cradle_warn("linux.netDevices: cannot set link %u up again: %s", host->index,
                    strerror(errno));
    errno = e;
}

/* An rtnetlink socket in the namespace NS_FD: this thread enters it for the socket's
 * creation only (a socket stays in the namespace it was made in). */
static struct mnl_socket *nl_open_in(int ns_fd, cradle_error **err)
{
    _cleanup_close_ int own = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (own < 0) {
        cradle_error_sys(err, "open the runtime's network namespace");
        return NULL;
    }
    if (setns(ns_fd, CLONE_NEWNET) < 0) {
        cradle_error_sys(err, "enter the container's network namespace");
        return NULL;
    }
    struct mnl_socket *nl = rtnl_open();
    int e = errno;
    /* Cannot fail with the fd and the capability just used; if it did, create fails and
     * unwinds, which needs no network. */
    if (setns(own, CLONE_NEWNET) < 0) {
        cradle_error_sys(err, "return to the runtime's network namespace");
        if (nl)
            mnl_socket_close(nl);
        return NULL;
    }
    if (nl == NULL) {
        errno = e;
        cradle_error_sys(err, "open an rtnetlink socket in the container's network namespace");
    }
    return nl;
}

static int move_device(struct mnl_socket *host_nl, int ns_fd, const char *ns_path,
                       const struct cradle_spec_net_device *dev, cradle_error **err)
{
    char text[128];
    const char *name = dev->host_name;
    const char *new_name = dev->name && *dev->name ? dev->name : name;
    struct link_info host = {0};
    if (link_info(host_nl, name, &host) < 0)
        return cradle_error_set(err, ENODEV,
                                "link not found for interface %s on runtime namespace: Link not "
                                "found",
                                name);
    /* The kernel moves the device first and renames it after: a name the namespace
     * has already would leave it there under its old name. Refused before the move. */
    _cleanup_rtnl_ struct mnl_socket *ns_nl = nl_open_in(ns_fd, err);
    if (ns_nl == NULL)
        return -1;
    struct link_info inside = {0};
    if (link_info(ns_nl, new_name, &inside) == 0)
        return cradle_error_set(err, EEXIST,
                                "fail to move network device %s to network namespace %s: %s", name,
                                ns_path, cradle_go_strerror(EEXIST, text));

    if (rtnl_set_link_up(host_nl, host.index, false) < 0)
        return cradle_error_set(err, errno, "fail to set link down: %s",
                                cradle_go_strerror(errno, text));

    _cleanup_free_ struct saved_addr *items = NULL;
    struct saved_addrs addrs = {.ifindex = host.index};
    int r = list_addrs(host_nl, &addrs);
    items = addrs.items;
    if (r < 0) {
        restore_host_link(host_nl, &host);
        return cradle_error_set(err, errno, "fail to get ip addresses: %s",
                                cradle_go_strerror(errno, text));
    }

    char buf[MNL_SOCKET_BUFFER_SIZE];
    struct nlmsghdr *nlh = rtnl_link_msg(buf, host.index, 0, 0);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, new_name);
    mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)ns_fd);
    if (rtnl_talk(host_nl, nlh, NULL, NULL) < 0) {
        restore_host_link(host_nl, &host);
        return cradle_error_set(err, errno,
                                "fail to move network device %s to network namespace %s: %s", name,
                                ns_path, cradle_go_strerror(errno, text));
    }

    if (link_info(ns_nl, new_name, &inside) < 0)
        return cradle_error_set(err, errno, "link not found for interface %s on namespace %s: %s",
                                new_name, ns_path, cradle_go_strerror(errno, text));
    for (size_t i = 0; i < addrs.n; i++) {
        if (add_addr(ns_nl, inside.index, &items[i]) < 0) {
            char ip[INET6_ADDRSTRLEN] = "?";
            int e = errno;
            inet_ntop(items[i].family, items[i].addr, ip, sizeof(ip));
            return cradle_error_set(err, e, "fail to set up address %s/%u on namespace %s: %s", ip,
                                    items[i].prefixlen, ns_path, cradle_go_strerror(e, text));
        }
    }
    if (rtnl_set_link_up(ns_nl, inside.index, true) < 0)
        return cradle_error_set(err, errno, "fail to set up interface %s on namespace %s: %s",
                                new_name, ns_path, cradle_go_strerror(errno, text));
    return 0;
}

int cradle_net_move_devices(const struct cradle_spec *spec, pid_t pid, cradle_error **err)
{
    const struct cradle_spec_linux *lnx = &spec->linux_;
    if (lnx->n_net_devices == 0)
        return 0;
    /* Validation asked for a namespace of the container's own: new, or joined by path
     * (which the init joins only later, so the path is used here). */
    const struct cradle_spec_namespace *ns = cradle_spec_find_namespace(spec, CLONE_NEWNET);
    char proc_path[64];
    snprintf(proc_path, sizeof(proc_path), "/proc/%d/ns/net", (int)pid);
    const char *ns_path = ns && ns->path ? ns->path : proc_path;
    _cleanup_close_ int ns_fd = open(ns_path, O_RDONLY | O_CLOEXEC);
    if (ns_fd < 0)
        return cradle_error_sys(err, "linux.netDevices: open the network namespace %s", ns_path);
    _cleanup_rtnl_ struct mnl_socket *nl = rtnl_open();
    if (nl == NULL)
        return cradle_error_sys(err, "linux.netDevices: open an rtnetlink socket");
    for (size_t i = 0; i < lnx->n_net_devices; i++)
        if (move_device(nl, ns_fd, ns_path, &lnx->net_devices[i], err) < 0)
            return cradle_error_wrap(err, "linux.netDevices: %s", lnx->net_devices[i].host_name);
    return 0;
}
