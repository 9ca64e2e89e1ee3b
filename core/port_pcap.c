/* pcap file ports: 'rx' frames are read from a capture file, 'tx' frames
 * are written to one.  Only Ethernet captures (DLT_EN10MB) are accepted;
 * nanosecond-precision files keep their precision on the switch clock.
 *
 * Both directions move PCAP_PORT_BUF (256 KiB) at a time: stdio's default
 * is one block (4 KiB on tmpfs), a system call every ~50 small frames, and
 * each costs more than a small frame's whole pipeline; and stdio's per-call
 * cost (libpcap makes two fread() or fwrite() calls a frame) was a sixth
 * of a replay's instructions.
 *
 * Input: libpcap opens and checks every file.  A plain pcap file (version
 * 2.4, micro- or nanosecond stamps, either byte order, on a descriptor
 * pread() reads) is then read by the port itself, a buffer at a time, its
 * records decoded exactly as libpcap decodes them (the same signed or
 * unsigned stamps, tests/unit/test-port-pcap.c compares the two record by
 * record).  At the first record it does not take (larger than the
 * snapshot length or the buffer, cut short, unreadable) it hands the rest
 * of the file to libpcap's reader, which truncates, or reports the damage
 * in its own words.  pcapng and other variants are libpcap's from the
 * start.
 *
 * Output: libpcap writes the file header; the records (libpcap's 16-byte
 * record header, host byte order as pcap_dump() writes it, then the frame)
 * are gathered in the port's buffer and written with write().
 *
 * A write that fails (a full disk, /dev/full) sets the port's output error.
 * From then on every frame is a transmit error; the frames still in the
 * buffer when the write failed were counted as sent, and every later flush
 * reports them lost (-EIO). */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drops.h"
#include "pkt.h"
#include "port.h"

#define PCAP_PORT_BUF (256u * 1024)

/* A record's header as stored in the file. */
struct pcap_rec_hdr {
    uint32_t sec, usec, caplen, len;
};

/* The records of a plain pcap file read by the port itself (see above). */
struct pcap_in {
    int fd;            /* The stream's descriptor, read with pread(). */
    bool nano;         /* Nanosecond time stamps in the file. */
    bool swapped;      /* The file's byte order is not ours. */
    uint32_t snaplen;  /* libpcap's snapshot length for the file. */
    uint8_t *buf;      /* PCAP_PORT_BUF bytes of the file ... */
    uint64_t buf_off;  /* ... from this offset; */
    uint32_t pos, len; /* the next record at 'pos', 'len' bytes held. */
};

struct pcap_port {
    pcap_t *rx;
    struct pcap_in *in;      /* The plain-file reader, or NULL: libpcap's. */
    struct pcap_pkthdr next; /* The peeked frame, if 'have_next'. */
    const u_char *next_data;
    bool have_next;
    uint64_t rx_file_size; /* For progress. */
    pcap_t *tx_dead;
    pcap_dumper_t *tx;
    bool tx_used; /* A frame was written to 'tx'. */
    char *rx_buf;  /* The input stream's buffer, freed after it. */
    uint8_t *out;  /* PCAP_PORT_BUF bytes of records not written yet. */
    size_t out_used;
    bool out_failed; /* A write failed: output is being lost. */
    char *rx_path;
};

/* glibc ignores setvbuf()'s size unless given the buffer.  Without one
 * (no memory) the stream keeps its default buffer. */
static void
set_buffer(FILE *fp, char **buf)
{
    *buf = malloc(PCAP_PORT_BUF);
    if (*buf)
        setvbuf(fp, *buf, _IOFBF, PCAP_PORT_BUF);
}

