#include "port.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct port_ops *const port_drivers[] = {
    &port_pcap_ops,
    &port_system_ops,
    &port_tap_ops,
};

const struct port_ops *
port_ops_find(const char *type)
{
    size_t i;

    for (i = 0; i < sizeof port_drivers / sizeof *port_drivers; i++)
        if (!strcmp(port_drivers[i]->type, type))
            return port_drivers[i];
    return NULL;
}

int
port_open(struct port *port, uint16_t id, const struct port_config *cfg,
          struct xsw_err *err)
{
    memset(port, 0, sizeof *port);
    port->id = id;
    port->cfg = cfg;
    port->up = true;   /* Live drivers set the real state in open(). */
    port->admin_up = true;
    port->vlan = cfg->vlan;
    port->name = strdup(cfg->name);
    if (!port->name)
        return xsw_err_set(err, -ENOMEM, "out of memory");
    port->ops = port_ops_find(cfg->type);
    if (!port->ops)
        return cfg_node_error(cfg->node, err, -EINVAL,
                              "unknown port type '%s'", cfg->type);
    return port->ops->open(port, cfg, err);
}

void
port_close(struct port *port)
{
    if (port->ops && port->ops->close)
        port->ops->close(port);
    free(port->name);
    port->name = NULL;
    port->ops = NULL;
}

/* A removed port keeps its id, name and counters (the summary's accounting
 * still adds up, and extensions never see an id reused) but has no driver:
 * no input, no device, and 'up' false, so nothing is ever sent to it. */
const struct port_ops port_removed_ops = {.type = "removed"};

void
port_detach(struct port *port)
{
    if (port->ops && port->ops->close)
        port->ops->close(port);
    port->ops = &port_removed_ops;
    port->priv = NULL;
    port->cfg = NULL;
    port->up = port->admin_up = false;
    port->rx_done = true;
    port->rx_more = false;
}

int
port_reopen(struct port *port, const struct port_config *cfg,
            struct xsw_err *err)
{
    struct port old = *port;
    int ret;

    if (port->ops && port->ops->close)
        port->ops->close(port);
    free(port->name);
    ret = port_open(port, old.id, cfg, err);
    port->admin_up = old.admin_up;
    port->rx = old.rx;
    port->tx = old.tx;
    port->delivered = old.delivered;
    port->dropped = old.dropped;
    port->l3_malformed = old.l3_malformed;
    port->l4_malformed = old.l4_malformed;
    return ret;
}
