#include "mirror.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mirror {
    pcap_t *dead; /* Link type and snaplen for the dump file. */
    struct bpf_program prog;
    pcap_dumper_t *dumper;
    uint32_t snaplen;
};

int
mirror_open(const struct mirror_settings *set, struct mirror **out, char *why,
            size_t why_size)
{
    struct mirror *m;
    FILE *f;
    int ret;

    m = calloc(1, sizeof(*m));
    if (!m) {
        snprintf(why, why_size, "out of memory");
        return -ENOMEM;
    }
    m->snaplen = set->snaplen;
    m->dead = pcap_open_dead(DLT_EN10MB, (int) set->snaplen);
    if (!m->dead) {
        snprintf(why, why_size, "out of memory");
        ret = -ENOMEM;
        goto err_free;
    }
    if (pcap_compile(m->dead, &m->prog, set->filter, 1,
                     PCAP_NETMASK_UNKNOWN) != 0) {
        snprintf(why, why_size, "%s", pcap_geterr(m->dead));
        ret = -EINVAL;
        goto err_close_dead;
    }
    /* fopen() ourselves: pcap_dump_open() does not keep errno for us. */
    f = fopen(set->path, "wb");
    if (!f) {
        ret = -errno;
        snprintf(why, why_size, "%s: %s", set->path, strerror(errno));
        goto err_freecode;
    }
    m->dumper = pcap_dump_fopen(m->dead, f);
    if (!m->dumper) {
        snprintf(why, why_size, "%s: %s", set->path, pcap_geterr(m->dead));
        fclose(f);
        ret = -EIO;
        goto err_freecode;
    }
    *out = m;
    return 0;

err_freecode:
    pcap_freecode(&m->prog);
err_close_dead:
    pcap_close(m->dead);
err_free:
    free(m);
    return ret;
}

bool
mirror_match(const struct mirror *m, const struct xsw_packet *pkt)
{
    struct pcap_pkthdr hdr = {.caplen = pkt->size, .len = pkt->size};

    return pcap_offline_filter(&m->prog, &hdr, pkt->data) != 0;
}

void
mirror_write(struct mirror *m, const struct xsw_packet *pkt)
{
    struct pcap_pkthdr hdr;

    hdr.ts.tv_sec = (time_t) (pkt->ts_ns / 1000000000u);
    hdr.ts.tv_usec = (suseconds_t) (pkt->ts_ns % 1000000000u / 1000u);
    hdr.len = pkt->size;
    hdr.caplen = pkt->size < m->snaplen ? pkt->size : m->snaplen;
    pcap_dump((u_char *) m->dumper, &hdr, pkt->data);
}

void
mirror_close(struct mirror *m)
{
    if (!m)
        return;
    pcap_dump_close(m->dumper);
    pcap_freecode(&m->prog);
    pcap_close(m->dead);
    free(m);
}
