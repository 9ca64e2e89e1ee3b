#include "trace.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dp.h"
#include "drops.h"
#include "ext.h"
#include "fdb.h"
#include "pkt.h"
#include "port.h"
#include "taps.h"

/* Where the traced packet is. */
enum trace_phase {
    TRACE_ADMIT,  /* Not admitted yet. */
    TRACE_CHAIN,  /* In the ingress chain. */
    TRACE_EGRESS, /* Forwarded: its copies go port by port. */
};

struct trace {
    struct dp *dp;
    uint32_t in_port;
    bool dry; /* A dry run: nothing is really sent. */
    json_t *stages;
    uint32_t n_omitted; /* Stages past TRACE_STAGES_MAX. */
    enum trace_phase phase;
    /* Ingress: drops an extension stage or the forward stage takes. */
    json_t *pending_drops; /* [{"ext"?, "reason"}] */
    json_t *notes;         /* [{"ext", "note"}] not yet taken. */
    uint32_t n_notes;
    /* Egress: the ports queued, in the order they are served; each copy
     * ends sent or dropped, which moves to the next. */
    uint16_t dests[1024];
    uint32_t n_dests, next_dest;
    json_t *sent;  /* Port names. */
    json_t *drops; /* [{"port"?, "reason"}] */
    uint32_t injected;
};

/* --- Helpers ---------------------------------------------------------- */

static const char *
port_name(const struct trace *t, uint32_t id)
{
    const struct port *p = dp_port(t->dp, id);

    return p ? p->name : "?";
}

