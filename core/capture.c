#include "capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfgtree.h"
#include "config.h"
#include "dp.h"
#include "drops.h"
#include "ext.h"
#include "filter.h"
#include "path.h"
#include "pkt.h"
#include "port.h"
#include "taps.h"

enum capture_point {
    CAPTURE_RX,
    CAPTURE_TX,
    CAPTURE_EXT,
    CAPTURE_DROP,
};

enum capture_state {
    CAPTURE_RUNNING,
    CAPTURE_DONE,    /* Its count reached: the file is closed. */
    CAPTURE_FAILED,  /* The file could not be written: closed. */
    CAPTURE_STOPPED, /* By 'capture stop'; its slot is free again. */
};

struct capture {
    char name[CAPTURE_NAME_MAX + 1];
    char *point_text; /* As given. */
    enum capture_point point;
    uint32_t port;           /* port:P:rx, port:P:tx. */
    const struct ext *ext;   /* ext:E. */
    struct filter *filter;   /* NULL: every packet. */
    uint64_t count;          /* 0: until stopped. */
    uint64_t packets;        /* Written. */
    char *path;              /* The file opened (resolved). */
    bool pcapng;
    FILE *f;               /* NULL once closed. */
    pcap_dumper_t *dumper; /* pcap: writes to 'f'. */
    enum capture_state state;
};

struct capture_set {
    struct dp *dp;
    struct capture caps[CAPTURE_MAX]; /* [0, n): in start order. */
    uint32_t n;
    uint32_t n_running;
    pcap_t *dead; /* For pcap_dump(). */
    struct dp_taps taps;
};

static const char *const state_names[] = {
    [CAPTURE_RUNNING] = "running",
    [CAPTURE_DONE] = "done",
    [CAPTURE_FAILED] = "failed",
    [CAPTURE_STOPPED] = "stopped",
};

/* --- pcapng ----------------------------------------------------------
 * Blocks (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng):
 *
 *   +------------+------------+---------- ... ---------+------------+
 *   | type (u32) | total (u32)|  body, options, padded | total (u32)|
 *   +------------+------------+---------- ... ---------+------------+
 *
 * in our byte order (the section header's magic says which).  An option
 * is code (u16), length (u16), value padded to 4 bytes; opt_endofopt (0)
 * ends the list. */

#define NG_SHB 0x0a0d0d0au
#define NG_IDB 0x00000001u
#define NG_EPB 0x00000006u
#define NG_OPT_END 0
#define NG_OPT_COMMENT 1
#define NG_SHB_USERAPPL 4
#define NG_IF_NAME 2
#define NG_IF_TSRESOL 9
#define NG_COMMENT_MAX 512
/* The largest frame a port can be handed: a whole buffer and a tag. */
#define NG_FRAME_MAX (PKT_HEADROOM + PKT_FRAME_MAX + PKT_TAILROOM + 4)

struct ng_buf {
    uint8_t b[64 + NG_FRAME_MAX + NG_COMMENT_MAX];
    size_t n;
};

static void
ng_put(struct ng_buf *nb, const void *p, size_t size)
{
    if (size) /* memcpy() may not be given NULL, even for nothing. */
        memcpy(nb->b + nb->n, p, size);
    nb->n += size;
}

static void
ng_u32(struct ng_buf *nb, uint32_t v)
{
    ng_put(nb, &v, 4);
}

static void
ng_u16(struct ng_buf *nb, uint16_t v)
{
    ng_put(nb, &v, 2);
}

static void
ng_pad(struct ng_buf *nb)
{
    static const uint8_t zero[4];

    ng_put(nb, zero, (4 - nb->n % 4) % 4);
}

static void
ng_opt(struct ng_buf *nb, uint16_t code, const void *v, uint16_t size)
{
    ng_u16(nb, code);
    ng_u16(nb, size);
    ng_put(nb, v, size);
    ng_pad(nb);
}

static void
ng_begin(struct ng_buf *nb, uint32_t type)
{
    nb->n = 0;
    ng_u32(nb, type);
    ng_u32(nb, 0); /* Total length, set by ng_end(). */
}

