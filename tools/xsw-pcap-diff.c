/* xsw-pcap-diff: pcap files as one line a frame, and compared
 * ============================================================
 * Replay tests keep the expected output of the switch as text, one line per
 * frame ('--dump'), so that a reviewer reads what the switch sent and a
 * failing test shows which frame changed and how:
 *
 *   #1 0.000100 60B 00:00:00:00:00:01>ff:ff:ff:ff:ff:ff vlan 10 ipv4
 *      10.0.0.1>10.0.0.2 ttl 64 udp 1000>2000 payload 18 crc 1a2b3c4d
 *
 * (one line in the output).  Every line ends in a CRC-32 of the captured
 * bytes, so two frames with equal lines are equal frames, whatever the
 * decoded fields leave out.  The compare mode reports the first frame that
 * differs by both its lines.
 *
 * Frames are decoded by the switch's own parser (core/parse.h), so a dump
 * shows what the switch saw, malformations included: each parse flag
 * appears as a word ('l3-trunc').  The checksums, though, are verified here,
 * independently of the switch, because tests use this tool to check the
 * checksums the switch (or an extension rewriting headers) produced.
 *
 * The output is stable: it depends only on the bytes and timestamps in the
 * file.  docs/tools.md documents every word. */
#include "parse.h"

#include <xsw/csum.h>
#include <xsw/packet.h>

#include <arpa/inet.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exit status. */
enum { DIFF_SAME = 0, DIFF_DIFFERENT = 1, DIFF_ERROR = 2 };

/* A line under construction; overflow truncates (a line is never near
 * the size: two IPv6 addresses and some words). */
struct line {
    char s[1024];
    size_t n;
};

