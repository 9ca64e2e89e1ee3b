/* pcap file ports: 'rx' frames are read from a capture file, 'tx' frames
 * are written to one.  Only Ethernet captures (DLT_EN10MB) are accepted;
 * nanosecond-precision files keep their precision on the switch clock.
 *
 * Output goes through stdio's buffer, so a write that fails (a full disk,
 * /dev/full) shows up as the stream's error flag, not as pcap_dump()'s
 * result (it has none).  From the first failed write on, every frame is a
 * transmit error; the frames still in the buffer when the write failed
 * were counted as sent, and the flush reports them lost (-EIO).  glibc
 * empties the buffer after a failed write, so fflush() alone would succeed
 * afterwards: the flush checks the error flag too. */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "drops.h"
#include "pkt.h"
#include "port.h"

struct pcap_port {
    pcap_t *rx;
    struct pcap_pkthdr *next_hdr; /* Peeked frame, or NULL. */
    const u_char *next_data;
    uint64_t rx_file_size; /* For progress. */
    pcap_t *tx_dead;
    pcap_dumper_t *tx;
    bool tx_used; /* A frame was written to 'tx'. */
    char *rx_path;
};

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

static int
open_rx(struct pcap_port *pp, const struct port_config *cfg,
        struct xsw_err *err)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    struct stat st;
    int dlt;

    pp->rx = pcap_open_offline_with_tstamp_precision(
        cfg->rx, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!pp->rx) {
        size_t n = strlen(cfg->rx);
        /* libpcap names the file in some of its messages, not all. */
        const char *why = !strncmp(errbuf, cfg->rx, n) && errbuf[n] == ':'
                              ? errbuf + n + 2
                              : errbuf;

        return cfg_node_error(cfg_node_get(cfg->node, "rx"), err, -EINVAL,
                              "%s: %s", cfg->rx, why);
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

    if (ret)
        return cfg_node_error(cfg_node_get(cfg->node, "tx"), err, ret,
                              "%s: cannot create its directory: %s", cfg->tx,
                              strerror(-ret));
    pp->tx_dead = pcap_open_dead_with_tstamp_precision(
        DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_MICRO);
    if (!pp->tx_dead)
        return xsw_err_set(err, -ENOMEM, "out of memory");
    pp->tx = pcap_dump_open(pp->tx_dead, cfg->tx);
    if (!pp->tx)
        return cfg_node_error(cfg_node_get(cfg->node, "tx"), err, -EIO, "%s",
                              pcap_geterr(pp->tx_dead));
    return 0;
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

static int
pcap_port_flush(struct port *port)
{
    struct pcap_port *pp = port->priv;

    if (pp->tx && (pcap_dump_flush(pp->tx) || ferror(pcap_dump_file(pp->tx))))
        return -EIO;
    return 0;
}

static void
pcap_port_close(struct port *port)
{
    struct pcap_port *pp = port->priv;

    if (!pp)
        return;
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
    if (!pp->next_hdr) {
        r = pcap_next_ex(pp->rx, &pp->next_hdr, &pp->next_data);
        if (r != 1) {
            /* -2: end of file; -1: a damaged file, which ends input
             * too, and the replay fails (the switch stops reading the
             * port at the first non-zero return). */
            pp->next_hdr = NULL;
            if (r != -1)
                return -ENOENT;
            fprintf(stderr, "xswd: port %s: %s: %s (input ends here)\n",
                    port->name, pp->rx_path, pcap_geterr(pp->rx));
            return -EBADMSG;
        }
    }
    *ts_ns = hdr_ts_ns(pp->next_hdr);
    return 0;
}

static int
pcap_port_rx(struct port *port, struct pkt *pkt)
{
    struct pcap_port *pp = port->priv;
    const struct pcap_pkthdr *h;
    uint64_t ts;

    if (pcap_port_rx_peek(port, &ts))
        return -ENOENT;
    h = pp->next_hdr;
    pp->next_hdr = NULL;
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
    struct pcap_pkthdr h;

    if (!pp->tx)
        return 0; /* A port without a tx file discards what it sends. */
    h.ts.tv_sec = (time_t) (ts_ns / 1000000000ull);
    h.ts.tv_usec = (suseconds_t) (ts_ns % 1000000000ull / 1000);
    h.caplen = h.len = size;
    pcap_dump((u_char *) pp->tx, &h, frame);
    pp->tx_used = true;
    return ferror(pcap_dump_file(pp->tx)) ? -EIO : 0;
}

static void
pcap_port_rx_position(struct port *port, uint64_t *done, uint64_t *total)
{
    struct pcap_port *pp = port->priv;
    long pos = pp->rx ? ftell(pcap_file(pp->rx)) : -1;

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
