#include "cradle/net.h"

#include <net/if.h>

#include "rtnl.h"

int cradle_net_loopback_up(cradle_error **err)
{
    unsigned ifindex = if_nametoindex("lo");
    if (ifindex == 0)
        return cradle_error_sys(err, "loopback interface \"lo\" not found");
    _cleanup_rtnl_ struct mnl_socket *nl = rtnl_open();
    if (nl == NULL)
        return cradle_error_sys(err, "cannot open rtnetlink socket");
    if (rtnl_set_link_up(nl, ifindex, true) < 0)
        return cradle_error_sys(err, "cannot bring \"lo\" up (RTM_NEWLINK)");
    return 0;
}
