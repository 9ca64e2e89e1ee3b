#include "tcp-state.h"

#include <xsw/packet.h>

#define FLAG_MASK                                                             \
    (XSW_TCP_FIN | XSW_TCP_SYN | XSW_TCP_RST | XSW_TCP_ACK | XSW_TCP_URG)

/* The combinations a TCP stack sends (Linux conntrack's tcp_valid_flags),
 * indexed by the flags under FLAG_MASK. */
static const uint8_t valid_flags[FLAG_MASK + 1] = {
    [XSW_TCP_SYN] = 1,
    [XSW_TCP_SYN | XSW_TCP_URG] = 1,
    [XSW_TCP_SYN | XSW_TCP_ACK] = 1,
    [XSW_TCP_RST] = 1,
    [XSW_TCP_RST | XSW_TCP_ACK] = 1,
    [XSW_TCP_FIN | XSW_TCP_ACK] = 1,
    [XSW_TCP_FIN | XSW_TCP_ACK | XSW_TCP_URG] = 1,
    [XSW_TCP_ACK] = 1,
    [XSW_TCP_ACK | XSW_TCP_URG] = 1,
};

static const char *const state_names[TCP_ST_COUNT] = {
    [TCP_ST_NONE] = "none",         [TCP_ST_SYN_SENT] = "syn_sent",
    [TCP_ST_SYN_RECV] = "syn_recv", [TCP_ST_ESTABLISHED] = "established",
    [TCP_ST_FIN_WAIT] = "fin_wait", [TCP_ST_CLOSE_WAIT] = "close_wait",
    [TCP_ST_LAST_ACK] = "last_ack", [TCP_ST_TIME_WAIT] = "time_wait",
    [TCP_ST_CLOSE] = "close",
};

static enum tcp_verdict on_rst(struct tcp_conn *, int dir,
                               const struct tcp_seg *);
static enum tcp_verdict on_syn(struct tcp_conn *, int dir,
                               const struct tcp_seg *);
static enum tcp_verdict on_synack(struct tcp_conn *, int dir,
                                  const struct tcp_seg *);
static enum tcp_verdict on_ack(struct tcp_conn *, int dir,
                               const struct tcp_seg *);

bool
tcp_seg_flags_valid(uint8_t flags)
{
    return valid_flags[flags & FLAG_MASK];
}

bool
tcp_seg_may_open(const struct tcp_seg *seg)
{
    return tcp_seg_flags_valid(seg->flags) &&
           (seg->flags & (XSW_TCP_SYN | XSW_TCP_ACK)) == XSW_TCP_SYN;
}

void
tcp_state_open(struct tcp_conn *tc, const struct tcp_seg *seg)
{
    *tc = (struct tcp_conn){
        .state = TCP_ST_SYN_SENT,
        .syn_end = seg->seq + 1,
    };
}

enum tcp_verdict
tcp_state_update(struct tcp_conn *tc, int dir, const struct tcp_seg *seg)
{
    if (!tcp_seg_flags_valid(seg->flags))
        return TCP_V_INVALID;
    if (seg->flags & XSW_TCP_RST)
        return on_rst(tc, dir, seg);
    if (seg->flags & XSW_TCP_SYN)
        return seg->flags & XSW_TCP_ACK ? on_synack(tc, dir, seg)
                                        : on_syn(tc, dir, seg);
    return on_ack(tc, dir, seg);
}

const char *
tcp_state_name(enum tcp_state state)
{
    return (unsigned) state < TCP_ST_COUNT ? state_names[state] : "?";
}

/* Serial-number arithmetic (RFC 1982): is 'a' at or after 'b'? */
static bool
seq_at_or_after(uint32_t a, uint32_t b)
{
    return (int32_t) (a - b) >= 0;
}

