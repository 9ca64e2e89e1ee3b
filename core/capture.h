/* Captures
 * ========
 * Packet capture at a named point of the pipeline, started and stopped on
 * command ('xswctl capture start|stop|list', docs/control.md):
 *
 *   port:P:rx   what port P received, admitted (parsed, VLAN-classified),
 *               before the ingress chain; the frame as it arrived;
 *   port:P:tx   what port P sends, as the wire sees it (after VLAN egress
 *               tagging);
 *   ext:E       what extension E's ingress callback passed;
 *   drop        every packet and copy dropped, with its reason: in pcapng
 *               each packet's comment is "stage (ext): reason", as the
 *               summary names it.
 *
 * An optional BPF filter (libpcap syntax, compiled for Ethernet) selects
 * packets; an optional count ends the capture by itself.  Files are pcap
 * (libpcap's pcap_dump(), microsecond timestamps) or pcapng (our own
 * writer: one section header, one interface of link type Ethernet with
 * nanosecond timestamps, enhanced packet blocks with an opt_comment), and
 * are written only under the config's directory (path.h).
 *
 * Bounds.  At most CAPTURE_MAX captures exist at once, running or done
 * (count reached); a done capture keeps its slot and its name until it is
 * stopped.  Each packet costs a filter run and a buffered write; with no
 * capture running the switch carries no taps (taps.h), so the datapath
 * pays one predictable branch per tap point.  A capture sees nothing of a
 * trace's dry run.
 *
 * Threads: datapath thread only, between batches (control commands). */
#ifndef XSW_CAPTURE_H
#define XSW_CAPTURE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"

#define CAPTURE_MAX 8         /* Captures at once, running or done. */
#define CAPTURE_NAME_MAX 32   /* Characters in a capture's name. */
#define CAPTURE_SNAPLEN 65535 /* Bytes kept of a frame (all of it). */

struct capture_set;
struct ext;
struct dp;

struct capture_settings {
    const char *name;   /* 1..CAPTURE_NAME_MAX of [A-Za-z0-9._-]. */
    const char *point;  /* "port:P:rx", "port:P:tx", "ext:E" or "drop". */
    const char *filter; /* BPF expression, or NULL for every packet. */
    uint64_t count;     /* Packets, then it stops; 0: until stopped. */
    const char *file;   /* Relative to the config's directory. */
    bool pcapng;        /* pcapng instead of pcap. */
};

/* Starts a capture on 'dp'.  Returns 0 and '*info' (a new reference: the
 * capture as capture list shows it), or a negative errno with 'err'
 * saying why: -EINVAL (a bad name, point or filter), -ENOENT (no such
 * port or extension), -EEXIST (the name is taken), -ENOSPC (CAPTURE_MAX
 * captures exist), -EBUSY (another capture writes that file), or the
 * errno of opening the file (-EACCES for a path that would leave the
 * config's directory). */
int capture_start(struct dp *, const struct capture_settings *, json_t **info,
                  struct xsw_err *);

/* Stops capture 'name' (running or done), closes its file and frees its
 * slot.  Returns 0 and '*info' (the capture as it ended), or -ENOENT. */
int capture_stop(struct dp *, const char *name, json_t **info,
                 struct xsw_err *);

/* Every capture, in the order they were started (a new reference). */
json_t *capture_list(struct dp *);

/* Closes every file.  NULL is a no-op. */
/* A reload replaced extension 'old' with 'fresh' (same name), or removed
 * it ('fresh' NULL): captures after it follow the new instance, or are
 * done (their file closed, their slot kept until 'capture stop'). */
void capture_ext_replaced(struct dp *, const struct ext *old,
                          const struct ext *fresh);

void capture_set_destroy(struct capture_set *);

#endif