static void
ng_end(struct ng_buf *nb, FILE *f)
{
    uint32_t total = (uint32_t) nb->n + 4;

    memcpy(nb->b + 4, &total, 4);
    ng_u32(nb, total);
    fwrite(nb->b, 1, nb->n, f);
}

/* The section header and the one interface. */
static void
ng_header(FILE *f, const char *point)
{
    static struct ng_buf nb; /* Large; the datapath thread only. */
    uint8_t tsresol = 9;     /* Nanoseconds. */

    ng_begin(&nb, NG_SHB);
    ng_u32(&nb, 0x1a2b3c4du);
    ng_u16(&nb, 1);
    ng_u16(&nb, 0);
    ng_u32(&nb, 0xffffffffu); /* Section length: unknown (-1). */
    ng_u32(&nb, 0xffffffffu);
    ng_opt(&nb, NG_SHB_USERAPPL, "xswd", 4);
    ng_opt(&nb, NG_OPT_END, NULL, 0);
    ng_end(&nb, f);

    ng_begin(&nb, NG_IDB);
    ng_u16(&nb, DLT_EN10MB);
    ng_u16(&nb, 0);
    ng_u32(&nb, CAPTURE_SNAPLEN);
    ng_opt(&nb, NG_IF_NAME, point, (uint16_t) strlen(point));
    ng_opt(&nb, NG_IF_TSRESOL, &tsresol, 1);
    ng_opt(&nb, NG_OPT_END, NULL, 0);
    ng_end(&nb, f);
}

static void
ng_packet(FILE *f, uint64_t ts_ns, const uint8_t *data, uint32_t size,
          const char *comment)
{
    static struct ng_buf nb;
    uint32_t caplen = size < CAPTURE_SNAPLEN ? size : CAPTURE_SNAPLEN;

    if (caplen > NG_FRAME_MAX)
        caplen = NG_FRAME_MAX;
    ng_begin(&nb, NG_EPB);
    ng_u32(&nb, 0); /* Interface 0. */
    ng_u32(&nb, (uint32_t) (ts_ns >> 32));
    ng_u32(&nb, (uint32_t) ts_ns);
    ng_u32(&nb, caplen);
    ng_u32(&nb, size);
    ng_put(&nb, data, caplen);
    ng_pad(&nb);
    if (comment) {
        size_t len = strlen(comment);

        ng_opt(&nb, NG_OPT_COMMENT, comment,
               (uint16_t) (len < NG_COMMENT_MAX ? len : NG_COMMENT_MAX));
        ng_opt(&nb, NG_OPT_END, NULL, 0);
    }
    ng_end(&nb, f);
}

/* --- Writing ---------------------------------------------------------- */

static void
capture_close(struct capture_set *set, struct capture *c,
              enum capture_state state)
{
    int bad;

    if (!c->f)
        return;
    if (c->dumper) {
        pcap_dump_flush(c->dumper);
        bad = ferror(c->f);
        pcap_dump_close(c->dumper); /* Closes 'f'. */
        c->dumper = NULL;
    } else {
        bad = fflush(c->f) || ferror(c->f);
        bad |= fclose(c->f);
    }
    c->f = NULL;
    c->state = bad ? CAPTURE_FAILED : state;
    if (bad)
        dp_log(set->dp, XSW_LOG_ERR, "capture %s: cannot write %s", c->name,
               c->path);
    if (--set->n_running == 0)
        dp_set_taps(set->dp, TAPS_CAPTURES, NULL);
}

/* Writes one packet to 'c' if its filter takes it. */
static void
capture_write(struct capture_set *set, struct capture *c, uint64_t ts_ns,
              const uint8_t *data, uint32_t size, const char *comment)
{
    struct pcap_pkthdr h;

    if (c->filter && !filter_match(c->filter, data, size))
        return;
    h.ts.tv_sec = (time_t) (ts_ns / 1000000000u);
    h.ts.tv_usec = (suseconds_t) (ts_ns % 1000000000u / 1000u);
    h.caplen = size < CAPTURE_SNAPLEN ? size : CAPTURE_SNAPLEN;
    h.len = size;
    if (c->pcapng)
        ng_packet(c->f, ts_ns, data, size, comment);
    else
        pcap_dump((u_char *) c->dumper, &h, data);
    c->packets++;
    if (ferror(c->f))
        capture_close(set, c, CAPTURE_FAILED);
    else if (c->count && c->packets == c->count)
        capture_close(set, c, CAPTURE_DONE);
}