static enum tcp_state
closing_state(const struct tcp_conn *tc)
{
    unsigned n_fin = (tc->fin_sent & 1) + (tc->fin_sent >> 1 & 1);
    unsigned n_acked = (tc->fin_acked & 1) + (tc->fin_acked >> 1 & 1);

    if (n_fin == 0)
        return TCP_ST_ESTABLISHED;
    if (n_fin == 1)
        return n_acked ? TCP_ST_CLOSE_WAIT : TCP_ST_FIN_WAIT;
    return n_acked == 2 ? TCP_ST_TIME_WAIT : TCP_ST_LAST_ACK;
}

/* A RST ends the connection in any state.  Answering a SYN it must
 * acknowledge that SYN (RFC 793), which stops a blind RST from tearing
 * down a connection being opened. */
static enum tcp_verdict
on_rst(struct tcp_conn *tc, int dir, const struct tcp_seg *seg)
{
    if (tc->state == TCP_ST_SYN_SENT && dir == TCP_DIR_REPLY &&
        (!(seg->flags & XSW_TCP_ACK) || seg->ack != tc->syn_end))
        return TCP_V_INVALID;
    tc->state = TCP_ST_CLOSE;
    return TCP_V_PASS;
}

static enum tcp_verdict
on_syn(struct tcp_conn *tc, int dir, const struct tcp_seg *seg)
{
    switch (tc->state) {
    case TCP_ST_SYN_SENT:
        if (dir != TCP_DIR_ORIG)
            return TCP_V_INVALID;   /* Simultaneous open: unsupported. */
        tc->syn_end = seg->seq + 1; /* A retry may pick a new ISN. */
        return TCP_V_PASS;
    case TCP_ST_SYN_RECV:
        return dir == TCP_DIR_ORIG ? TCP_V_PASS : TCP_V_INVALID;
    case TCP_ST_TIME_WAIT:
    case TCP_ST_CLOSE:
        return TCP_V_REOPEN;
    default:
        return TCP_V_INVALID;
    }
}

/* Retransmitted SYN+ACKs pass: the originator's ACK may have been lost,
 * so one may follow even in ESTABLISHED. */
static enum tcp_verdict
on_synack(struct tcp_conn *tc, int dir, const struct tcp_seg *seg)
{
    if (dir != TCP_DIR_REPLY || seg->ack != tc->syn_end)
        return TCP_V_INVALID;
    switch (tc->state) {
    case TCP_ST_SYN_SENT:
        tc->state = TCP_ST_SYN_RECV;
        return TCP_V_PASS;
    case TCP_ST_SYN_RECV:
    case TCP_ST_ESTABLISHED:
        return TCP_V_PASS;
    default:
        return TCP_V_INVALID;
    }
}

/* A segment with ACK and no SYN/RST: data, a pure ACK or a FIN. */
static enum tcp_verdict
on_ack(struct tcp_conn *tc, int dir, const struct tcp_seg *seg)
{
    uint8_t mine = (uint8_t) (1u << dir);
    uint8_t theirs = (uint8_t) (1u << (dir ^ 1));

    switch (tc->state) {
    case TCP_ST_SYN_SENT:
    case TCP_ST_CLOSE:
        return TCP_V_INVALID;
    case TCP_ST_TIME_WAIT:
        /* Retransmitted FINs and ACKs only: both sides have finished. */
        return seg->len ? TCP_V_INVALID : TCP_V_PASS;
    case TCP_ST_SYN_RECV:
        if (dir == TCP_DIR_ORIG)
            tc->state = TCP_ST_ESTABLISHED; /* The handshake's last ACK. */
        break;
    default:
        break;
    }
    if ((tc->fin_sent & theirs) &&
        seq_at_or_after(seg->ack, tc->fin_end[dir ^ 1]))
        tc->fin_acked |= theirs;
    if ((seg->flags & XSW_TCP_FIN) && !(tc->fin_sent & mine)) {
        tc->fin_sent |= mine;
        tc->fin_end[dir] = seg->seq + seg->len + 1;
    }
    /* The responder's ACKs before the handshake completes leave SYN_RECV
     * alone; any FIN moves the connection into the closing states. */
    if (tc->state != TCP_ST_SYN_RECV || tc->fin_sent)
        tc->state = (uint8_t) closing_state(tc);
    return TCP_V_PASS;
}
