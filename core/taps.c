/* The taps' fan-out (taps.h): one table whose hooks call each user's. */
#include "taps.h"

#include <stddef.h>

/* Calls hook 'h' of every set slot, reading the slot afresh each time:
 * a hook may unset its own (or set nothing else; users never attach from
 * inside a hook). */
#define FAN_CALL(fan, h, ...)                                                 \
    do {                                                                      \
        const struct taps_fan *f_ = (fan);                                    \
        for (int u_ = 0; u_ < TAPS_USERS; u_++)                               \
            if (f_->user[u_])                                                 \
                f_->user[u_]->h(f_->user[u_]->arg, ##__VA_ARGS__);            \
    } while (0)

static void
fan_rx(void *arg, struct pkt *const *pkts, uint32_t n)
{
    FAN_CALL(arg, rx, pkts, n);
}

static void
fan_ext(void *arg, const struct ext *e, const struct xsw_batch *b, bool egress)
{
    FAN_CALL(arg, ext, e, b, egress);
}

static void
fan_forward(void *arg, const struct xsw_batch *b, const uint16_t *ports,
            uint32_t n_ports)
{
    FAN_CALL(arg, forward, b, ports, n_ports);
}

static void
fan_tx(void *arg, const struct port *port, const struct pkt *pkt,
       const uint8_t *frame, uint32_t size)
{
    FAN_CALL(arg, tx, port, pkt, frame, size);
}

static void
fan_drop(void *arg, const struct pkt *pkt, uint32_t drop_id)
{
    FAN_CALL(arg, drop, pkt, drop_id);
}

static void
fan_inject(void *arg, const struct ext *e, const struct pkt *pkt,
           uint32_t port, uint32_t how)
{
    FAN_CALL(arg, inject, e, pkt, port, how);
}

static void
fan_note(void *arg, const struct ext *e, const struct pkt *pkt,
         const char *msg)
{
    FAN_CALL(arg, note, e, pkt, msg);
}

static void
fan_done(void *arg)
{
    FAN_CALL(arg, done);
}

const struct dp_taps *
taps_fan_set(struct taps_fan *fan, enum taps_user u,
             const struct dp_taps *taps)
{
    const struct dp_taps *one = NULL;
    int i, n = 0;

    fan->user[u] = taps;
    fan->all = DP_TAPS_OF(fan, fan);
    for (i = 0; i < TAPS_USERS; i++)
        if (fan->user[i]) {
            one = fan->user[i];
            n++;
        }
    return n > 1 ? &fan->all : one;
}