static bool
capture_at(const struct capture *c, enum capture_point point)
{
    return c->f && c->point == point;
}

/* --- Taps ------------------------------------------------------------- */

static void
tap_rx(void *arg, struct pkt *const *pkts, uint32_t n)
{
    struct capture_set *set = arg;
    uint32_t i, j;

    for (i = 0; i < set->n; i++) {
        struct capture *c = &set->caps[i];

        for (j = 0; j < n && capture_at(c, CAPTURE_RX); j++)
            if (pkts[j]->rx_port == c->port)
                capture_write(set, c, pkts[j]->p.ts_ns, pkts[j]->p.data,
                              pkts[j]->p.size, NULL);
    }
}

static void
tap_ext(void *arg, const struct ext *e, const struct xsw_batch *b, bool egress)
{
    struct capture_set *set = arg;
    uint32_t i, j;

    for (i = 0; i < set->n && !egress; i++) {
        struct capture *c = &set->caps[i];

        for (j = 0; j < b->count && capture_at(c, CAPTURE_EXT) && c->ext == e;
             j++)
            capture_write(set, c, b->pkts[j]->ts_ns, b->pkts[j]->data,
                          b->pkts[j]->size, NULL);
    }
}

static void
tap_forward(void *arg, const struct xsw_batch *b, const uint16_t *ports,
            uint32_t n_ports)
{
    (void) arg, (void) b, (void) ports, (void) n_ports;
}

static void
tap_tx(void *arg, const struct port *port, const struct pkt *pkt,
       const uint8_t *frame, uint32_t size)
{
    struct capture_set *set = arg;
    uint32_t i;

    for (i = 0; i < set->n; i++) {
        struct capture *c = &set->caps[i];

        if (capture_at(c, CAPTURE_TX) && c->port == port->id)
            capture_write(set, c, pkt->p.ts_ns, frame, size, NULL);
    }
}

static void
tap_drop(void *arg, const struct pkt *pkt, uint32_t drop_id)
{
    struct capture_set *set = arg;
    char why[NG_COMMENT_MAX];
    uint32_t i;
    bool named = false;

    for (i = 0; i < set->n; i++) {
        struct capture *c = &set->caps[i];

        if (!capture_at(c, CAPTURE_DROP))
            continue;
        if (!named && c->pcapng)
            drops_describe(drops_get(dp_drops(set->dp), drop_id), why,
                           sizeof why);
        named |= c->pcapng;
        capture_write(set, c, pkt->p.ts_ns, pkt->p.data, pkt->p.size,
                      c->pcapng ? why : NULL);
    }
}

static void
tap_inject(void *arg, const struct ext *e, const struct pkt *pkt,
           uint32_t port, uint32_t how)
{
    (void) arg, (void) e, (void) pkt, (void) port, (void) how;
}

static void
tap_note(void *arg, const struct ext *e, const struct pkt *pkt,
         const char *msg)
{
    (void) arg, (void) e, (void) pkt, (void) msg;
}

static void
tap_done(void *arg)
{
    (void) arg;
}

/* --- Commands --------------------------------------------------------- */

static struct capture_set *
set_get(struct dp *dp)
{
    struct capture_set **setp = dp_captures(dp), *set = *setp;
    if (set)
        return set;
    set = calloc(1, sizeof *set);
    if (!set)
        return NULL;
    set->dead = pcap_open_dead_with_tstamp_precision(
        DLT_EN10MB, CAPTURE_SNAPLEN, PCAP_TSTAMP_PRECISION_MICRO);
    if (!set->dead) {
        free(set);
        return NULL;
    }
    set->dp = dp;
    set->taps = DP_TAPS_OF(tap, set);
    *setp = set;
    return set;
}