/* Creates the directories leading to 'path' (like mkdir -p). */
static int
make_parent_dirs(const char *path)
{
    char *copy = strdup(path), *p;
    int ret = 0;

    if (!copy)
        return -ENOMEM;
    for (p = strchr(copy + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        if (mkdir(copy, 0755) && errno != EEXIST) {
            ret = -errno;
            break;
        }
        *p = '/';
    }
    free(copy);
    return ret;
}

/* --- Input ------------------------------------------------------------ */

#define PCAP_MAGIC_US 0xa1b2c3d4u /* The file's first word: microseconds. */
#define PCAP_MAGIC_NS 0xa1b23c4du /* Nanoseconds. */

/* Sets up the port's own reader when the file is a plain pcap file
 * (version 2.4, micro- or nanosecond time stamps, either byte order) on
 * a descriptor pread() can read; pcapng, the old variants, pipes and a
 * lack of memory stay with libpcap's reader. */
static void
in_open(struct pcap_port *pp, FILE *fp)
{
    uint32_t magic;
    struct pcap_in *in;
    bool swapped = pcap_is_swapped(pp->rx) == 1;

    if (pcap_major_version(pp->rx) != 2 || pcap_minor_version(pp->rx) != 4 ||
        pread(fileno(fp), &magic, sizeof magic, 0) != sizeof magic)
        return;
    if (swapped)
        magic = __builtin_bswap32(magic);
    if (magic != PCAP_MAGIC_US && magic != PCAP_MAGIC_NS)
        return;
    in = calloc(1, sizeof *in);
    if (!in || !(in->buf = malloc(PCAP_PORT_BUF))) {
        free(in);
        return;
    }
    in->fd = fileno(fp);
    in->nano = magic == PCAP_MAGIC_NS;
    in->swapped = swapped;
    in->snaplen = (uint32_t) pcap_snapshot(pp->rx);
    in->buf_off = sizeof(struct pcap_file_header);
    pp->in = in;
}

static void
in_close(struct pcap_in *in)
{
    if (in)
        free(in->buf);
    free(in);
}

/* Holds at least 'need' (at most PCAP_PORT_BUF) bytes from the next
 * record on.  Returns 1, 0 at the end of the file first, -1 on an error. */
static int
in_fill(struct pcap_in *in, uint32_t need)
{
    uint32_t have = in->len - in->pos;
    ssize_t n;

    if (have >= need)
        return 1;
    memmove(in->buf, in->buf + in->pos, have);
    in->buf_off += in->pos;
    in->pos = 0;
    in->len = have;
    while (in->len < need) {
        n = pread(in->fd, in->buf + in->len, PCAP_PORT_BUF - in->len,
                  (off_t) (in->buf_off + in->len));
        if (n > 0)
            in->len += (uint32_t) n;
        else if (n == 0)
            return 0;
        else if (errno != EINTR)
            return -1;
    }
    return 1;
}

static uint32_t
in_word(const struct pcap_in *in, uint32_t w)
{
    return in->swapped ? __builtin_bswap32(w) : w;
}

static int64_t
in_stamp(const struct pcap_in *in, uint32_t w)
{
    return in->swapped ? (int64_t) __builtin_bswap32(w) : (int32_t) w;
}

/* Reads the next record as libpcap would (opened with nanosecond
 * precision) into pp->next.  Returns 1, 0 at the end of the input, or -1
 * for a record it leaves to libpcap: larger than the snapshot length or
 * the buffer, cut short, or unreadable. */
static int
in_next(struct pcap_port *pp)
{
    struct pcap_in *in = pp->in;
    struct pcap_rec_hdr h;
    int r = in_fill(in, sizeof h);

    if (r <= 0)
        return r == 0 && in->pos == in->len ? 0 : -1;
    memcpy(&h, in->buf + in->pos, sizeof h);
    h.caplen = in_word(in, h.caplen);
    if (h.caplen > in->snaplen || h.caplen > PCAP_PORT_BUF - sizeof h ||
        in_fill(in, (uint32_t) sizeof h + h.caplen) <= 0)
        return -1;
    /* libpcap's conversions: the fields are signed 32-bit values in a
     * file of this host's byte order (time stamps before 1970 or after
     * 2038 are negative), unsigned ones in a swapped file; microseconds
     * are scaled up. */
    pp->next.ts.tv_sec = in_stamp(in, h.sec);
    pp->next.ts.tv_usec = (suseconds_t) in_stamp(in, h.usec) *
                          (in->nano ? 1 : 1000);
    pp->next.caplen = h.caplen;
    pp->next.len = in_word(in, h.len);
    pp->next_data = in->buf + in->pos + sizeof h;
    in->pos += (uint32_t) sizeof h + h.caplen;
    return 1;
}

/* libpcap reads the next record, and every one after it: the port's
 * reader hands over for good at the first record it does not take (a
 * file that has one is rarely plain; handing back and forth would make
 * both readers refill their buffers at every record).  Returns
 * pcap_next_ex()'s 1, -1 (damaged) or -2 (the end). */
static int
libpcap_next(struct pcap_port *pp)
{
    FILE *fp = pcap_file(pp->rx);
    struct pcap_pkthdr *h;
    int r;

    if (pp->in) {
        r = fseeko(fp, (off_t) (pp->in->buf_off + pp->in->pos), SEEK_SET);
        in_close(pp->in);
        pp->in = NULL;
        if (r) /* Not on a file pread() could read. */
            return -1;
    }
    r = pcap_next_ex(pp->rx, &h, &pp->next_data);
    if (r == 1)
        pp->next = *h;
    return r;
}

static int
open_rx(struct pcap_port *pp, const struct port_config *cfg,
        struct xsw_err *err)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    struct stat st;
    FILE *fp;
    int dlt;

    fp = fopen(cfg->rx, "rb");
    if (!fp)
        return cfg_node_error(cfg_node_get(cfg->node, "rx"), err, -errno,
                              "%s: %s", cfg->rx, strerror(errno));
    set_buffer(fp, &pp->rx_buf);
    pp->rx = pcap_fopen_offline_with_tstamp_precision(
        fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!pp->rx) {
        fclose(fp);
        return cfg_node_error(cfg_node_get(cfg->node, "rx"), err, -EINVAL,
                              "%s: %s", cfg->rx, errbuf);
    }
    dlt = pcap_datalink(pp->rx);
    if (dlt != DLT_EN10MB)
        return cfg_node_error(cfg_node_get(cfg->node, "rx"), err, -EINVAL,
                              "%s: link type %s is not Ethernet "
                              "(EN10MB)",
                              cfg->rx,
                              pcap_datalink_val_to_name(dlt)
                                  ? pcap_datalink_val_to_name(dlt)
                                  : "unknown");
    in_open(pp, fp);
    if (!stat(cfg->rx, &st))
        pp->rx_file_size = (uint64_t) st.st_size;
    pp->rx_path = strdup(cfg->rx);
    return pp->rx_path ? 0 : -ENOMEM;
}

