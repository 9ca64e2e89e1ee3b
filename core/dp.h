/* The datapath
 * ============
 * The switch itself: its ports, the FDB, the extension chain and the
 * packet pool, and the one loop that moves frames between them:
 *
 *   port rx -> parse -> VLAN ingress -> ingress chain -> forwarding
 *           -> per destination: egress chain (reverse order) -> VLAN
 *              egress -> port tx
 *
 * Everything moves in batches of up to XSW_BATCH_MAX packets, so every
 * extension callback is paid for once per batch, and so is what would
 * otherwise stall each packet in turn: before forwarding, the FDB hashes
 * every source and destination of the batch and prefetches their slots
 * and entries (fdb_prefetch()), then learns and looks up packet by
 * packet, in order.  A received buffer is set up once (pkt_init_rx(); the
 * parser resets the metadata), and an extension costs one pass over the
 * batch after its call: packets enter the chain with their verdict reset
 * and leave every extension with it reset again.  Forwarding is the
 * enabled forward extension's decision where it made one (XSW_FWD_PORTS /
 * XSW_FWD_FLOOD) and the built-in L2 forwarding otherwise: learn the
 * source (after the ingress chain, so that a filtered frame cannot poison
 * the table), then known unicast to one port, everything else flooded to
 * the other ports of the VLAN, never back out of the ingress port.
 *
 * Accounting.  Every received frame ends as delivered (sent on at least
 * one port) or dropped with one named reason (drops.h), so
 * rx + injected = delivered + dropped, in total and (without injected)
 * per port; the tests assert it.
 *
 * Time.  The switch clock follows the pcap timestamps in a replay (it
 * never goes backwards), so MAC aging and extension timers are
 * deterministic.  A batch never spans a timer deadline: timers fire
 * between batches, at their deadline.
 *
 * Control.  A control server (ctl.h) is served by the same thread,
 * between batches, so a command never sees a batch half done: live, its
 * descriptors are polled with the ports'; in a replay they are polled
 * without waiting every DP_CONTROL_EVERY batches.  A replay may be paused
 * (it then waits for the control server only) and held after its input
 * ends (dp_run_hold), so that xswctl can look at the finished switch.
 *
 * Taps.  Captures (capture.h), a live trace (trace_live.h) and a trace's
 * dry run (trace.h) look into the pipeline through one table of hooks
 * (taps.h), attached only while a capture or a live trace runs or a dry
 * run is under way: otherwise each tap point costs one predictable branch
 * (per batch on ingress and at its end, per extension call, per copy
 * sent, per drop).
 *
 * Threads.  One datapath thread; no globals, so that a later split into
 * per-port threads only has to divide this struct. */
#ifndef XSW_DP_H
#define XSW_DP_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <xsw/host.h>

#include "config.h"
#include "err.h"
#include "taps.h"

struct dp;
struct drops;
struct ext;
struct fdb;
struct pkt;
struct port;

struct dp_totals {
    uint64_t rx;        /* Frames received on all ports. */
    uint64_t injected;  /* Packets injected by extensions. */
    uint64_t delivered; /* Received or injected, then sent at least once.*/
    uint64_t dropped;   /* Received or injected, then dropped. */
    uint64_t tx;        /* Frames sent, counting every copy. */
};

/* What the switch is doing, for 'xswctl switch show'. */
enum dp_state {
    DP_STATE_READY,     /* Built, not run yet. */
    DP_STATE_REPLAYING, /* dp_run_replay() is reading input. */
    DP_STATE_PAUSED,    /* A replay waits for 'switch resume'. */
    DP_STATE_HELD,      /* The replay ended; dp_run_hold() serves control. */
    DP_STATE_LIVE,      /* dp_run_live() is switching live ports. */
};

#define DP_CONTROL_FDS_MAX 32   /* Poll entries a control server may use. */
#define DP_CONTROL_EVERY 16     /* Replay batches between control polls. */

