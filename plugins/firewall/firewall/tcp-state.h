/* TCP connection state machine
 * ============================
 * Follows one TCP connection through the states a connection-tracking
 * firewall names (as Linux conntrack does), from the segments it sees in
 * both directions.  Pure logic: no packets, no clock, so the unit tests
 * drive it segment by segment.
 *
 *   SYN_SENT     the originator's SYN was seen (the entry is created by it);
 *   SYN_RECV     the responder answered SYN+ACK, acknowledging that SYN;
 *   ESTABLISHED  the originator acknowledged the SYN+ACK;
 *   FIN_WAIT     one side sent a FIN that is not yet acknowledged;
 *   CLOSE_WAIT   that FIN was acknowledged; the other side may still send;
 *   LAST_ACK     both sides sent a FIN, not both acknowledged yet;
 *   TIME_WAIT    both FINs acknowledged: the connection is over;
 *   CLOSE        a RST was seen.
 *
 * The closing states are derived from two facts per direction, "sent a
 * FIN" and "its FIN was acknowledged" (an ACK at or beyond the FIN's
 * sequence number plus one), rather than from a transition table, so a
 * simultaneous close and a FIN carried on the handshake's last ACK need no
 * special cases.
 *
 * Out-of-state segments are "invalid": any first segment other than a bare
 * SYN, a SYN+ACK that does not acknowledge the SYN, data after both FINs
 * were acknowledged, anything but a RST after a RST, and flag combinations
 * no TCP sends (SYN+FIN, no flags...).  A bare SYN on a connection in
 * TIME_WAIT or CLOSE reuses the ports: the caller forgets the old entry and
 * treats the SYN as a new connection (its rules are evaluated again).
 *
 * Limits: sequence numbers are checked only where cheap and decisive (the
 * handshake, the acknowledgement of FINs, a RST answering a SYN); there is
 * no receive-window tracking, so a RST that guesses the tuple closes an
 * established connection.  A simultaneous open (SYN answered by a bare SYN)
 * is invalid. */
#ifndef FW_TCP_STATE_H
#define FW_TCP_STATE_H

#include <stdbool.h>
#include <stdint.h>

/* States, in the order of their conntrack timeout classes (conntrack.h
 * relies on it).  TCP_ST_NONE is "no connection yet". */
enum tcp_state {
    TCP_ST_NONE,
    TCP_ST_SYN_SENT,
    TCP_ST_SYN_RECV,
    TCP_ST_ESTABLISHED,
    TCP_ST_FIN_WAIT,
    TCP_ST_CLOSE_WAIT,
    TCP_ST_LAST_ACK,
    TCP_ST_TIME_WAIT,
    TCP_ST_CLOSE,
    TCP_ST_COUNT
};

/* Direction of a segment relative to the connection's first packet. */
#define TCP_DIR_ORIG 0
#define TCP_DIR_REPLY 1

/* What tcp_state_update() decided about a segment. */
enum tcp_verdict {
    TCP_V_PASS,    /* In state; the state may have moved. */
    TCP_V_INVALID, /* Out of state; the connection is unchanged. */
    TCP_V_REOPEN,  /* A new SYN on a finished connection: forget it and
                    * treat the segment as a new connection. */
};

/* The fields of one segment the state machine reads. */
struct tcp_seg {
    uint8_t flags; /* XSW_TCP_*. */
    uint32_t seq;  /* Sequence number. */
    uint32_t ack;  /* Acknowledgement number (valid with XSW_TCP_ACK). */
    uint32_t len;  /* Payload bytes. */
};

/* Per-connection TCP state, kept in the conntrack entry. */
struct tcp_conn {
    uint8_t state;       /* enum tcp_state. */
    uint8_t fin_sent;    /* Bit per direction: that side sent a FIN. */
    uint8_t fin_acked;   /* Bit per direction: its FIN was acknowledged. */
    uint8_t reserved;    /* Zero. */
    uint32_t syn_end;    /* Originator's ISN + 1, what the SYN+ACK acks. */
    uint32_t fin_end[2]; /* Per direction: sequence number after the FIN. */
};

/**
 * tcp_seg_flags_valid - could a TCP stack send these flags at all?
 *
 * Refuses SYN+FIN, SYN+RST, FIN without ACK, no flags ("null scan") and
 * the like; PSH, ECE and CWR do not matter.
 */
bool tcp_seg_flags_valid(uint8_t flags);

/** tcp_seg_may_open - may this segment be a connection's first? */
bool tcp_seg_may_open(const struct tcp_seg *seg);

/** tcp_state_open - start 'tc' in SYN_SENT from the opening SYN 'seg'. */
void tcp_state_open(struct tcp_conn *tc, const struct tcp_seg *seg);

/**
 * tcp_state_update - account one segment of an existing connection
 * @param dir  TCP_DIR_ORIG or TCP_DIR_REPLY
 * @return the verdict; 'tc' changes only with TCP_V_PASS.
 */
enum tcp_verdict tcp_state_update(struct tcp_conn *tc, int dir,
                                  const struct tcp_seg *seg);

/** tcp_state_name - "established" etc., for logs and tests. */
const char *tcp_state_name(enum tcp_state state);

#endif