static int
open_tx(struct pcap_port *pp, const struct port_config *cfg,
        struct xsw_err *err)
{
    int ret = make_parent_dirs(cfg->tx);
    FILE *fp;

    if (ret)
        return cfg_node_error(cfg_node_get(cfg->node, "tx"), err, ret,
                              "%s: cannot create its directory: %s", cfg->tx,
                              strerror(-ret));
    pp->tx_dead = pcap_open_dead_with_tstamp_precision(
        DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_MICRO);
    if (!pp->tx_dead)
        return xsw_err_set(err, -ENOMEM, "out of memory");
    fp = fopen(cfg->tx, "wb");
    if (!fp)
        return cfg_node_error(cfg_node_get(cfg->node, "tx"), err, -errno,
                              "%s: %s", cfg->tx, strerror(errno));
    pp->tx = pcap_dump_fopen(pp->tx_dead, fp);
    if (!pp->tx) /* libpcap closed 'fp'. */
        return cfg_node_error(cfg_node_get(cfg->node, "tx"), err, -EIO, "%s",
                              pcap_geterr(pp->tx_dead));
    pp->out = malloc(PCAP_PORT_BUF);
    return pp->out ? 0 : xsw_err_set(err, -ENOMEM, "out of memory");
}

static int
pcap_port_open(struct port *port, const struct port_config *cfg,
               struct xsw_err *err)
{
    struct pcap_port *pp = calloc(1, sizeof *pp);
    int ret = 0;

    if (!pp)
        return xsw_err_set(err, -ENOMEM, "out of memory");
    port->priv = pp;
    if (cfg->rx && (ret = open_rx(pp, cfg, err)))
        return ret;
    if (cfg->tx && (ret = open_tx(pp, cfg, err)))
        return ret;
    port->rx_done = !pp->rx;
    return 0;
}

/* Writes out the buffered records; false once output has failed. */
static bool
out_write(struct pcap_port *pp)
{
    FILE *fp = pcap_dump_file(pp->tx);
    size_t done = 0;
    ssize_t n;

    /* The file header, still in the stream, goes first. */
    if (fflush(fp))
        pp->out_failed = true;
    while (done < pp->out_used && !pp->out_failed) {
        n = write(fileno(fp), pp->out + done, pp->out_used - done);
        if (n > 0)
            done += (size_t) n;
        else if (n == 0 || errno != EINTR)
            pp->out_failed = true;
    }
    pp->out_used = 0;
    return !pp->out_failed;
}

static int
pcap_port_flush(struct port *port)
{
    struct pcap_port *pp = port->priv;

    if (pp->tx && !out_write(pp))
        return -EIO;
    return 0;
}

