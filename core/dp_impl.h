/* Switch internals
 * ================
 * The switch's state, shared by the two files that change it: dp.c (the
 * datapath and the switch's life) and reload.c (a new config applied to a
 * running switch).  Nothing else includes this; everything else goes
 * through dp.h.
 *
 * Extensions are allocated one by one and never move: an instance's
 * address is the ctx it hands to every host call, and timers and captures
 * point at it.  Ports live in one array indexed by id, which a reload may
 * grow (between batches, when no packet points into it); a port a reload
 * removes keeps its id, name and counters (port_detach()). */
#ifndef XSW_DP_IMPL_H
#define XSW_DP_IMPL_H

#include "config.h"
#include "dp.h"
#include "ext.h"
#include "pkt.h"
#include "port.h"
#include "taps.h"

#define DP_TIMERS_MAX 1024
#define DP_AGING_SWEEP_NS 1000000000ull
#define DP_TIMER_CATCHUP_MAX 1024          /* Missed ticks fired one by one. */
#define DP_TIMER_INTERVAL_MAX (1ull << 62) /* ns, ~146 years. */
#define DP_INJECT_ROUNDS_MAX 16 /* Rounds of injections per batch. */

struct dp_timer {
    struct ext *ext; /* NULL: free slot. */
    uint64_t interval_ns;
    uint64_t next_ns;
    xsw_timer_fn fn;
    void *arg;
};

/* Packets queued for one destination port during a batch. */
struct dp_portq {
    uint32_t n;
    struct pkt *pkts[XSW_BATCH_MAX];
};

/* A config a reload replaced, kept while an extension instance made from
 * it lives (the instance may hold pointers into its 'config:' tree). */
struct dp_old_cfg {
    struct xsw_config *cfg;
    struct dp_old_cfg *next;
};

struct dp {
    const struct xsw_config *cfg;
    bool cfg_owned;              /* 'cfg' came from a reload. */
    bool reloading;              /* A reload is being prepared. */
    struct dp_old_cfg *old_cfgs; /* Owned; see reload.c. */
    uint32_t log_level;
    struct port *ports;
    uint32_t n_ports;
    /* Every extension (each allocated on its own: its address is its
     * ctx), in chain order (config order until 'ext move' or a reload). */
    struct ext **order;
    uint32_t n_exts;
    struct ext **chain; /* The enabled ones, in that order. */
    uint32_t n_chain;
    /* Some non-inspect egress callback: copies must not share buffers. */
    bool egress_writes;
    struct ext *forwarder; /* The enabled forward extension. */
    struct fdb *fdb;
    struct pkt_pool *pool;
    struct drops *drops;
    struct droplog *droplog; /* Drop summaries; NULL: off. */
    struct dp_totals totals;
    uint64_t now_ns;
    bool clock_started; /* A frame has set the clock. */
    uint64_t aged_ns;   /* Clock of the last FDB aging sweep. */
    enum dp_state state;
    struct nl_monitor *nl; /* Live switches: link changes. */
    bool paused;           /* A replay waits for 'resume'. */
    bool has_ctl;
    struct dp_control ctl;        /* Served between batches. */
    const struct dp_taps *taps;   /* Captures, a live trace or both (via
                                   * 'taps_fan'), or a dry run; NULL:
                                   * none. */
    struct taps_fan taps_fan;     /* The users' slots (taps.h). */
    struct capture_set *captures; /* Owned; NULL until the first. */
    struct trace_live *live;      /* Owned; NULL until the first. */

    struct pkt *inject_head, *inject_tail; /* Injected RX, FIFO. */
    struct dp_timer timers[DP_TIMERS_MAX];
    uint32_t n_timers; /* Slots in use at the low end. */

    /* Per batch: destination queues, the ports that have one, and every
     * packet to free when the batch is done. */
    struct dp_portq *portq;
    uint16_t *active;
    uint32_t n_active;
    struct pkt **done;
    uint32_t n_done, done_cap;
    /* Receives a frame when the pool is empty, so input never stalls. */
    struct pkt *spare;
    uint8_t scratch[PKT_HEADROOM + PKT_FRAME_MAX + PKT_TAILROOM + 4];
};

/* The chain: the enabled extensions of 'order'.  Rebuilt between batches
 * only, so no packet sees half a chain. */
void dp_chain_rebuild(struct dp *);
/* At most one enabled forward extension, else an error located at the
 * second one's config node. */
int dp_check_one_forward(const struct dp *, struct xsw_err *);
/* The error for 'second', an enabled forward extension after 'first'. */
int dp_forward_conflict(const struct ext_config *second,
                        const struct ext_config *first, struct xsw_err *);
/* Tells every extension in the chain about port 'port' (XSW_PORT_EV_*). */
void dp_port_event(struct dp *, uint16_t port, uint32_t event);
/* Loads the module of 'ec' into a new '*out' (set even on failure, to be
 * freed with dp_ext_free()) and registers its drop reasons. */
int dp_ext_load(struct dp *, const struct xsw_config *,
                const struct ext_config *, struct ext **out, struct xsw_err *);
/* Calls create() of an extension dp_ext_load() loaded; logs ext.load. */
int dp_ext_create(struct dp *, struct ext *, struct xsw_err *);
/* Unloads 'e' (destroy(), dlclose()) and frees it; its timers go too;
 * logs ext.unload if it was created. */
void dp_ext_free(struct dp *, struct ext *);

#endif