static struct capture *
capture_find(struct capture_set *set, const char *name)
{
    uint32_t i;

    for (i = 0; set && i < set->n; i++)
        if (!strcmp(set->caps[i].name, name))
            return &set->caps[i];
    return NULL;
}

static json_t *
capture_json(const struct capture *c)
{
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "name", c->name, "point",
                  c->point_text, "file", c->path, "format",
                  c->pcapng ? "pcapng" : "pcap", "packets",
                  (json_int_t) c->packets, "state", state_names[c->state]);

    if (!o)
        return NULL;
    json_object_set_new(o, "filter", c->filter
                                         ? json_string(filter_text(c->filter))
                                         : json_null());
    json_object_set_new(o, "count",
                        c->count ? json_integer((json_int_t) c->count)
                                 : json_null());
    return o;
}

static void
capture_free(struct capture *c)
{
    free(c->point_text);
    filter_free(c->filter);
    free(c->path);
    memset(c, 0, sizeof *c);
}

static bool
name_ok(const char *name)
{
    size_t len = strlen(name);

    if (len == 0 || len > CAPTURE_NAME_MAX)
        return false;
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789._-") == len;
}

/* Reads the point into 'c'. */
static int
point_parse(struct dp *dp, const char *point, struct capture *c,
            struct xsw_err *err)
{
    const char *last;
    int32_t port;

    if (!strcmp(point, "drop")) {
        c->point = CAPTURE_DROP;
        return 0;
    }
    if (!strncmp(point, "ext:", 4) && point[4]) {
        struct ext *e = dp_ext_find(dp, point + 4);

        if (!e)
            return xsw_err_set(err, -ENOENT, "extension '%s' does not exist",
                               point + 4);
        if (!ext_has_ingress(e))
            return xsw_err_set(err, -EINVAL,
                               "capture.start: extension '%s' has no ingress "
                               "callback (ext:NAME captures what its ingress "
                               "passed)",
                               e->name);
        c->point = CAPTURE_EXT;
        c->ext = e;
        return 0;
    }
    last = strrchr(point, ':');
    if (!strncmp(point, "port:", 5) && last > point + 5 &&
        (!strcmp(last, ":rx") || !strcmp(last, ":tx"))) {
        char name[256];

        snprintf(name, sizeof name, "%.*s", (int) (last - point - 5),
                 point + 5);
        if ((port = dp_port_lookup(dp, name)) < 0)
            return xsw_err_set(err, -ENOENT, "port '%s' does not exist", name);
        c->point = last[1] == 'r' ? CAPTURE_RX : CAPTURE_TX;
        c->port = (uint32_t) port;
        return 0;
    }
    return xsw_err_set(err, -EINVAL,
                       "capture.start: unknown point '%s' (points: "
                       "port:NAME:rx, port:NAME:tx, ext:NAME, drop)",
                       point);
}

/* Opens the file under the config's directory and writes its header. */
static int
file_open(struct capture_set *set, struct capture *c, const char *file,
          struct xsw_err *err)
{
    const char *dir = dp_config(set->dp)->tree->dir;
    uint32_t i;
    int fd;

    fd = path_open_under(dir && *dir ? dir : ".", file, &c->path, err);
    if (fd < 0) {
        xsw_err_prefix(err, "capture.start");
        return fd;
    }
    for (i = 0; i < set->n; i++)
        if (set->caps[i].f && !strcmp(set->caps[i].path, c->path)) {
            close(fd);
            return xsw_err_set(err, -EBUSY,
                               "capture.start: %s is being written by "
                               "capture '%s'",
                               c->path, set->caps[i].name);
        }
    c->f = fdopen(fd, "w");
    if (!c->f) {
        close(fd);
        return xsw_err_set(err, -ENOMEM, "out of memory");
    }
    if (c->pcapng) {
        ng_header(c->f, c->point_text);
        return 0;
    }
    c->dumper = pcap_dump_fopen(set->dead, c->f);
    if (!c->dumper) {
        fclose(c->f);
        c->f = NULL;
        return xsw_err_set(err, -EIO, "capture.start: %s: %s", c->path,
                           pcap_geterr(set->dead));
    }
    return 0;
}

