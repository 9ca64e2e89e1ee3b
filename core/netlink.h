/* Netlink link monitor
 * ====================
 * What the switch learns from the kernel about the network devices its
 * live ports attach to, through rtnetlink (libmnl): a one-shot query of a
 * device by name (ifindex, MAC, MTU, state), a subscription to link
 * notifications (RTMGRP_LINK) whose socket the datapath polls, and the few
 * link changes TAP ports need (MAC, MTU, up, move into a namespace).
 *
 * A port is 'up' when its device is administratively up (IFF_UP) and its
 * operational state is up or unknown (IF_OPER_UP / IF_OPER_UNKNOWN, as TAP
 * devices report without a reader) -- carrier alone is not enough.
 * Notifications arrive within one poll iteration of the kernel sending
 * them; nothing is polled on a timer.
 *
 * Threads: one monitor per switch, datapath thread only. */
#ifndef XSW_NETLINK_H
#define XSW_NETLINK_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"

struct nl_link_info {
    bool exists;              /* False: the device was deleted. */
    int ifindex;
    char name[IF_NAMESIZE];
    uint8_t mac[6];
    uint32_t mtu;
    bool up;                  /* Admin up and operationally up/unknown. */
};

/* Looks up device 'name' now.  Returns 0, -ENODEV when there is none
 * (with 'err' set), or another negative errno. */
int nl_link_get(const char *name, struct nl_link_info *,
                struct xsw_err *);

/* Changes device 'ifindex': a NULL 'mac', a zero 'mtu' leave those alone;
 * 'up' sets IFF_UP.  Returns 0 or a negative errno with 'err' set. */
int nl_link_set(int ifindex, const uint8_t *mac, uint32_t mtu, bool up,
                struct xsw_err *);

/* Moves device 'ifindex' into the network namespace named 'netns'
 * (/var/run/netns/NAME, as 'ip netns add' makes). */
int nl_link_set_netns(int ifindex, const char *netns, struct xsw_err *);

struct nl_monitor;

struct nl_monitor *nl_monitor_open(struct xsw_err *);
void nl_monitor_close(struct nl_monitor *);      /* NULL is a no-op. */
int nl_monitor_fd(const struct nl_monitor *);

/* Reads every pending notification without blocking and calls 'cb' once
 * per link change.  Returns the number of changes, or a negative errno. */
int nl_monitor_read(struct nl_monitor *,
                    void (*cb)(void *arg, const struct nl_link_info *),
                    void *arg);

#endif
