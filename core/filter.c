#include "filter.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The snap length filters are compiled for: every frame is whole. */
#define FILTER_SNAPLEN 65535

struct filter {
    struct bpf_program prog;
    char *text;
};

int
filter_compile(const char *expr, struct filter **filter, struct xsw_err *err)
{
    pcap_t *dead = pcap_open_dead(DLT_EN10MB, FILTER_SNAPLEN);
    struct filter *f = calloc(1, sizeof *f);
    int ret = 0;

    *filter = NULL;
    if (!dead || !f || !(f->text = strdup(expr))) {
        ret = xsw_err_set(err, -ENOMEM, "out of memory");
        goto out;
    }
    if (pcap_compile(dead, &f->prog, expr, 1, PCAP_NETMASK_UNKNOWN)) {
        ret = xsw_err_set(err, -EINVAL, "filter '%s': %s", expr,
                          pcap_geterr(dead));
        goto out;
    }
    *filter = f;
    f = NULL;
out:
    if (f)
        free(f->text);
    free(f);
    if (dead)
        pcap_close(dead);
    return ret;
}

bool
filter_match(const struct filter *f, const uint8_t *frame, uint32_t size)
{
    struct pcap_pkthdr h = {.caplen = size, .len = size};

    return pcap_offline_filter(&f->prog, &h, frame) != 0;
}

const char *
filter_text(const struct filter *f)
{
    return f->text;
}

void
filter_free(struct filter *f)
{
    if (!f)
        return;
    pcap_freecode(&f->prog);
    free(f->text);
    free(f);
}