/* A control server, as the loops see it (ctl.c provides one). */
struct dp_control {
    /* Fills at most 'max' entries of 'fds' with what it waits for;
     * returns how many. */
    uint32_t (*fds)(void *arg, struct pollfd *fds, uint32_t max);
    /* Serves what the same entries, polled, report; never blocks. */
    void (*serve)(void *arg, const struct pollfd *fds, uint32_t n);
    void *arg;
};

/* Reports replay progress: frames so far and the fraction of the input
 * read (0..1). */
typedef void (*dp_progress_fn)(void *arg, uint64_t frames, double done);

struct dp_options {
    bool check_only;     /* Load and create extensions, open no port. */
    uint32_t log_level;  /* Log records this severe or more (XSW_LOG_*;
                          * 0 = XSW_LOG_INFO), on top of log.h's own
                          * level. */
    uint32_t pool_size;  /* Packet buffers; 0 = PKT_POOL_DEFAULT (4096).
                          * At least XSW_BATCH_MAX is sensible. */
};

/* Builds the switch 'cfg' describes (which must outlive it): opens the
 * ports, loads every extension and creates it. */
int dp_create(const struct xsw_config *cfg, const struct dp_options *,
              struct dp **, struct xsw_err *);
void dp_destroy(struct dp *);                      /* NULL is a no-op. */

/* Runs until every replay port's input is consumed and all queues are
 * drained, then flushes the ports.  Returns 0, -EIO when a capture could
 * not be written, -EBADMSG when an input capture was damaged (it ended
 * there; what came before was switched), or -EINTR when '*stop' (may be
 * NULL) became true first (what was read is accounted for and written
 * out). */
int dp_run_replay(struct dp *, dp_progress_fn, void *progress_arg,
                  const volatile sig_atomic_t *stop);

/* Serves the control server (after the replay, or instead of it when it
 * paused) until '*stop' becomes true.  Returns 0. */
int dp_run_hold(struct dp *, const volatile sig_atomic_t *stop);

/* Serves 'ctl' (copied; NULL detaches) from every loop from now on. */
void dp_set_control(struct dp *, const struct dp_control *ctl);

/* Pauses or resumes a replay between batches.  Returns 0, or -EOPNOTSUPP
 * for a live switch (its frames cannot wait). */
int dp_set_paused(struct dp *, bool paused);
enum dp_state dp_state(const struct dp *);
const char *dp_state_name(enum dp_state);

/* Does the switch have live ports (system, tap)?  Then it runs with
 * dp_run_live() instead of dp_run_replay(). */
bool dp_is_live(const struct dp *);

/* Switches live traffic until '*stop' becomes true (a signal handler sets
 * it; poll() wakes on the signal): polls every live port and the netlink
 * link monitor, runs timers on CLOCK_MONOTONIC, and reports link changes
 * to the ports, the FDB and the extensions.  Returns 0 or a negative
 * errno. */
int dp_run_live(struct dp *, const volatile sig_atomic_t *stop);

/* Runs 'n' (at most XSW_BATCH_MAX) frames that arrived on port 'port' at
 * switch time 'ts_ns' through the whole pipeline, as if the port had
 * received them: for benchmarks, fuzzing and embedding, without I/O on the
 * receive side.  Frames larger than the packet buffer are dropped as
 * oversize; when the packet pool is empty (extensions may hold buffers),
 * as "pool exhausted".  Returns 0 or -EINVAL (bad port or count). */
int dp_receive_frames(struct dp *, uint16_t port, const uint8_t *const *frames,
                      const uint32_t *sizes, uint32_t n, uint64_t ts_ns);

/* For the summary. */
const struct xsw_config *dp_config(const struct dp *);
uint64_t dp_now(const struct dp *);
const struct dp_totals *dp_get_totals(const struct dp *);
uint32_t dp_port_count(const struct dp *);
const struct port *dp_port(const struct dp *, uint32_t id);
uint32_t dp_ext_count(const struct dp *);
/* The i-th extension in chain order (disabled ones included). */
const struct ext *dp_ext(const struct dp *, uint32_t i);
struct drops *dp_drops(const struct dp *);
const struct fdb *dp_fdb(const struct dp *);