static void
pcap_port_close(struct port *port)
{
    struct pcap_port *pp = port->priv;

    if (!pp)
        return;
    in_close(pp->in);
    if (pp->rx)
        pcap_close(pp->rx);
    if (pp->tx) {
        /* The switch flushes before it closes, and reports a loss; this
         * catches a close without that flush.  A port that wrote no frame
         * (the switch failed to start) has nothing to report. */
        if (pcap_port_flush(port) && pp->tx_used && !port->tx_error_logged)
            fprintf(stderr,
                    "xswd: error: port %s: output lost: cannot write %s\n",
                    port->name, port->cfg->tx);
        pcap_dump_close(pp->tx);
    }
    if (pp->tx_dead)
        pcap_close(pp->tx_dead);
    free(pp->rx_buf);
    free(pp->out);
    free(pp->rx_path);
    free(pp);
    port->priv = NULL;
}

static uint64_t
hdr_ts_ns(const struct pcap_pkthdr *h)
{
    /* Opened with nanosecond precision, tv_usec holds nanoseconds. */
    return (uint64_t) h->ts.tv_sec * 1000000000ull + (uint64_t) h->ts.tv_usec;
}

static int
pcap_port_rx_peek(struct port *port, uint64_t *ts_ns)
{
    struct pcap_port *pp = port->priv;
    int r;

    if (!pp->rx)
        return -ENOENT;
    if (!pp->have_next) {
        r = pp->in ? in_next(pp) : -1;
        if (r < 0)
            r = libpcap_next(pp);
        else if (r == 0)
            r = -2;
        if (r != 1) {
            /* -2: end of file; -1: a damaged file, which ends input
             * too, and the replay fails (the switch stops reading the
             * port at the first non-zero return). */
            if (r != -1)
                return -ENOENT;
            fprintf(stderr, "xswd: port %s: %s: %s (input ends here)\n",
                    port->name, pp->rx_path, pcap_geterr(pp->rx));
            return -EBADMSG;
        }
        pp->have_next = true;
    }
    *ts_ns = hdr_ts_ns(&pp->next);
    return 0;
}

static int
pcap_port_rx(struct port *port, struct pkt *pkt)
{
    struct pcap_port *pp = port->priv;
    const struct pcap_pkthdr *h = &pp->next;
    uint64_t ts;

    if (pcap_port_rx_peek(port, &ts))
        return -ENOENT;
    pp->have_next = false;
    pkt->p.ts_ns = ts;
    if (h->caplen < h->len)
        return DROP_TRUNCATED;
    if (h->caplen > PKT_FRAME_MAX)
        return DROP_OVERSIZE;
    memcpy(pkt->p.data, pp->next_data, h->caplen);
    pkt->p.size = h->caplen;
    pkt->p.tailroom = (uint16_t) (PKT_FRAME_MAX + PKT_TAILROOM - h->caplen);
    return 0;
}

static int
pcap_port_tx(struct port *port, const uint8_t *frame, uint32_t size,
             uint64_t ts_ns)
{
    struct pcap_port *pp = port->priv;
    struct pcap_rec_hdr h;

    if (!pp->tx)
        return 0; /* A port without a tx file discards what it sends. */
    pp->tx_used = true;
    if (pp->out_used + sizeof h + size > PCAP_PORT_BUF && !out_write(pp))
        return -EIO;
    if (pp->out_failed)
        return -EIO;
    /* Seconds wrap in 2106, as libpcap's own 32-bit field does. */
    h.sec = (uint32_t) (ts_ns / 1000000000ull);
    h.usec = (uint32_t) (ts_ns % 1000000000ull / 1000);
    h.caplen = h.len = size;
    memcpy(pp->out + pp->out_used, &h, sizeof h);
    memcpy(pp->out + pp->out_used + sizeof h, frame, size);
    pp->out_used += sizeof h + size;
    return 0;
}

static void
pcap_port_rx_position(struct port *port, uint64_t *done, uint64_t *total)
{
    struct pcap_port *pp = port->priv;
    long pos = pp->in   ? (long) (pp->in->buf_off + pp->in->pos)
               : pp->rx ? ftell(pcap_file(pp->rx))
                        : -1;

    *total = pp->rx_file_size;
    *done = pos < 0 ? pp->rx_file_size : (uint64_t) pos;
}

const struct port_ops port_pcap_ops = {
    .type = "pcap",
    .open = pcap_port_open,
    .close = pcap_port_close,
    .rx_peek = pcap_port_rx_peek,
    .rx = pcap_port_rx,
    .tx = pcap_port_tx,
    .rx_position = pcap_port_rx_position,
    .flush = pcap_port_flush,
};