int
capture_start(struct dp *dp, const struct capture_settings *s, json_t **info,
              struct xsw_err *err)
{
    struct capture_set *set = set_get(dp);
    struct capture c = {0};
    int ret;

    *info = NULL;
    if (!set)
        return xsw_err_set(err, -ENOMEM, "out of memory");
    if (!name_ok(s->name))
        return xsw_err_set(err, -EINVAL,
                           "capture.start: name '%s' must be 1 to %d "
                           "letters, digits, '.', '_' or '-'",
                           s->name, CAPTURE_NAME_MAX);
    if (capture_find(set, s->name))
        return xsw_err_set(err, -EEXIST,
                           "capture '%s' exists (stop it first: capture "
                           "stop %s)",
                           s->name, s->name);
    if (set->n == CAPTURE_MAX)
        return xsw_err_set(err, -ENOSPC,
                           "at most %d captures at once, running or done "
                           "(stop one first: capture stop NAME)",
                           CAPTURE_MAX);
    if ((ret = point_parse(dp, s->point, &c, err)))
        return ret;
    snprintf(c.name, sizeof c.name, "%s", s->name);
    c.count = s->count;
    c.pcapng = s->pcapng;
    c.point_text = strdup(s->point);
    if (!c.point_text) {
        ret = xsw_err_set(err, -ENOMEM, "out of memory");
        goto err_free;
    }
    if (s->filter && *s->filter &&
        (ret = filter_compile(s->filter, &c.filter, err))) {
        xsw_err_prefix(err, "capture.start");
        goto err_free;
    }
    if ((ret = file_open(set, &c, s->file, err)))
        goto err_free;
    c.state = CAPTURE_RUNNING;
    set->caps[set->n++] = c;
    if (set->n_running++ == 0)
        dp_set_taps(dp, TAPS_CAPTURES, &set->taps);
    *info = capture_json(&set->caps[set->n - 1]);
    dp_log(dp, XSW_LOG_INFO, "capture %s started at %s into %s", c.name,
           c.point_text, c.path);
    return 0;

err_free:
    capture_free(&c);
    return ret;
}

int
capture_stop(struct dp *dp, const char *name, json_t **info,
             struct xsw_err *err)
{
    struct capture_set *set = *dp_captures(dp);
    struct capture *c = capture_find(set, name);

    *info = NULL;
    if (!c)
        return xsw_err_set(err, -ENOENT, "capture '%s' does not exist", name);
    capture_close(set, c, CAPTURE_STOPPED);
    *info = capture_json(c);
    dp_log(dp, XSW_LOG_INFO, "capture %s stopped: %llu packet(s) in %s",
           c->name, (unsigned long long) c->packets, c->path);
    capture_free(c);
    memmove(c, c + 1, (size_t) (set->caps + set->n - (c + 1)) * sizeof *c);
    set->n--;
    return 0;
}

json_t *
capture_list(struct dp *dp)
{
    struct capture_set *set = *dp_captures(dp);
    json_t *a = json_array();
    uint32_t i;

    for (i = 0; set && a && i < set->n; i++)
        json_array_append_new(a, capture_json(&set->caps[i]));
    return a;
}

void
capture_set_destroy(struct capture_set *set)
{
    uint32_t i;

    if (!set)
        return;
    for (i = 0; i < set->n; i++) {
        capture_close(set, &set->caps[i], CAPTURE_DONE);
        capture_free(&set->caps[i]);
    }
    pcap_close(set->dead);
    free(set);
}

void
capture_ext_replaced(struct dp *dp, const struct ext *old,
                     const struct ext *fresh)
{
    struct capture_set *set = *dp_captures(dp);
    uint32_t i;

    for (i = 0; set && i < set->n; i++) {
        struct capture *c = &set->caps[i];

        if (c->point != CAPTURE_EXT || c->ext != old)
            continue;
        c->ext = fresh;
        if (!fresh)
            capture_close(set, c, CAPTURE_DONE);
    }
}