static void stage_add(struct trace *t, const char *stage, json_t *o,
                      const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
stage_add(struct trace *t, const char *stage, json_t *o, const char *fmt, ...)
{
    char text[1024];
    va_list ap;

    /* The result stage is always kept: it says how many were not. */
    if (json_array_size(t->stages) >= TRACE_STAGES_MAX &&
        strcmp(stage, "result")) {
        t->n_omitted++;
        json_decref(o);
        return;
    }
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (!o)
        o = json_object();
    json_object_set_new(o, "stage", json_string(stage));
    json_object_set_new(o, "text", json_string(text));
    json_array_append_new(t->stages, o);
}

static const char *
drop_text(const struct trace *t, uint32_t drop_id, char *buf, size_t size)
{
    return drops_describe(drops_get(dp_drops(t->dp), drop_id), buf, size);
}

static void
mac_text(const uint8_t *m, char *buf)
{
    sprintf(buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
            m[5]);
}

static const char *
vlan_policy(const struct vlan_config *v, char *buf, size_t size)
{
    if (v->mode == VLAN_ACCESS)
        snprintf(buf, size, "access %u", v->vid);
    else if (v->native)
        snprintf(buf, size, "trunk, native %u", v->native);
    else
        snprintf(buf, size, "trunk, no native VLAN");
    return buf;
}

/* The notes of 'e' not yet taken, as a JSON array of strings (taken). */
static json_t *
notes_take(struct trace *t, const struct ext *e)
{
    json_t *out = json_array(), *n;
    size_t i;

    for (i = 0; i < json_array_size(t->notes);) {
        n = json_array_get(t->notes, i);
        if (strcmp(json_string_value(json_object_get(n, "ext")), e->name)) {
            i++;
            continue;
        }
        json_array_append(out, json_object_get(n, "note"));
        json_array_remove(t->notes, i);
    }
    return out;
}

/* --- Stages ----------------------------------------------------------- */

static const char *
ethertype_name(uint16_t type)
{
    switch (type) {
    case 0x0800:
        return "IPv4";
    case 0x86dd:
        return "IPv6";
    case 0x0806:
        return "ARP";
    default:
        return NULL;
    }
}

static const char *
proto_name(uint8_t proto)
{
    switch (proto) {
    case 1:
        return "icmp";
    case 6:
        return "tcp";
    case 17:
        return "udp";
    case 58:
        return "icmpv6";
    default:
        return NULL;
    }
}

static void
stage_parse(struct trace *t, const struct pkt *pkt)
{
    const struct xsw_packet *p = &pkt->p;
    char src[18], dst[18], sip[INET6_ADDRSTRLEN] = "",
                           dip[INET6_ADDRSTRLEN] = "", l3[200] = "", tag[32];
    const char *et = ethertype_name(p->ethertype), *pr;
    int af = p->ip_version == 6 ? AF_INET6 : AF_INET;
    json_t *o;

    mac_text(p->data + 6, src);
    mac_text(p->data, dst);
    o = json_pack("{s:s, s:s, s:i, s:i, s:i, s:i}", "src", src, "dst", dst,
                  "ethertype", p->ethertype, "tags", p->n_tags, "size",
                  p->size, "flags", p->flags & XSW_PKT_F_PARSE_MASK);
    if (p->flags & XSW_PKT_F_TAGGED) {
        uint16_t vid = xsw_rd16(p->data + 14) & 0x0fff;

        json_object_set_new(o, "tag_vid", json_integer(vid));
        snprintf(tag, sizeof tag, "802.1Q tag VID %u", vid);
    } else {
        json_object_set_new(o, "tag_vid", json_null());
        snprintf(tag, sizeof tag, "untagged");
    }
    if (p->ip_version) {
        inet_ntop(af, p->src_ip, sip, sizeof sip);
        inet_ntop(af, p->dst_ip, dip, sizeof dip);
        pr = proto_name(p->ip_proto);
        json_object_set_new(o, "ip_version", json_integer(p->ip_version));
        json_object_set_new(o, "ip_proto", json_integer(p->ip_proto));
        json_object_set_new(o, "src_ip", json_string(sip));
        json_object_set_new(o, "dst_ip", json_string(dip));
        if (p->l4_ofs != XSW_OFS_NONE &&
            (p->ip_proto == 6 || p->ip_proto == 17)) {
            json_object_set_new(o, "src_port", json_integer(p->src_port));
            json_object_set_new(o, "dst_port", json_integer(p->dst_port));
            snprintf(l3, sizeof l3, ", %s %s%s%s:%u > %s%s%s:%u", pr,
                     af == AF_INET6 ? "[" : "", sip, af == AF_INET6 ? "]" : "",
                     p->src_port, af == AF_INET6 ? "[" : "", dip,
                     af == AF_INET6 ? "]" : "", p->dst_port);
        } else if (pr) {
            snprintf(l3, sizeof l3, ", %s %s > %s", pr, sip, dip);
        } else {
            snprintf(l3, sizeof l3, ", ip proto %u %s > %s", p->ip_proto, sip,
                     dip);
        }
    }
    stage_add(t, "parse", o, "%s > %s, ethertype 0x%04x%s%s%s, %s%s, %u bytes",
              src, dst, p->ethertype, et ? " (" : "", et ? et : "",
              et ? ")" : "", tag, l3, p->size);
}

static void
stage_vlan(struct trace *t, const struct pkt *pkt, const char *drop)
{
    const struct port *port = dp_port(t->dp, t->in_port);
    char policy[64];
    json_t *o;

    vlan_policy(&port->vlan, policy, sizeof policy);
    o = json_pack("{s:s, s:s, s:s}", "port", port_name(t, t->in_port),
                  "policy", policy, "result", drop ? "drop" : "pass");
    if (drop) {
        json_object_set_new(o, "reason", json_string(drop));
        stage_add(t, "vlan", o, "%s (%s): dropped: %s",
                  port_name(t, t->in_port), policy, drop);
        return;
    }
    json_object_set_new(o, "vlan", json_integer(pkt->p.vlan));
    stage_add(t, "vlan", o, "%s (%s): VLAN %u", port_name(t, t->in_port),
              policy, pkt->p.vlan);
}

static void
drop_record(struct trace *t, const char *port, const char *reason)
{
    json_t *o = json_pack("{s:s}", "reason", reason);

    json_object_set_new(o, "port", port ? json_string(port) : json_null());
    json_array_append_new(t->drops, o);
}

/* --- A journey's events (trace.h) ------------------------------------ */

struct trace *
trace_new(struct dp *dp, uint32_t in_port, bool dry)
{
    struct trace *t = calloc(1, sizeof *t);

    if (!t)
        return NULL;
    t->dp = dp;
    t->in_port = in_port;
    t->dry = dry;
    t->stages = json_array();
    t->pending_drops = json_array();
    t->notes = json_array();
    t->sent = json_array();
    t->drops = json_array();
    if (!t->stages || !t->pending_drops || !t->notes || !t->sent ||
        !t->drops) {
        trace_free(t);
        return NULL;
    }
    return t;
}

void
trace_free(struct trace *t)
{
    if (!t)
        return;
    json_decref(t->stages);
    json_decref(t->pending_drops);
    json_decref(t->notes);
    json_decref(t->sent);
    json_decref(t->drops);
    free(t);
}

void
trace_on_rx(struct trace *t, const struct pkt *pkt)
{
    t->phase = TRACE_CHAIN;
    stage_parse(t, pkt);
    stage_vlan(t, pkt, NULL);
}

/* The index in 'pending_drops' of a drop by 'e', or -1. */
static int
pending_drop_by(const struct trace *t, const struct ext *e)
{
    json_t *d, *x;
    size_t i;

    json_array_foreach(t->pending_drops, i, d)
    {
        x = json_object_get(d, "ext");
        if (x && !strcmp(json_string_value(x), e->name))
            return (int) i;
    }
    return -1;
}

bool
trace_dropped_by(const struct trace *t, const struct ext *e)
{
    return pending_drop_by(t, e) >= 0;
}

void
trace_on_ext(struct trace *t, const struct ext *e, uint32_t port, bool egress,
             bool passed)
{
    const char *role = ext_role_name(e->desc.role);
    json_t *o, *reason = NULL;
    int i = pending_drop_by(t, e);

    /* A drop by 'e' just now (its own reason or a rule it broke). */
    if (i >= 0) {
        reason = json_incref(
            json_object_get(json_array_get(t->pending_drops, i), "reason"));
        json_array_remove(t->pending_drops, (size_t) i);
    }
    o = json_pack("{s:s, s:s, s:s, s:o}", "ext", e->name, "role", role,
                  "direction", egress ? "egress" : "ingress", "notes",
                  notes_take(t, e));
    if (egress)
        json_object_set_new(o, "port", json_string(port_name(t, port)));
    if (reason) {
        if (!egress) /* On egress trace_on_drop() recorded it, by port. */
            drop_record(t, NULL, json_string_value(reason));
        json_object_set_new(o, "verdict", json_string("drop"));
        json_object_set_new(o, "reason", reason);
    } else {
        json_object_set_new(o, "verdict",
                            json_string(e->desc.role == XSW_ROLE_INSPECT
                                            ? "seen"
                                        : passed ? "pass"
                                                 : "none"));
    }
    stage_add(t, egress ? "egress" : "ingress", o, "%s%s%s (%s): %s%s%s",
              egress ? port_name(t, port) : "", egress ? ": " : "", e->name,
              role, json_string_value(json_object_get(o, "verdict")),
              reason ? ": " : "", reason ? json_string_value(reason) : "");
}

/* The enabled forward extension, or NULL. */
static const struct ext *
forwarder(const struct trace *t)
{
    uint32_t i;

    for (i = 0; i < dp_ext_count(t->dp); i++) {
        const struct ext *e = dp_ext(t->dp, i);

        if (e->enabled && e->desc.role == XSW_ROLE_FORWARD)
            return e;
    }
    return NULL;
}

void
trace_on_forward(struct trace *t, const struct pkt *pkt, const uint16_t *ports,
                 uint32_t n_ports)
{
    const struct ext *fwd = forwarder(t);
    char list[1024] = "", how[128], mac[18];
    size_t used = 0;
    json_t *o, *names = json_array(), *d;
    uint32_t i;
    int hit;

    for (i = 0; i < n_ports && i < 1024; i++) {
        t->dests[t->n_dests++] = ports[i];
        json_array_append_new(names, json_string(port_name(t, ports[i])));
        used += (size_t) snprintf(list + used, sizeof list - used, "%s%s",
                                  i ? ", " : "", port_name(t, ports[i]));
        if (used >= sizeof list)
            used = sizeof list - 1;
    }
    t->phase = TRACE_EGRESS;
    o = json_pack("{s:o}", "ports", names);
    if (fwd && pkt->fwd == XSW_FWD_PORTS && pkt->n_out) {
        json_object_set_new(o, "by", json_string(fwd->name));
        json_object_set_new(o, "decision", json_string("ports"));
        snprintf(how, sizeof how, "%s chose its ports", fwd->name);
    } else if (fwd && pkt->fwd == XSW_FWD_FLOOD) {
        json_object_set_new(o, "by", json_string(fwd->name));
        json_object_set_new(o, "decision", json_string("flood"));
        snprintf(how, sizeof how, "%s chose to flood", fwd->name);
    } else if (pkt->p.data[0] & 1) {
        bool bcast = !memcmp(pkt->p.data, "\xff\xff\xff\xff\xff\xff", 6);

        json_object_set_new(o, "by", json_string("l2"));
        json_object_set_new(o, "decision",
                            json_string(bcast ? "broadcast" : "multicast"));
        snprintf(how, sizeof how, "l2: %s, flood",
                 bcast ? "broadcast" : "multicast");
    } else {
        mac_text(pkt->p.data, mac);
        hit =
            fdb_lookup(dp_fdb(t->dp), pkt->p.data, pkt->p.vlan, dp_now(t->dp));
        json_object_set_new(o, "by", json_string("l2"));
        json_object_set_new(o, "decision",
                            json_string(hit >= 0 ? "fdb hit" : "fdb miss"));
        if (hit >= 0) {
            json_object_set_new(o, "fdb_port",
                                json_string(port_name(t, (uint32_t) hit)));
            snprintf(how, sizeof how, "l2: FDB hit, %s VLAN %u on %s", mac,
                     pkt->p.vlan, port_name(t, (uint32_t) hit));
        } else {
            snprintf(how, sizeof how, "l2: FDB miss for %s VLAN %u, flood",
                     mac, pkt->p.vlan);
        }
    }
    /* Drops in forwarding (the ingress port as destination, no other
     * port in the VLAN, a forward extension's bad port). */
    if (json_array_size(t->pending_drops)) {
        json_t *reasons = json_array();
        size_t k;

        json_array_foreach(t->pending_drops, k, d)
        {
            json_array_append(reasons, json_object_get(d, "reason"));
            drop_record(t, NULL,
                        json_string_value(json_object_get(d, "reason")));
        }
        json_array_clear(t->pending_drops);
        json_object_set_new(o, "drops", reasons);
        stage_add(t, "forward", o, "%s; dropped: %s%s%s", how,
                  json_string_value(json_array_get(reasons, 0)),
                  n_ports ? "; queued for " : "", list);
        return;
    }
    stage_add(t, "forward", o, "%s: to %s", how, n_ports ? list : "nowhere");
}

void
trace_on_tx(struct trace *t, const struct port *port, const struct pkt *pkt,
            const uint8_t *frame, uint32_t size)
{
    const char *name = port_name(t, port->id);
    bool tagged = size >= 18 && xsw_rd16(frame + 12) == 0x8100;
    uint16_t vid = tagged ? xsw_rd16(frame + 14) & 0x0fff : 0;
    json_t *o;

    t->next_dest++;
    json_array_append_new(t->sent, json_string(name));
    o = json_pack("{s:s, s:i, s:i, s:s}", "port", name, "size", size, "vlan",
                  pkt->p.vlan, "result", "sent");
    json_object_set_new(o, "tag_vid",
                        tagged ? json_integer(vid) : json_null());
    if (tagged)
        stage_add(t, "tx", o, "%s: tagged VID %u, %u bytes%s", name, vid, size,
                  t->dry ? " (dry run: not sent)" : "");
    else
        stage_add(t, "tx", o, "%s: untagged, %u bytes%s", name, size,
                  t->dry ? " (dry run: not sent)" : "");
}

void
trace_on_drop(struct trace *t, const struct pkt *pkt, uint32_t drop_id)
{
    const struct drop_reason *r = drops_get(dp_drops(t->dp), drop_id);
    char why[512];
    const char *port;
    json_t *o;

    drop_text(t, drop_id, why, sizeof why);
    switch (t->phase) {
    case TRACE_ADMIT:
        drop_record(t, NULL, why);
        if (!strcmp(r->stage, "vlan")) {
            stage_parse(t, pkt);
            stage_vlan(t, pkt, why);
            return;
        }
        o = json_pack("{s:s, s:s, s:s}", "port", port_name(t, t->in_port),
                      "result", "drop", "reason", why);
        stage_add(t, "rx", o, "%s: dropped: %s", port_name(t, t->in_port),
                  why);
        return;
    case TRACE_CHAIN:
        /* Taken by the extension's stage, or the forward stage. */
        o = json_pack("{s:s}", "reason", why);
        if (r->ext)
            json_object_set_new(o, "ext", json_string(r->ext));
        json_array_append_new(t->pending_drops, o);
        return;
    case TRACE_EGRESS:
        port = t->next_dest < t->n_dests ? port_name(t, t->dests[t->next_dest])
                                         : NULL;
        t->next_dest++;
        drop_record(t, port, why);
        if (r->ext) {
            o = json_pack("{s:s, s:s}", "reason", why, "ext", r->ext);
            json_array_append_new(t->pending_drops, o);
            return;
        }
        o = json_pack("{s:s, s:s, s:s}", "port", port ? port : "?", "result",
                      "drop", "reason", why);
        stage_add(t, "tx", o, "%s: dropped: %s", port ? port : "?", why);
        return;
    }
}

void
trace_on_inject(struct trace *t, const struct ext *e, const struct pkt *pkt,
                uint32_t port, uint32_t how)
{
    const char *h = how == XSW_INJECT_TX ? "tx" : "rx";
    json_t *o = json_pack("{s:s, s:s, s:s, s:i}", "ext", e->name, "how", h,
                          "port", port_name(t, port), "size", pkt->p.size);

    t->injected++;
    stage_add(t, "inject", o,
              "%s injects %u bytes to %s %s (dry run: not injected)", e->name,
              pkt->p.size,
              how == XSW_INJECT_TX ? "be sent out of" : "enter at",
              port_name(t, port));
}

void
trace_on_note(struct trace *t, const struct ext *e, const char *msg)
{
    if (t->n_notes++ >= TRACE_NOTES_MAX)
        return;
    json_array_append_new(
        t->notes, json_pack("{s:s, s:s}", "ext", e->name, "note", msg));
}

/* The fate: delivered on some ports, or dropped. */
static void
stage_result(struct trace *t)
{
    char list[1024] = "", first[600] = "";
    size_t used = 0, i;
    json_t *v, *o;
    size_t n_sent = json_array_size(t->sent), n_drops;

    json_array_foreach(t->notes, i, v)
    {
        stage_add(t, "note", json_deep_copy(v), "%s: %s",
                  json_string_value(json_object_get(v, "ext")),
                  json_string_value(json_object_get(v, "note")));
    }
    json_array_foreach(t->pending_drops, i, v)
        drop_record(t, NULL, json_string_value(json_object_get(v, "reason")));
    n_drops = json_array_size(t->drops);
    json_array_foreach(t->sent, i, v)
    {
        used += (size_t) snprintf(list + used, sizeof list - used, "%s%s",
                                  i ? ", " : "", json_string_value(v));
        if (used >= sizeof list)
            used = sizeof list - 1;
    }
    if (n_drops) {
        json_t *d = json_array_get(t->drops, n_drops - 1);
        const char *p = json_string_value(json_object_get(d, "port"));

        snprintf(first, sizeof first, "%s%s%s", p ? p : "", p ? ": " : "",
                 json_string_value(json_object_get(d, "reason")));
    }
    o = json_pack("{s:s, s:O, s:O, s:i}", "fate",
                  n_sent ? "delivered" : "dropped", "sent", t->sent, "drops",
                  t->drops, "injected", t->injected);
    if (t->n_omitted)
        json_object_set_new(o, "stages_omitted", json_integer(t->n_omitted));
    if (n_sent && n_drops)
        stage_add(t, "result", o, "delivered on %s; %zu %s dropped", list,
                  n_drops, n_drops == 1 ? "copy" : "copies");
    else if (n_sent)
        stage_add(t, "result", o, "delivered on %s", list);
    else
        stage_add(t, "result", o, "dropped: %s", n_drops ? first : "?");
}

json_t *
trace_end(struct trace *t)
{
    json_t *stages;

    stage_result(t);
    stages = json_incref(t->stages);
    trace_free(t);
    return stages;
}

/* --- The dry run ------------------------------------------------------
 * Its taps see one packet (and its copies) only: each hands the event to
 * the journey. */

static void
dry_rx(void *arg, struct pkt *const *pkts, uint32_t n)
{
    if (n)
        trace_on_rx(arg, pkts[0]);
}

static void
dry_ext(void *arg, const struct ext *e, const struct xsw_batch *b, bool egress)
{
    trace_on_ext(arg, e, b->port, egress, b->count > 0);
}

static void
dry_forward(void *arg, const struct xsw_batch *b, const uint16_t *ports,
            uint32_t n_ports)
{
    if (b->count)
        trace_on_forward(arg, pkt_from_xsw(b->pkts[0]), ports, n_ports);
}

static void
dry_tx(void *arg, const struct port *port, const struct pkt *pkt,
       const uint8_t *frame, uint32_t size)
{
    trace_on_tx(arg, port, pkt, frame, size);
}

static void
dry_drop(void *arg, const struct pkt *pkt, uint32_t drop_id)
{
    trace_on_drop(arg, pkt, drop_id);
}

static void
dry_inject(void *arg, const struct ext *e, const struct pkt *pkt,
           uint32_t port, uint32_t how)
{
    trace_on_inject(arg, e, pkt, port, how);
}

static void
dry_note(void *arg, const struct ext *e, const struct pkt *pkt,
         const char *msg)
{
    (void) pkt;
    trace_on_note(arg, e, msg);
}

static void
dry_done(void *arg)
{
    (void) arg; /* trace_run() ends the journey once the run returns. */
}

int
trace_run(struct dp *dp, uint32_t port, const uint8_t *frame, uint32_t size,
          json_t **stages, struct xsw_err *err)
{
    struct trace *t = trace_new(dp, port, true);
    struct dp_taps taps = DP_TAPS_OF(dry, t);
    int ret;

    taps.dry = true;
    *stages = NULL;
    if (!t)
        return xsw_err_set(err, -ENOMEM, "out of memory");
    ret = dp_trace_frame(dp, port, frame, size, &taps);
    if (ret == -ENOBUFS)
        xsw_err_set(err, ret, "trace: the packet buffer pool is empty");
    else if (ret == -EINVAL)
        xsw_err_set(err, ret, "trace: a frame is 1 to %u bytes",
                    PKT_FRAME_MAX);
    else if (ret)
        xsw_err_set(err, ret, "trace: %s", strerror(-ret));
    if (ret) {
        trace_free(t);
        return ret;
    }
    *stages = trace_end(t);
    return *stages ? 0 : xsw_err_set(err, -ENOMEM, "out of memory");
}