static void line_add(struct line *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
line_add(struct line *l, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (l->n >= sizeof l->s - 1)
        return;
    va_start(ap, fmt);
    n = vsnprintf(l->s + l->n, sizeof l->s - l->n, fmt, ap);
    va_end(ap);
    if (n > 0)
        l->n += (size_t) n;
    if (l->n > sizeof l->s - 1)
        l->n = sizeof l->s - 1;
}

/* One frame as read: the parser's view plus the capture header. */
struct frame {
    const struct pcap_pkthdr *hdr;
    struct xsw_packet pkt; /* data/size: the captured bytes. */
};

/* ---- CRC-32 ------------------------------------------------------------ */

/* IEEE 802.3 / zlib CRC-32, so a line's crc can be checked with any tool
 * ('crc32' of the captured bytes). */
static uint32_t
crc32_bytes(const uint8_t *p, size_t size)
{
    static uint32_t table[256];
    uint32_t c = 0xffffffffu;
    size_t i;
    int k;

    if (!table[1])
        for (i = 0; i < 256; i++) {
            c = (uint32_t) i;
            for (k = 0; k < 8; k++)
                c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    c = 0xffffffffu;
    for (i = 0; i < size; i++)
        c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

/* ---- Checksums --------------------------------------------------------- */

/* Whether the one's-complement sum over the covered data (checksum field
 * included) is all ones, which is what a correct checksum gives. */
static bool
is_sum_ok(uint32_t sum)
{
    return xsw_csum_fold(sum) == 0;
}

static bool
is_ipv4_csum_ok(const struct xsw_packet *pkt)
{
    const uint8_t *ip = pkt->data + pkt->l3_ofs;

    return is_sum_ok(xsw_csum_add(0, ip, (ip[0] & 0x0fu) * 4u));
}

static uint32_t
pseudo_sum(const struct xsw_packet *pkt, uint8_t proto, uint32_t l4_size)
{
    size_t addr_size = pkt->ip_version == 4 ? 4 : 16;
    uint32_t sum = proto + (l4_size & 0xffff) + (l4_size >> 16);

    sum = xsw_csum_add(sum, pkt->src_ip, addr_size);
    return xsw_csum_add(sum, pkt->dst_ip, addr_size);
}

/* Whether the L4 checksum can be verified at all: the whole datagram must
 * be in the capture, and a fragment's checksum covers the reassembled
 * datagram, not this piece. */
static bool
can_verify_l4(const struct xsw_packet *pkt)
{
    return pkt->l4_ofs != XSW_OFS_NONE &&
           !(pkt->flags &
             (XSW_PKT_F_IP_FRAG | XSW_PKT_F_L3_TRUNC | XSW_PKT_F_L4_TRUNC));
}

/* Whether the TCP/UDP/ICMP/ICMPv6 checksum is wrong (false when it cannot
 * be verified). */
static bool
is_l4_csum_bad(const struct xsw_packet *pkt)
{
    const uint8_t *l4 = pkt->data + pkt->l4_ofs;
    uint32_t size, udp_size;

    if (!can_verify_l4(pkt))
        return false;
    size = parse_ip_end(pkt) - pkt->l4_ofs;
    switch (pkt->ip_proto) {
    case 6:
        return !is_sum_ok(xsw_csum_add(pseudo_sum(pkt, 6, size), l4, size));
    case 17:
        /* Over IPv4, 0 means "no checksum"; over IPv6 it is mandatory. */
        if (xsw_rd16(l4 + 6) == 0)
            return pkt->ip_version == 6;
        udp_size = xsw_rd16(l4 + 4);
        if (udp_size < 8 || udp_size > size)
            return false; /* A bad length, not a checksum to judge. */
        return !is_sum_ok(
            xsw_csum_add(pseudo_sum(pkt, 17, udp_size), l4, udp_size));
    case 1:
        return !is_sum_ok(xsw_csum_add(0, l4, size));
    case 58:
        return !is_sum_ok(xsw_csum_add(pseudo_sum(pkt, 58, size), l4, size));
    default:
        return false;
    }
}

/* ---- Describing a frame ------------------------------------------------ */

static void
add_mac(struct line *l, const uint8_t *m)
{
    line_add(l, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
             m[5]);
}

static void
add_addrs(struct line *l, const struct xsw_packet *pkt, int family)
{
    char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

    inet_ntop(family, pkt->src_ip, a, sizeof a);
    inet_ntop(family, pkt->dst_ip, b, sizeof b);
    line_add(l, " %s>%s", a, b);
}

static void
describe_tags(struct line *l, const struct xsw_packet *pkt)
{
    const uint8_t *tag;
    uint16_t tci;
    int i;

    for (i = 0; i < pkt->n_tags; i++) {
        tag = pkt->data + 12 + 4 * i;
        tci = xsw_rd16(tag + 2);
        line_add(l, " %s %u", xsw_rd16(tag) == 0x88a8 ? "svlan" : "vlan",
                 tci & 0x0fffu);
        if (tci >> 13)
            line_add(l, " pcp %u", tci >> 13);
        if (tci & 0x1000)
            line_add(l, " dei");
    }
}

static void
describe_arp(struct line *l, const struct xsw_packet *pkt)
{
    uint16_t op = xsw_rd16(pkt->data + pkt->l3_ofs + 6);

    if (op == 1)
        line_add(l, " arp request");
    else if (op == 2)
        line_add(l, " arp reply");
    else
        line_add(l, " arp op %u", op);
    add_addrs(l, pkt, AF_INET);
}

static void
describe_ip(struct line *l, const struct xsw_packet *pkt)
{
    if (pkt->ip_version == 4) {
        line_add(l, " ipv4");
        add_addrs(l, pkt, AF_INET);
        line_add(l, " ttl %u", pkt->ip_ttl);
        if (pkt->ip_tos)
            line_add(l, " tos 0x%02x", pkt->ip_tos);
    } else {
        line_add(l, " ipv6");
        add_addrs(l, pkt, AF_INET6);
        line_add(l, " hlim %u", pkt->ip_ttl);
        if (pkt->ip_tos)
            line_add(l, " tc 0x%02x", pkt->ip_tos);
    }
}

/* tcpdump's letters, in tcpdump's order: FIN SYN RST PSH ACK(.) URG ECE
 * CWR(W); "none" for none. */
static void
describe_tcp(struct line *l, const struct xsw_packet *pkt)
{
    static const char letters[] = "FSRP.UEW";
    const uint8_t *th = pkt->data + pkt->l4_ofs;
    char flags[9];
    int i, n = 0;

    for (i = 0; i < 8; i++)
        if (pkt->tcp_flags & (1u << i))
            flags[n++] = letters[i];
    flags[n] = '\0';
    line_add(l, " tcp %u>%u [%s] seq %u", pkt->src_port, pkt->dst_port,
             n ? flags : "none",
             (unsigned) xsw_rd16(th + 4) << 16 | xsw_rd16(th + 6));
    if (pkt->tcp_flags & XSW_TCP_ACK)
        line_add(l, " ack %u",
                 (unsigned) xsw_rd16(th + 8) << 16 | xsw_rd16(th + 10));
}

struct icmp_name {
    uint8_t type;
    const char *name;
    const char *const *codes; /* By code; NULL-ended; NULL if none. */
};

static const char *const icmp_unreach_codes[] = {
    "net",      "host",         "proto",          "port",
    "needfrag", "srcfail",      "net-unknown",    "host-unknown",
    "isolated", "net-prohib",   "host-prohib",    "net-tos",
    "host-tos", "admin-prohib", "prec-violation", "prec-cutoff",
    NULL};
static const char *const icmp_exceeded_codes[] = {"ttl", "reassembly", NULL};
static const char *const icmp6_unreach_codes[] = {
    "noroute", "admin-prohib", "beyond-scope", "addr",
    "port",    "policy",       "reject-route", NULL};
static const char *const icmp6_exceeded_codes[] = {"hlim", "reassembly", NULL};

static const struct icmp_name icmp_names[] = {
    {0, "echo-reply", NULL},       {3, "unreach", icmp_unreach_codes},
    {4, "source-quench", NULL},    {5, "redirect", NULL},
    {8, "echo-request", NULL},     {11, "time-exceeded", icmp_exceeded_codes},
    {12, "param-problem", NULL},   {13, "timestamp-request", NULL},
    {14, "timestamp-reply", NULL},
};
static const struct icmp_name icmp6_names[] = {
    {1, "unreach", icmp6_unreach_codes},
    {2, "packet-too-big", NULL},
    {3, "time-exceeded", icmp6_exceeded_codes},
    {4, "param-problem", NULL},
    {128, "echo-request", NULL},
    {129, "echo-reply", NULL},
    {133, "router-solicit", NULL},
    {134, "router-advert", NULL},
    {135, "neighbor-solicit", NULL},
    {136, "neighbor-advert", NULL},
    {137, "redirect", NULL},
};

static const struct icmp_name *
icmp_lookup(const struct icmp_name *names, size_t n, uint8_t type)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (names[i].type == type)
            return &names[i];
    return NULL;
}

static const char *
icmp_code_name(const struct icmp_name *name, uint8_t code)
{
    size_t i;

    if (!name->codes)
        return NULL;
    for (i = 0; name->codes[i]; i++)
        if (i == code)
            return name->codes[i];
    return NULL;
}

static bool
is_icmp_echo(bool v6, uint8_t type)
{
    return v6 ? type == 128 || type == 129 : type == 0 || type == 8;
}

/* ICMP and ICMPv6: the type's name, the code's name (or number when not
 * 0), id/seq of echoes, the target of neighbor discovery. */
static void
describe_icmp(struct line *l, const struct xsw_packet *pkt)
{
    bool v6 = pkt->ip_proto == 58;
    const uint8_t *h = pkt->data + pkt->l4_ofs;
    uint8_t type = h[0], code = h[1];
    const struct icmp_name *name;
    const char *code_name;
    char target[INET6_ADDRSTRLEN];

    name = v6 ? icmp_lookup(icmp6_names,
                            sizeof icmp6_names / sizeof icmp6_names[0], type)
              : icmp_lookup(icmp_names,
                            sizeof icmp_names / sizeof icmp_names[0], type);
    line_add(l, " %s", v6 ? "icmp6" : "icmp");
    if (!name) {
        line_add(l, " type %u code %u", type, code);
        return;
    }
    line_add(l, " %s", name->name);
    code_name = icmp_code_name(name, code);
    if (code_name)
        line_add(l, " %s", code_name);
    else if (code)
        line_add(l, " code %u", code);
    if (is_icmp_echo(v6, type))
        line_add(l, " id %u seq %u", xsw_rd16(h + 4), xsw_rd16(h + 6));
    if (v6 && (type == 135 || type == 136) &&
        parse_ip_end(pkt) >= pkt->l4_ofs + 24u) {
        inet_ntop(AF_INET6, h + 8, target, sizeof target);
        line_add(l, " %s", target);
    }
}

static const char *
proto_name(uint8_t proto)
{
    switch (proto) {
    case 6:
        return "tcp";
    case 17:
        return "udp";
    case 1:
        return "icmp";
    case 58:
        return "icmp6";
    default:
        return NULL;
    }
}

static void
describe_l4(struct line *l, const struct xsw_packet *pkt)
{
    const char *name = proto_name(pkt->ip_proto);

    if (pkt->l4_ofs == XSW_OFS_NONE) {
        /* Not parsed: another protocol, a later fragment, cut short. */
        if (name)
            line_add(l, " %s", name);
        else
            line_add(l, " proto %u", pkt->ip_proto);
        return;
    }
    switch (pkt->ip_proto) {
    case 6:
        describe_tcp(l, pkt);
        break;
    case 17:
        line_add(l, " udp %u>%u", pkt->src_port, pkt->dst_port);
        break;
    default:
        describe_icmp(l, pkt);
        break;
    }
}

/* The L3 layer and what is inside, as far as the parser got. */
static void
describe_l3(struct line *l, const struct xsw_packet *pkt)
{
    if (pkt->ip_version) {
        describe_ip(l, pkt);
        describe_l4(l, pkt);
        return;
    }
    if (pkt->l3_ofs != XSW_OFS_NONE) {
        describe_arp(l, pkt);
        return;
    }
    switch (pkt->ethertype) {
    case 0x0800:
        line_add(l, " ipv4");
        break;
    case 0x86dd:
        line_add(l, " ipv6");
        break;
    case 0x0806:
        line_add(l, " arp");
        break;
    default:
        line_add(l, " type 0x%04x", pkt->ethertype);
        break;
    }
}

/* The parser's complaints, named after the XSW_PKT_F_* bits. */
static void
describe_flags(struct line *l, uint32_t flags)
{
    static const struct {
        uint32_t bit;
        const char *word;
    } words[] = {
        {XSW_PKT_F_L2_TRUNC, "l2-trunc"}, {XSW_PKT_F_TAGS_DEEP, "tags-deep"},
        {XSW_PKT_F_L3_TRUNC, "l3-trunc"}, {XSW_PKT_F_L3_BAD, "l3-bad"},
        {XSW_PKT_F_L4_TRUNC, "l4-trunc"}, {XSW_PKT_F_IP_FRAG, "ip-frag"},
        {XSW_PKT_F_IP_LATER, "ip-later"}, {XSW_PKT_F_EXT_DEEP, "ext-deep"},
    };
    size_t i;

    for (i = 0; i < sizeof words / sizeof words[0]; i++)
        if (flags & words[i].bit)
            line_add(l, " %s", words[i].word);
}

static void
describe_frame(struct line *l, unsigned long index, const struct frame *f)
{
    const struct pcap_pkthdr *h = f->hdr;
    const struct xsw_packet *pkt = &f->pkt;
    uint32_t payload;

    l->n = 0;
    l->s[0] = '\0';
    line_add(l, "#%lu %ld.%06ld ", index, (long) h->ts.tv_sec,
             (long) h->ts.tv_usec);
    if (h->caplen < h->len)
        line_add(l, "caplen %u<len %u", h->caplen, h->len);
    else
        line_add(l, "%uB", h->len);
    if (pkt->size >= 14) {
        line_add(l, " ");
        add_mac(l, pkt->data + 6);
        line_add(l, ">");
        add_mac(l, pkt->data);
        describe_tags(l, pkt);
        if (!(pkt->flags & (XSW_PKT_F_TAGS_DEEP | XSW_PKT_F_L2_TRUNC)))
            describe_l3(l, pkt);
    }
    payload = parse_payload_size(pkt);
    if (payload)
        line_add(l, " payload %u", payload);
    describe_flags(l, pkt->flags);
    if (pkt->ip_version == 4 && !is_ipv4_csum_ok(pkt))
        line_add(l, " bad-ip-csum");
    if (is_l4_csum_bad(pkt))
        line_add(l, " bad-l4-csum");
    line_add(l, " crc %08x", crc32_bytes(pkt->data, pkt->size));
}

/* ---- Reading files ----------------------------------------------------- */

struct reader {
    const char *path;
    pcap_t *pcap;
    unsigned long n_frames; /* Read so far. */
};

/* libpcap's messages sometimes start with the file name already. */
static void
print_error(const char *path, const char *reason)
{
    size_t n = strlen(path);

    if (!strncmp(reason, path, n) && !strncmp(reason + n, ": ", 2))
        fprintf(stderr, "%s\n", reason);
    else
        fprintf(stderr, "%s: %s\n", path, reason);
}

static int
reader_open(struct reader *r, const char *path)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    char reason[96];
    const char *name;

    r->path = path;
    r->n_frames = 0;
    r->pcap = pcap_open_offline(path, errbuf);
    if (!r->pcap) {
        print_error(path, errbuf);
        return -EIO;
    }
    if (pcap_datalink(r->pcap) != DLT_EN10MB) {
        name = pcap_datalink_val_to_name(pcap_datalink(r->pcap));
        if (name)
            snprintf(reason, sizeof reason, "link type %s is not Ethernet",
                     name);
        else
            snprintf(reason, sizeof reason, "link type %d is not Ethernet",
                     pcap_datalink(r->pcap));
        print_error(path, reason);
        pcap_close(r->pcap);
        r->pcap = NULL;
        return -EPROTONOSUPPORT;
    }
    return 0;
}

static void
reader_close(struct reader *r)
{
    if (r->pcap)
        pcap_close(r->pcap);
    r->pcap = NULL;
}

/**
 * reader_next - read and parse the next frame of 'r' into 'f'
 * @return 1 with a frame, 0 at the end of the file, -EIO on a read error
 *         (printed).  The frame's bytes stay valid until the next call.
 */
static int
reader_next(struct reader *r, struct frame *f)
{
    const u_char *data;
    struct pcap_pkthdr *hdr;
    int ret = pcap_next_ex(r->pcap, &hdr, &data);

    if (ret == PCAP_ERROR_BREAK)
        return 0;
    if (ret != 1) {
        print_error(r->path, pcap_geterr(r->pcap));
        return -EIO;
    }
    r->n_frames++;
    memset(&f->pkt, 0, sizeof f->pkt);
    f->hdr = hdr;
    f->pkt.data = (uint8_t *) data; /* The parser does not write. */
    f->pkt.size = hdr->caplen;
    parse_packet(&f->pkt);
    return 1;
}

/* ---- Modes ------------------------------------------------------------- */

static int
dump_file(const char *path)
{
    struct reader r;
    struct frame f;
    struct line l;
    int ret;

    if (reader_open(&r, path))
        return DIFF_ERROR;
    while ((ret = reader_next(&r, &f)) > 0) {
        describe_frame(&l, r.n_frames, &f);
        puts(l.s);
    }
    reader_close(&r);
    return ret < 0 ? DIFF_ERROR : DIFF_SAME;
}

static bool
is_same_frame(const struct frame *a, const struct frame *b, bool ignore_time)
{
    const struct pcap_pkthdr *x = a->hdr, *y = b->hdr;

    if (!ignore_time &&
        (x->ts.tv_sec != y->ts.tv_sec || x->ts.tv_usec != y->ts.tv_usec))
        return false;
    return x->caplen == y->caplen && x->len == y->len &&
           !memcmp(a->pkt.data, b->pkt.data, x->caplen);
}

/* Prints the frame-count difference, 'a' first, and the first extra frame
 * 'extra' of the longer file 'longer' (marked '<' for a, '>' for b).
 * @return DIFF_DIFFERENT, or DIFF_ERROR when counting hits a read error. */
static int
report_count(struct reader *a, struct reader *b, struct reader *longer,
             const struct frame *extra)
{
    struct pcap_pkthdr *hdr;
    const u_char *data;
    struct line l;
    int ret;

    /* Describe the frame before reading on overwrites its bytes. */
    describe_frame(&l, longer->n_frames, extra);
    while ((ret = pcap_next_ex(longer->pcap, &hdr, &data)) == 1)
        longer->n_frames++;
    if (ret != PCAP_ERROR_BREAK) {
        print_error(longer->path, pcap_geterr(longer->pcap));
        return DIFF_ERROR;
    }
    printf("frame count differs: %s has %lu, %s has %lu\n", a->path,
           a->n_frames, b->path, b->n_frames);
    printf("%s %s\n", longer == a ? "<" : ">", l.s);
    return DIFF_DIFFERENT;
}

static int
compare_files(const char *path_a, const char *path_b, bool ignore_time)
{
    struct reader a, b;
    struct frame fa, fb;
    struct line la, lb;
    int ra, rb, ret = DIFF_SAME;

    if (reader_open(&a, path_a))
        return DIFF_ERROR;
    if (reader_open(&b, path_b)) {
        reader_close(&a);
        return DIFF_ERROR;
    }
    for (;;) {
        ra = reader_next(&a, &fa);
        if (ra < 0) {
            ret = DIFF_ERROR;
            break;
        }
        rb = reader_next(&b, &fb);
        if (rb < 0) {
            ret = DIFF_ERROR;
            break;
        }
        if (!ra && !rb)
            break;
        if (ra && !rb) {
            ret = report_count(&a, &b, &a, &fa);
            break;
        }
        if (!ra && rb) {
            ret = report_count(&a, &b, &b, &fb);
            break;
        }
        if (!is_same_frame(&fa, &fb, ignore_time)) {
            describe_frame(&la, a.n_frames, &fa);
            describe_frame(&lb, b.n_frames, &fb);
            printf("frame %lu differs\n< %s\n> %s\n", a.n_frames, la.s, lb.s);
            ret = DIFF_DIFFERENT;
            break;
        }
    }
    reader_close(&a);
    reader_close(&b);
    return ret;
}

static void
usage(FILE *out)
{
    fprintf(out,
            "usage: xsw-pcap-diff --dump FILE.pcap\n"
            "       xsw-pcap-diff A.pcap B.pcap [--ignore-time]\n"
            "--dump prints one line per frame: index, time, length, MACs, "
            "tags, L3, L4,\n"
            "payload size, parse flags, bad checksums and a CRC-32 of the "
            "captured bytes.\n"
            "Otherwise compares two files frame by frame (bytes, lengths "
            "and, unless\n"
            "--ignore-time, timestamps) and prints the first difference.  "
            "See docs/tools.md.\n"
            "Exit status: 0 dumped or identical, 1 different, 2 error "
            "(message 'FILE: reason').\n");
}

int
main(int argc, char **argv)
{
    const char *files[2];
    bool ignore_time = false, bad_usage = false;
    int i, n_files = 0;

    if (argc == 2 && !strcmp(argv[1], "--help")) {
        usage(stdout);
        return DIFF_SAME;
    }
    if (argc == 3 && !strcmp(argv[1], "--dump"))
        return dump_file(argv[2]);
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--ignore-time"))
            ignore_time = true;
        else if (!strncmp(argv[i], "--", 2) || n_files == 2)
            bad_usage = true; /* An unknown option or a third file. */
        else
            files[n_files++] = argv[i];
    }
    if (bad_usage || n_files != 2) {
        usage(stderr);
        return DIFF_ERROR;
    }
    return compare_files(files[0], files[1], ignore_time);
}
