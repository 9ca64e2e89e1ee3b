#include "mirror.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct mirror {
    pcap_t *dead; /* Link type and snaplen for the dump file. */
    struct bpf_program prog;
    pcap_dumper_t *dumper; /* NULL until mirror_start(). */
    char *path;            /* Owned. */
    uint32_t snaplen;
};

static int check_creatable(const char *path);

int
mirror_create(const struct mirror_settings *set, struct mirror **out,
              char *why, size_t why_size)
{
    struct mirror *m;
    int ret;

    m = calloc(1, sizeof(*m));
    if (!m || !(m->path = strdup(set->path))) {
        snprintf(why, why_size, "out of memory");
        ret = -ENOMEM;
        goto err_free;
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
    ret = check_creatable(set->path);
    if (ret) {
        snprintf(why, why_size, "%s: %s", set->path, strerror(-ret));
        goto err_freecode;
    }
    *out = m;
    return 0;

err_freecode:
    pcap_freecode(&m->prog);
err_close_dead:
    pcap_close(m->dead);
err_free:
    if (m)
        free(m->path);
    free(m);
    return ret;
}

int
mirror_start(struct mirror *m, char *why, size_t why_size)
{
    FILE *f;
    int ret;

    if (m->dumper)
        return 0;
    /* fopen() ourselves: pcap_dump_open() does not keep errno for us. */
    f = fopen(m->path, "wb");
    if (!f) {
        ret = -errno;
        snprintf(why, why_size, "%s: %s", m->path, strerror(errno));
        return ret;
    }
    m->dumper = pcap_dump_fopen(m->dead, f);
    if (!m->dumper) {
        snprintf(why, why_size, "%s: %s", m->path, pcap_geterr(m->dead));
        fclose(f);
        return -EIO;
    }
    return 0;
}

bool
mirror_match(const struct mirror *m, const struct xsw_packet *pkt)
{
    struct pcap_pkthdr hdr = {.caplen = pkt->size, .len = pkt->size};

    return pcap_offline_filter(&m->prog, &hdr, pkt->data) != 0;
}

bool
mirror_write(struct mirror *m, const struct xsw_packet *pkt)
{
    struct pcap_pkthdr hdr;

    if (!m->dumper)
        return false;
    hdr.ts.tv_sec = (time_t) (pkt->ts_ns / 1000000000u);
    hdr.ts.tv_usec = (suseconds_t) (pkt->ts_ns % 1000000000u / 1000u);
    hdr.len = pkt->size;
    hdr.caplen = pkt->size < m->snaplen ? pkt->size : m->snaplen;
    pcap_dump((u_char *) m->dumper, &hdr, pkt->data);
    return true;
}

void
mirror_close(struct mirror *m)
{
    if (!m)
        return;
    if (m->dumper)
        pcap_dump_close(m->dumper);
    pcap_freecode(&m->prog);
    pcap_close(m->dead);
    free(m->path);
    free(m);
}

/* Could fopen(path, "wb") succeed?  Asked of the file if it exists, else
 * of its directory, so that nothing is created or truncated.  Returns 0 or
 * the -errno fopen() would most likely fail with. */
static int
check_creatable(const char *path)
{
    char *dir, *slash;
    struct stat st;
    int ret = 0;

    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return -EISDIR;
        return access(path, W_OK) == 0 ? 0 : -errno;
    }
    if (errno != ENOENT)
        return -errno;
    dir = strdup(path);
    if (!dir)
        return -ENOMEM;
    slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    if (access(dir, W_OK | X_OK) != 0)
        ret = -errno;
    free(dir);
    return ret;
}