/* For the control commands: changes between batches. */
struct ext *dp_ext_find(struct dp *, const char *name);   /* Or NULL. */
/* Sets a port administratively up or down (down: nothing received or
 * sent; its learned addresses stay). */
int dp_port_set_admin(struct dp *, uint32_t port, bool up);
/* Gives a port a new VLAN policy and forgets the addresses learned on it
 * (they were learned under the old one).  Returns how many it forgot, or
 * -EINVAL for a bad port or policy. */
int dp_port_set_vlan(struct dp *, uint32_t port, const struct vlan_config *);
/* Removes FDB entries (port and vlan may be -1 for any); returns how
 * many. */
uint32_t dp_fdb_flush(struct dp *, int32_t port, int32_t vlan);
/* Enables or disables an extension.  Enabling a second forward extension
 * is refused with -EBUSY and 'err' naming the enabled one. */
int dp_ext_set_enabled(struct dp *, struct ext *, bool enabled,
                       struct xsw_err *);
/* Moves 'e' just before (or after) 'other' in the chain order. */
int dp_ext_move(struct dp *, struct ext *e, const struct ext *other,
                bool after);

/* For the host table (ext.c): the services extensions call. */
int32_t dp_port_lookup(const struct dp *, const char *name);
struct pkt *dp_pkt_alloc(struct dp *, uint32_t size);
void dp_pkt_free(struct dp *, struct pkt *);
int dp_inject(struct dp *, struct ext *, struct pkt *, uint32_t port,
              uint32_t how);
void dp_reparse(struct dp *, struct pkt *);
int dp_timer_add(struct dp *, struct ext *, uint64_t interval_ns,
                 xsw_timer_fn, void *arg);
int dp_timer_cancel(struct dp *, struct ext *, int id);
/* A log record (log.h) if 'level' passes the switch's log_level too:
 * dp_event() with its event name and fields; dp_log() for lines that
 * have no event of their own (event "switch.message"). */
struct log_field;
void dp_event(const struct dp *, uint32_t level, const char *event,
              const struct log_field *fields, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void dp_log(const struct dp *, uint32_t level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* --- Taps: captures and traces (taps.h) -------------------------------
 * Attaches 'taps' in 'user's slot (borrowed until replaced; NULL
 * detaches).  Between batches, or from one of that user's own hooks. */
struct capture_set;
struct dp_taps;
struct trace_live;
void dp_set_taps(struct dp *, enum taps_user user, const struct dp_taps *taps);
/* For the forward tap: the packets queued for 'port' in '*pkts' (the
 * batch's copies included), and how many.  Valid until egress runs. */
uint32_t dp_queued(const struct dp *, uint32_t port, struct pkt *const **pkts);
/* Where the switch keeps its captures (capture.h) and its live trace
 * (trace_live.h); dp_destroy() destroys them. */
struct capture_set **dp_captures(struct dp *);
struct trace_live **dp_trace_live(struct dp *);
/* An extension's host->trace() annotation of traced packet 'pkt': to the
 * taps attached (a dry run, a live trace), else logged at debug level. */
void dp_trace_note(struct dp *, const struct ext *, const struct pkt *pkt,
                   const char *msg);
/* Runs 'frame' ('size' bytes) through the pipeline as if port 'port' had
 * received it, as a dry run under 'taps' (taps->dry must be set; the taps
 * attached before are set aside meanwhile): the packet carries
 * XSW_PKT_F_TRACED, nothing is sent or learned, injections are shown to
 * the taps and freed, and every counter of the switch is as before once
 * it returns (extensions' own state and counters are theirs: they see the
 * frame as received).  Between batches only.  Returns 0, -EINVAL (bad
 * port or size), -ENOBUFS (the packet pool is empty) or -ENOMEM. */
int dp_trace_frame(struct dp *, uint32_t port, const uint8_t *frame,
                   uint32_t size, const struct dp_taps *taps);

#endif
