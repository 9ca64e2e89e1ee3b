/* xsw-pcapgen: frames written as text, turned into pcap files
 * ============================================================
 * Tests describe traffic one frame a line, outermost layer first:
 *
 *     1.000250 p1 eth src=02:00:00:00:00:01 dst=ff:ff:ff:ff:ff:ff
 *                 ipv4 src=10.0.0.1 dst=10.0.0.2 udp sport=1000 dport=2000
 *
 * and this program writes OUTDIR/<port>.pcap for every port named, frames in
 * line order.  The point is that a test says only what it means: every
 * length, next-header field and checksum is computed unless the line
 * overrides it, so a frame is correct by default and wrong exactly where the
 * test asks (csum=bad, len=, ihl=, ...).  docs/tools.md is the reference.
 *
 * A line becomes a frame in two passes.  The first appends each layer's
 * header with the fields known from the line; the second walks the layers
 * from the innermost out and fills in what depends on the layers after it
 * (type and protocol fields, lengths, checksums).  Going inside-out means an
 * ICMP error quoting a whole inner packet checksums the inner packet's
 * finished bytes.
 *
 * Errors name the spec, line and column ('SPEC:LINE:COL: what is wrong'),
 * the column of the layer keyword, key or value at fault; the program exits
 * 2 and removes the files it had started, so a failed run leaves nothing a
 * later step could mistake for its output.
 *
 * '@random' lines generate many UDP/IPv4 frames from a seed, for benchmarks
 * and scale tests.  They are built by the same code as text lines, from
 * layers filled in by the program instead of parsed. */
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
#include <sys/stat.h>
#include <unistd.h>

#define GEN_FRAME_MAX 65535u       /* Bytes in one frame at most. */
#define GEN_PORTS_MAX 256          /* Ports (output files) per spec. */
#define GEN_LAYERS_MAX 64          /* Layers in one frame. */
#define GEN_TOKENS_MAX 512         /* Whitespace-separated fields a line. */
#define GEN_KEYS_MAX 13            /* Keys of the largest layer (ipv4). */
#define GEN_TIME_MAX 0xffffffffull /* pcap stores 32-bit seconds. */
#define TIME_MAX_USEC (GEN_TIME_MAX * 1000000 + 999999)
#define GEN_RANDOM_MAX 100000000ull /* Frames of one '@random' line. */
#define GEN_POOL_MAX 1000000ull     /* macs= and flows= at most. */

/* The ethertype and IP protocol of layers whose type nothing names. */
#define GEN_ETHERTYPE_OTHER 0x88b5 /* IEEE 802 local experimental. */
#define GEN_IPPROTO_OTHER 253      /* RFC 3692 experimentation. */
#define GEN_IPPROTO_NONE 59        /* IPv6 "No Next Header". */

/* Layer kinds; LK_FIRST stands for "no layer before" in position rules. */
enum layer_kind {
    LK_ETH,
    LK_VLAN,
    LK_ARP,
    LK_IPV4,
    LK_IPV6,
    LK_IPV6_EXT,
    LK_TCP,
    LK_UDP,
    LK_ICMP,
    LK_ICMP6,
    LK_PAYLOAD,
    LK_RAW,
    LK_PAD,
    LK_TRUNC,
    LK_FIRST,
};

#define BIT(kind) (1u << (kind))

/* How a key's value is read. */
enum value_type {
    VT_UINT,      /* Decimal or 0x hex, in min..max, a multiple of 'mult'. */
    VT_MAC,       /* xx:xx:xx:xx:xx:xx */
    VT_IPV4,      /* inet_pton(AF_INET) */
    VT_IPV6,      /* inet_pton(AF_INET6) */
    VT_HEX,       /* Pairs of hex digits, decoded in place. */
    VT_WORD,      /* Any non-empty word, taken as bytes. */
    VT_TCP_FLAGS, /* Letters of SAFRPUEC. */
    VT_BAD,       /* Only the word "bad". */
    VT_ARP_OP,    /* request, reply or a number. */
    VT_EXT_TYPE,  /* hop, route, dest or frag. */
};

struct key_def {
    const char *name;
    enum value_type type;
    bool required;
    uint64_t min, max; /* VT_UINT only. */
    uint32_t mult;     /* VT_UINT: value must be a multiple; 0 = any. */
};

struct value {
    bool set;
    int key_col; /* Columns of the key and the value, for errors */
    int col;     /* found after reading. */
    uint64_t u;  /* VT_UINT and the enumerations. */
    uint8_t addr[16];
    const uint8_t *bytes; /* VT_HEX, VT_WORD: borrowed from the line. */
    size_t size;
};

/* Key indexes, in the order of each layer's key table. */
enum { ETH_SRC, ETH_DST, ETH_TYPE };
enum { VLAN_VID, VLAN_PCP, VLAN_DEI, VLAN_TPID };
enum { ARP_OP, ARP_SHA, ARP_SPA, ARP_THA, ARP_TPA };
enum {
    IP4_SRC,
    IP4_DST,
    IP4_TTL,
    IP4_TOS,
    IP4_ID,
    IP4_DF,
    IP4_MF,
    IP4_FRAG,
    IP4_PROTO,
    IP4_IHL,
    IP4_LEN,
    IP4_OPTIONS,
    IP4_CSUM,
};
enum { IP6_SRC, IP6_DST, IP6_HLIM, IP6_TC, IP6_FLOW, IP6_NH };
enum { EXT_TYPE, EXT_LEN, EXT_OFFSET, EXT_MF };
enum {
    TCP_SPORT,
    TCP_DPORT,
    TCP_FLAGS,
    TCP_SEQ,
    TCP_ACK,
    TCP_WIN,
    TCP_DOFF,
    TCP_CSUM,
};
enum { UDP_SPORT, UDP_DPORT, UDP_CSUM };
enum { ICMP_TYPE, ICMP_CODE, ICMP_ID, ICMP_SEQ };
enum { PL_LEN, PL_BYTE, PL_HEX, PL_TEXT };
enum { RAW_HEX };
enum { PAD_TO };
enum { TRUNC_CAPLEN };
enum { EXT_HOP, EXT_ROUTE, EXT_DEST, EXT_FRAG }; /* VT_EXT_TYPE values. */

#define U8 0, 0xff
#define U16 0, 0xffff
#define U32 0, 0xffffffffull

static const struct key_def eth_keys[] = {
    [ETH_SRC] = {"src", VT_MAC, true},
    [ETH_DST] = {"dst", VT_MAC, true},
    [ETH_TYPE] = {"type", VT_UINT, false, U16},
};
static const struct key_def vlan_keys[] = {
    [VLAN_VID] = {"vid", VT_UINT, true, 0, 4095},
    [VLAN_PCP] = {"pcp", VT_UINT, false, 0, 7},
    [VLAN_DEI] = {"dei", VT_UINT, false, 0, 1},
    [VLAN_TPID] = {"tpid", VT_UINT, false, U16},
};
static const struct key_def arp_keys[] = {
    [ARP_OP] = {"op", VT_ARP_OP, true}, [ARP_SHA] = {"sha", VT_MAC, true},
    [ARP_SPA] = {"spa", VT_IPV4, true}, [ARP_THA] = {"tha", VT_MAC, false},
    [ARP_TPA] = {"tpa", VT_IPV4, true},
};
static const struct key_def ipv4_keys[] = {
    [IP4_SRC] = {"src", VT_IPV4, true},
    [IP4_DST] = {"dst", VT_IPV4, true},
    [IP4_TTL] = {"ttl", VT_UINT, false, U8},
    [IP4_TOS] = {"tos", VT_UINT, false, U8},
    [IP4_ID] = {"id", VT_UINT, false, U16},
    [IP4_DF] = {"df", VT_UINT, false, 0, 1},
    [IP4_MF] = {"mf", VT_UINT, false, 0, 1},
    [IP4_FRAG] = {"frag", VT_UINT, false, 0, 65528, 8},
    [IP4_PROTO] = {"proto", VT_UINT, false, U8},
    [IP4_IHL] = {"ihl", VT_UINT, false, 0, 15},
    [IP4_LEN] = {"len", VT_UINT, false, U16},
    [IP4_OPTIONS] = {"options", VT_HEX, false},
    [IP4_CSUM] = {"csum", VT_BAD, false},
};
static const struct key_def ipv6_keys[] = {
    [IP6_SRC] = {"src", VT_IPV6, true},
    [IP6_DST] = {"dst", VT_IPV6, true},
    [IP6_HLIM] = {"hlim", VT_UINT, false, U8},
    [IP6_TC] = {"tc", VT_UINT, false, U8},
    [IP6_FLOW] = {"flow", VT_UINT, false, 0, 0xfffff},
    [IP6_NH] = {"nh", VT_UINT, false, U8},
};
static const struct key_def ext_keys[] = {
    [EXT_TYPE] = {"type", VT_EXT_TYPE, true},
    [EXT_LEN] = {"len", VT_UINT, false, 8, 2048, 8},
    [EXT_OFFSET] = {"offset", VT_UINT, false, 0, 65528, 8},
    [EXT_MF] = {"mf", VT_UINT, false, 0, 1},
};
static const struct key_def tcp_keys[] = {
    [TCP_SPORT] = {"sport", VT_UINT, true, U16},
    [TCP_DPORT] = {"dport", VT_UINT, true, U16},
    [TCP_FLAGS] = {"flags", VT_TCP_FLAGS, false},
    [TCP_SEQ] = {"seq", VT_UINT, false, U32},
    [TCP_ACK] = {"ack", VT_UINT, false, U32},
    [TCP_WIN] = {"win", VT_UINT, false, U16},
    [TCP_DOFF] = {"doff", VT_UINT, false, 0, 15},
    [TCP_CSUM] = {"csum", VT_BAD, false},
};
static const struct key_def udp_keys[] = {
    [UDP_SPORT] = {"sport", VT_UINT, true, U16},
    [UDP_DPORT] = {"dport", VT_UINT, true, U16},
    [UDP_CSUM] = {"csum", VT_BAD, false},
};
static const struct key_def icmp_keys[] = {
    [ICMP_TYPE] = {"type", VT_UINT, true, U8},
    [ICMP_CODE] = {"code", VT_UINT, true, U8},
    [ICMP_ID] = {"id", VT_UINT, false, U16},
    [ICMP_SEQ] = {"seq", VT_UINT, false, U16},
};
static const struct key_def payload_keys[] = {
    [PL_LEN] = {"len", VT_UINT, false, 0, GEN_FRAME_MAX},
    [PL_BYTE] = {"byte", VT_UINT, false, U8},
    [PL_HEX] = {"hex", VT_HEX, false},
    [PL_TEXT] = {"text", VT_WORD, false},
};
static const struct key_def raw_keys[] = {
    [RAW_HEX] = {"hex", VT_HEX, true},
};
static const struct key_def pad_keys[] = {
    [PAD_TO] = {"to", VT_UINT, true, 0, GEN_FRAME_MAX},
};
static const struct key_def trunc_keys[] = {
    [TRUNC_CAPLEN] = {"caplen", VT_UINT, true, 0, GEN_FRAME_MAX},
};

_Static_assert(sizeof ipv4_keys / sizeof ipv4_keys[0] <= GEN_KEYS_MAX,
               "struct layer holds every key of the largest layer");

#define IP_BEFORE                                                             \
    (BIT(LK_ETH) | BIT(LK_VLAN) | BIT(LK_IPV4) | BIT(LK_IPV6) |               \
     BIT(LK_IPV6_EXT) | BIT(LK_RAW))
#define ANY_LAYER ((BIT(LK_FIRST) - 1) & ~(BIT(LK_PAD) | BIT(LK_TRUNC)))

/* 'after' is the set of layers that may come just before this one: the
 * position rules, as a table instead of a ladder of ifs. */
struct layer_def {
    const char *name;
    const struct key_def *keys;
    size_t n_keys;
    uint32_t after;
};

#define KEYS(table) table, sizeof(table) / sizeof((table)[0])

static const struct layer_def layer_defs[] = {
    [LK_ETH] = {"eth", KEYS(eth_keys),
                BIT(LK_FIRST) | BIT(LK_UDP) | BIT(LK_RAW)},
    [LK_VLAN] = {"vlan", KEYS(vlan_keys), BIT(LK_ETH) | BIT(LK_VLAN)},
    [LK_ARP] = {"arp", KEYS(arp_keys), BIT(LK_ETH) | BIT(LK_VLAN)},
    [LK_IPV4] = {"ipv4", KEYS(ipv4_keys), IP_BEFORE | BIT(LK_ICMP)},
    [LK_IPV6] = {"ipv6", KEYS(ipv6_keys), IP_BEFORE | BIT(LK_ICMP6)},
    [LK_IPV6_EXT] = {"ipv6-ext", KEYS(ext_keys),
                     BIT(LK_IPV6) | BIT(LK_IPV6_EXT)},
    [LK_TCP] = {"tcp", KEYS(tcp_keys),
                BIT(LK_IPV4) | BIT(LK_IPV6) | BIT(LK_IPV6_EXT)},
    [LK_UDP] = {"udp", KEYS(udp_keys),
                BIT(LK_IPV4) | BIT(LK_IPV6) | BIT(LK_IPV6_EXT)},
    [LK_ICMP] = {"icmp", KEYS(icmp_keys), BIT(LK_IPV4)},
    [LK_ICMP6] = {"icmp6", KEYS(icmp_keys), BIT(LK_IPV6) | BIT(LK_IPV6_EXT)},
    [LK_PAYLOAD] = {"payload", KEYS(payload_keys), ANY_LAYER},
    [LK_RAW] = {"raw", KEYS(raw_keys), ANY_LAYER | BIT(LK_FIRST)},
    [LK_PAD] = {"pad", KEYS(pad_keys), ANY_LAYER},
    [LK_TRUNC] = {"trunc", KEYS(trunc_keys), ANY_LAYER | BIT(LK_PAD)},
};

struct layer {
    enum layer_kind kind;
    int col;                      /* Column of the layer keyword. */
    struct value v[GEN_KEYS_MAX]; /* Indexed like the key table. */
    size_t ofs;                   /* Where its bytes start in the frame. */
    size_t size;                  /* Bytes it added (its header). */
};

struct frame {
    uint8_t buf[GEN_FRAME_MAX];
    size_t size;     /* Wire length. */
    size_t data_end; /* End of what IP/L4 lengths cover: before 'pad'. */
    size_t caplen;   /* Captured length, <= size. */
};

struct port {
    char *name;
    char *path;
    pcap_dumper_t *dumper;
};

struct gen {
    const char *spec; /* Spec name for messages. */
    const char *outdir;
    unsigned line;
    char msg[1024]; /* The error, 'SPEC:LINE:COL: ...' or 'FILE: ...'. */
    pcap_t *dead;   /* Link type and snaplen of every output. */
    struct port ports[GEN_PORTS_MAX];
    size_t n_ports;
    struct frame frame;
    struct layer layers[GEN_LAYERS_MAX];
};

/* A line split into fields, NUL-terminated in place. */
struct tokens {
    char *s[GEN_TOKENS_MAX];
    int col[GEN_TOKENS_MAX];
    size_t n;
};

/* Return codes besides 0: spec errors exit 2, output errors 1. */
#define GEN_ESPEC (-EINVAL)
#define GEN_EIO (-EIO)

static int gen_spec_error(struct gen *, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * gen_spec_error - record 'SPEC:LINE:COL: message'
 * @return GEN_ESPEC, so that 'return gen_spec_error(...)' reads.
 */
static int
gen_spec_error(struct gen *g, int col, const char *fmt, ...)
{
    va_list ap;
    int n;

    n = snprintf(g->msg, sizeof g->msg, "%s:%u:%d: ", g->spec, g->line, col);
    va_start(ap, fmt);
    vsnprintf(g->msg + n, sizeof g->msg - (size_t) n, fmt, ap);
    va_end(ap);
    return GEN_ESPEC;
}

/* ---- Reading values ---------------------------------------------------- */

static bool
parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    int base = 10;
    uint64_t v = 0;
    unsigned d;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            d = (unsigned) (*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned) (*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned) (*s - 'A' + 10);
        else
            return false;
        if (d > max || v > (max - d) / (unsigned) base)
            return false;
        v = v * (unsigned) base + d;
    }
    *out = v;
    return true;
}

/* Seconds with up to six decimals, as microseconds: no floating point, so
 * '0.000001' is exactly one microsecond. */
static bool
parse_time(const char *s, uint64_t *usec)
{
    uint64_t sec = 0, frac = 0;
    int digits = 0;

    if (*s < '0' || *s > '9')
        return false;
    for (; *s >= '0' && *s <= '9'; s++) {
        sec = sec * 10 + (uint64_t) (*s - '0');
        if (sec > GEN_TIME_MAX)
            return false;
    }
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++) {
            if (++digits > 6)
                return false;
            frac = frac * 10 + (uint64_t) (*s - '0');
        }
        if (digits == 0)
            return false;
    }
    if (*s)
        return false;
    for (; digits < 6; digits++)
        frac *= 10;
    *usec = sec * 1000000 + frac;
    return true;
}

static int
hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool
parse_mac(const char *s, uint8_t mac[6])
{
    int i, hi, lo;

    for (i = 0; i < 6; i++) {
        hi = hex_digit(s[0]);
        lo = hi < 0 ? -1 : hex_digit(s[1]);
        if (lo < 0 || s[2] != (i == 5 ? '\0' : ':'))
            return false;
        mac[i] = (uint8_t) (hi << 4 | lo);
        s += 3;
    }
    return true;
}

/* Decodes 's' into itself: the bytes take half the room of the digits. */
static bool
parse_hex_inplace(char *s, size_t *size)
{
    size_t n = strlen(s), i;

    if (n == 0 || n % 2)
        return false;
    for (i = 0; i < n; i++)
        if (hex_digit(s[i]) < 0)
            return false;
    for (i = 0; i < n / 2; i++)
        s[i] = (char) (hex_digit(s[2 * i]) << 4 | hex_digit(s[2 * i + 1]));
    *size = n / 2;
    return true;
}

static bool
parse_tcp_flags(const char *s, uint64_t *flags)
{
    static const char letters[] = "FSRPAUEC"; /* Bit order of the header. */
    const char *p;

    *flags = 0;
    for (; *s; s++) {
        p = strchr(letters, *s);
        if (!p)
            return false;
        *flags |= 1u << (p - letters);
    }
    return true;
}

static bool
parse_word_choice(const char *s, const char *const *words, uint64_t *out)
{
    uint64_t i;

    for (i = 0; words[i]; i++)
        if (!strcmp(s, words[i])) {
            *out = i;
            return true;
        }
    return false;
}

/* What a key expects, for 'bad value' messages. */
static void
describe_expected(const struct key_def *k, char *buf, size_t size)
{
    switch (k->type) {
    case VT_UINT:
        if (k->mult)
            snprintf(buf, size, "a multiple of %u in %llu..%llu", k->mult,
                     (unsigned long long) k->min, (unsigned long long) k->max);
        else if (k->max == 1)
            snprintf(buf, size, "0 or 1");
        else
            snprintf(buf, size, "%llu..%llu", (unsigned long long) k->min,
                     (unsigned long long) k->max);
        break;
    case VT_HEX:
        snprintf(buf, size, "pairs of hex digits");
        break;
    case VT_WORD:
        snprintf(buf, size, "a word");
        break;
    case VT_TCP_FLAGS:
        snprintf(buf, size, "letters from SAFRPUEC");
        break;
    case VT_BAD:
        snprintf(buf, size, "bad");
        break;
    case VT_ARP_OP:
        snprintf(buf, size, "request, reply or 0..65535");
        break;
    case VT_EXT_TYPE:
        snprintf(buf, size, "hop, route, dest or frag");
        break;
    default:
        buf[0] = '\0';
        break;
    }
}

/**
 * parse_value - read 'text' as key 'k' into 'v'
 * @return 0, or GEN_ESPEC with the message at column 'col'.
 */
static int
parse_value(struct gen *g, const struct key_def *k, char *text, int col,
            struct value *v)
{
    static const char *const arp_ops[] = {"", "request", "reply", NULL};
    static const char *const ext_types[] = {"hop", "route", "dest", "frag",
                                            NULL};
    char expected[96];
    bool ok = false;

    v->set = true;
    v->col = col;
    switch (k->type) {
    case VT_UINT:
        ok = parse_uint(text, k->max, &v->u) && v->u >= k->min &&
             (!k->mult || v->u % k->mult == 0);
        break;
    case VT_MAC:
        if (!parse_mac(text, v->addr))
            return gen_spec_error(g, col, "bad MAC address '%s' for %s", text,
                                  k->name);
        return 0;
    case VT_IPV4:
        if (inet_pton(AF_INET, text, v->addr) != 1)
            return gen_spec_error(g, col, "bad IPv4 address '%s' for %s", text,
                                  k->name);
        return 0;
    case VT_IPV6:
        if (inet_pton(AF_INET6, text, v->addr) != 1)
            return gen_spec_error(g, col, "bad IPv6 address '%s' for %s", text,
                                  k->name);
        return 0;
    case VT_HEX:
        if (!parse_hex_inplace(text, &v->size)) {
            describe_expected(k, expected, sizeof expected);
            return gen_spec_error(g, col, "bad value '%s' for %s: expected %s",
                                  text, k->name, expected);
        }
        v->bytes = (const uint8_t *) text;
        return 0;
    case VT_WORD:
        ok = *text != '\0';
        v->bytes = (const uint8_t *) text;
        v->size = strlen(text);
        break;
    case VT_TCP_FLAGS:
        ok = parse_tcp_flags(text, &v->u);
        break;
    case VT_BAD:
        ok = !strcmp(text, "bad");
        break;
    case VT_ARP_OP:
        ok = (*text && parse_word_choice(text, arp_ops, &v->u)) ||
             parse_uint(text, 0xffff, &v->u);
        break;
    case VT_EXT_TYPE:
        ok = parse_word_choice(text, ext_types, &v->u);
        break;
    }
    if (ok)
        return 0;
    describe_expected(k, expected, sizeof expected);
    return gen_spec_error(g, col, "bad value '%s' for %s: expected %s", text,
                          k->name, expected);
}

/* ---- Reading lines ----------------------------------------------------- */

/* Splits 'line' at blanks; a field starting with '#' ends the line. */
static int
tokenize(struct gen *g, char *line, struct tokens *t)
{
    char *p = line;

    t->n = 0;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            *p++ = '\0';
        if (!*p || *p == '#')
            return 0;
        if (t->n == GEN_TOKENS_MAX)
            return gen_spec_error(g, (int) (p - line) + 1,
                                  "too many fields (at most %d)",
                                  GEN_TOKENS_MAX);
        t->s[t->n] = p;
        t->col[t->n++] = (int) (p - line) + 1;
        while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
            p++;
    }
}

static int
find_layer_kind(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof layer_defs / sizeof layer_defs[0]; i++)
        if (!strcmp(layer_defs[i].name, name))
            return (int) i;
    return -1;
}

/* Reads 'key=value' at token 'tok' into layer 'l'. */
static int
parse_key(struct gen *g, struct layer *l, char *tok, int col)
{
    const struct layer_def *d = &layer_defs[l->kind];
    char *eq = strchr(tok, '=');
    size_t i;

    *eq = '\0';
    for (i = 0; i < d->n_keys; i++)
        if (!strcmp(d->keys[i].name, tok))
            break;
    if (i == d->n_keys)
        return gen_spec_error(g, col, "unknown key '%s' for layer %s", tok,
                              d->name);
    if (l->v[i].set)
        return gen_spec_error(g, col, "duplicate key '%s'", tok);
    l->v[i].key_col = col;
    return parse_value(g, &d->keys[i], eq + 1, col + (int) (eq - tok) + 1,
                       &l->v[i]);
}

/* Checks what the key table cannot say: required keys, and keys that
 * exclude or need each other. */
static int
check_layer(struct gen *g, const struct layer *l)
{
    const struct layer_def *d = &layer_defs[l->kind];
    const struct value *v = l->v;
    size_t i;
    int n;

    for (i = 0; i < d->n_keys; i++)
        if (d->keys[i].required && !v[i].set)
            return gen_spec_error(g, l->col, "missing key '%s' for layer %s",
                                  d->keys[i].name, d->name);
    switch (l->kind) {
    case LK_PAYLOAD:
        n = v[PL_LEN].set + v[PL_HEX].set + v[PL_TEXT].set;
        if (n == 0)
            return gen_spec_error(g, l->col,
                                  "payload needs len=, hex= or text=");
        if (n > 1)
            return gen_spec_error(g, l->col,
                                  "payload takes only one of len=, hex=, "
                                  "text=");
        if (v[PL_BYTE].set && !v[PL_LEN].set)
            return gen_spec_error(g, v[PL_BYTE].key_col, "byte= needs len=");
        break;
    case LK_IPV6_EXT:
        if (v[EXT_TYPE].u == EXT_FRAG && v[EXT_LEN].set)
            return gen_spec_error(g, v[EXT_LEN].key_col,
                                  "len= does not apply to type=frag");
        if (v[EXT_TYPE].u != EXT_FRAG && (v[EXT_OFFSET].set || v[EXT_MF].set))
            return gen_spec_error(g,
                                  v[EXT_OFFSET].set ? v[EXT_OFFSET].key_col
                                                    : v[EXT_MF].key_col,
                                  "offset= and mf= apply only to type=frag");
        break;
    case LK_IPV4:
        if (v[IP4_OPTIONS].set && v[IP4_OPTIONS].size > 40)
            return gen_spec_error(g, v[IP4_OPTIONS].col,
                                  "ipv4 options of %zu bytes exceed 40",
                                  v[IP4_OPTIONS].size);
        break;
    default:
        break;
    }
    return 0;
}

static int
check_position(struct gen *g, const struct layer *l, const struct layer *prev)
{
    const struct layer_def *d = &layer_defs[l->kind];

    if (!prev && !(d->after & BIT(LK_FIRST)))
        return gen_spec_error(g, l->col,
                              "layer '%s' cannot start a frame (start with "
                              "eth or raw)",
                              d->name);
    if (prev && !(d->after & BIT(prev->kind)))
        return gen_spec_error(g, l->col, "layer '%s' cannot follow '%s'",
                              d->name, layer_defs[prev->kind].name);
    return 0;
}

/* Tokens t->s[first..] as layers into g->layers. */
static int
parse_layers(struct gen *g, struct tokens *t, size_t first, size_t *n_layers)
{
    struct layer *l = NULL;
    size_t i, n = 0;
    int kind, ret;

    for (i = first; i < t->n; i++) {
        if (strchr(t->s[i], '=')) {
            if (!l)
                return gen_spec_error(g, t->col[i],
                                      "expected a layer before '%s'", t->s[i]);
            ret = parse_key(g, l, t->s[i], t->col[i]);
            if (ret)
                return ret;
            continue;
        }
        kind = find_layer_kind(t->s[i]);
        if (kind < 0)
            return gen_spec_error(g, t->col[i], "unknown layer '%s'", t->s[i]);
        if (l && (ret = check_layer(g, l)))
            return ret;
        if (n == GEN_LAYERS_MAX)
            return gen_spec_error(g, t->col[i], "too many layers (at most %d)",
                                  GEN_LAYERS_MAX);
        l = &g->layers[n++];
        memset(l, 0, sizeof *l);
        l->kind = (enum layer_kind) kind;
        l->col = t->col[i];
        ret = check_position(g, l, n > 1 ? &g->layers[n - 2] : NULL);
        if (ret)
            return ret;
    }
    if (l && (ret = check_layer(g, l)))
        return ret;
    *n_layers = n;
    return 0;
}

/* ---- Building frames --------------------------------------------------- */

static uint64_t
val_or(const struct layer *l, int key, uint64_t dflt)
{
    return l->v[key].set ? l->v[key].u : dflt;
}

/* Room for 'size' more bytes at the end of the frame, zeroed. */
static uint8_t *
frame_grow(struct gen *g, const struct layer *l, size_t size, int *ret)
{
    struct frame *f = &g->frame;
    uint8_t *p;

    if (size > GEN_FRAME_MAX - f->size) {
        *ret = gen_spec_error(g, l->col, "frame of %zu bytes exceeds %u",
                              f->size + size, GEN_FRAME_MAX);
        return NULL;
    }
    p = f->buf + f->size;
    memset(p, 0, size);
    f->size += size;
    return p;
}

static void
put32(uint8_t *p, uint32_t v)
{
    xsw_wr16(p, (uint16_t) (v >> 16));
    xsw_wr16(p + 2, (uint16_t) v);
}

/* IPv6 extension header bytes after the next-header byte's pair: PadN
 * options for hop-by-hop and destination options, routing type 0 with no
 * segments left, or the fragment offset word and a zero identification. */
static void
emit_ext(const struct layer *l, uint8_t *p, size_t size)
{
    size_t left, chunk;

    if (l->v[EXT_TYPE].u == EXT_FRAG) {
        xsw_wr16(p + 2,
                 (uint16_t) (val_or(l, EXT_OFFSET, 0) | val_or(l, EXT_MF, 0)));
        return;
    }
    p[1] = (uint8_t) (size / 8 - 1);
    if (l->v[EXT_TYPE].u == EXT_ROUTE)
        return;
    for (p += 2, left = size - 2; left > 0; p += chunk, left -= chunk) {
        chunk = left > 257 ? 257 : left;
        if (left - chunk == 1)
            chunk--; /* Leave two bytes for a last PadN. */
        p[0] = 1;    /* PadN */
        p[1] = (uint8_t) (chunk - 2);
    }
}

/* Appends the bytes of layer 'l' as far as the line alone decides them. */
static int
emit_bytes(struct gen *g, const struct layer *l)
{
    const struct value *v = l->v;
    size_t size = 0;
    uint8_t *p;
    int ret = 0;

    switch (l->kind) {
    case LK_ETH:
        if (!(p = frame_grow(g, l, 14, &ret)))
            return ret;
        memcpy(p, v[ETH_DST].addr, 6);
        memcpy(p + 6, v[ETH_SRC].addr, 6);
        return 0;
    case LK_VLAN:
        if (!(p = frame_grow(g, l, 4, &ret)))
            return ret;
        xsw_wr16(p, (uint16_t) (val_or(l, VLAN_PCP, 0) << 13 |
                                val_or(l, VLAN_DEI, 0) << 12 | v[VLAN_VID].u));
        return 0;
    case LK_ARP:
        if (!(p = frame_grow(g, l, 28, &ret)))
            return ret;
        xsw_wr16(p, 1);
        xsw_wr16(p + 2, 0x0800);
        p[4] = 6;
        p[5] = 4;
        xsw_wr16(p + 6, (uint16_t) v[ARP_OP].u);
        memcpy(p + 8, v[ARP_SHA].addr, 6);
        memcpy(p + 14, v[ARP_SPA].addr, 4);
        memcpy(p + 18, v[ARP_THA].addr, 6); /* Zero unless given. */
        memcpy(p + 24, v[ARP_TPA].addr, 4);
        return 0;
    case LK_IPV4:
        size = v[IP4_OPTIONS].set ? (v[IP4_OPTIONS].size + 3) & ~3u : 0;
        if (!(p = frame_grow(g, l, 20 + size, &ret)))
            return ret;
        p[0] = (uint8_t) (0x40 | val_or(l, IP4_IHL, (20 + size) / 4));
        p[1] = (uint8_t) val_or(l, IP4_TOS, 0);
        xsw_wr16(p + 4, (uint16_t) val_or(l, IP4_ID, 0));
        xsw_wr16(p + 6, (uint16_t) (val_or(l, IP4_DF, 0) << 14 |
                                    val_or(l, IP4_MF, 0) << 13 |
                                    val_or(l, IP4_FRAG, 0) / 8));
        p[8] = (uint8_t) val_or(l, IP4_TTL, 64);
        memcpy(p + 12, v[IP4_SRC].addr, 4);
        memcpy(p + 16, v[IP4_DST].addr, 4);
        if (v[IP4_OPTIONS].set)
            memcpy(p + 20, v[IP4_OPTIONS].bytes, v[IP4_OPTIONS].size);
        return 0;
    case LK_IPV6:
        if (!(p = frame_grow(g, l, 40, &ret)))
            return ret;
        put32(p, (uint32_t) (6u << 28 | val_or(l, IP6_TC, 0) << 20 |
                             val_or(l, IP6_FLOW, 0)));
        p[7] = (uint8_t) val_or(l, IP6_HLIM, 64);
        memcpy(p + 8, v[IP6_SRC].addr, 16);
        memcpy(p + 24, v[IP6_DST].addr, 16);
        return 0;
    case LK_IPV6_EXT:
        size = v[EXT_TYPE].u == EXT_FRAG ? 8 : val_or(l, EXT_LEN, 8);
        if (!(p = frame_grow(g, l, size, &ret)))
            return ret;
        emit_ext(l, p, size);
        return 0;
    case LK_TCP:
        if (!(p = frame_grow(g, l, 20, &ret)))
            return ret;
        xsw_wr16(p, (uint16_t) v[TCP_SPORT].u);
        xsw_wr16(p + 2, (uint16_t) v[TCP_DPORT].u);
        put32(p + 4, (uint32_t) val_or(l, TCP_SEQ, 0));
        put32(p + 8, (uint32_t) val_or(l, TCP_ACK, 0));
        p[12] = (uint8_t) (val_or(l, TCP_DOFF, 5) << 4);
        p[13] = (uint8_t) val_or(l, TCP_FLAGS, 0);
        xsw_wr16(p + 14, (uint16_t) val_or(l, TCP_WIN, 65535));
        return 0;
    case LK_UDP:
        if (!(p = frame_grow(g, l, 8, &ret)))
            return ret;
        xsw_wr16(p, (uint16_t) v[UDP_SPORT].u);
        xsw_wr16(p + 2, (uint16_t) v[UDP_DPORT].u);
        return 0;
    case LK_ICMP:
    case LK_ICMP6:
        if (!(p = frame_grow(g, l, 8, &ret)))
            return ret;
        p[0] = (uint8_t) v[ICMP_TYPE].u;
        p[1] = (uint8_t) v[ICMP_CODE].u;
        xsw_wr16(p + 4, (uint16_t) val_or(l, ICMP_ID, 0));
        xsw_wr16(p + 6, (uint16_t) val_or(l, ICMP_SEQ, 0));
        return 0;
    case LK_PAYLOAD:
        if (v[PL_LEN].set) {
            if (!(p = frame_grow(g, l, v[PL_LEN].u, &ret)))
                return ret;
            memset(p, (int) val_or(l, PL_BYTE, 0), v[PL_LEN].u);
            return 0;
        }
        v = &v[v[PL_HEX].set ? PL_HEX : PL_TEXT];
        if (!(p = frame_grow(g, l, v->size, &ret)))
            return ret;
        memcpy(p, v->bytes, v->size);
        return 0;
    case LK_RAW:
        if (!(p = frame_grow(g, l, v[RAW_HEX].size, &ret)))
            return ret;
        memcpy(p, v[RAW_HEX].bytes, v[RAW_HEX].size);
        return 0;
    case LK_PAD:
        g->frame.data_end = g->frame.size;
        if (g->frame.size < v[PAD_TO].u)
            frame_grow(g, l, v[PAD_TO].u - g->frame.size, &ret);
        return ret;
    case LK_TRUNC:
    case LK_FIRST:
        return 0;
    }
    return 0;
}

static int
emit_layer(struct gen *g, struct layer *l)
{
    int ret;

    l->ofs = g->frame.size;
    ret = emit_bytes(g, l);
    l->size = g->frame.size - l->ofs;
    return ret;
}

/* The layer after 'i' that names a protocol, or NULL ('pad' and 'trunc'
 * carry none). */
static const struct layer *
next_layer(const struct gen *g, size_t i, size_t n)
{
    const struct layer *l = i + 1 < n ? &g->layers[i + 1] : NULL;

    if (l && (l->kind == LK_PAD || l->kind == LK_TRUNC))
        return NULL;
    return l;
}

static uint16_t
ethertype_of(const struct layer *next)
{
    switch (next ? next->kind : LK_FIRST) {
    case LK_VLAN:
        return (uint16_t) val_or(next, VLAN_TPID, 0x8100);
    case LK_ARP:
        return 0x0806;
    case LK_IPV4:
        return 0x0800;
    case LK_IPV6:
        return 0x86dd;
    default:
        return GEN_ETHERTYPE_OTHER;
    }
}

static uint8_t
ipproto_of(const struct layer *next)
{
    static const uint8_t ext_proto[] = {
        [EXT_HOP] = 0, [EXT_ROUTE] = 43, [EXT_DEST] = 60, [EXT_FRAG] = 44};

    switch (next ? next->kind : LK_FIRST) {
    case LK_FIRST:
        return GEN_IPPROTO_NONE;
    case LK_TCP:
        return 6;
    case LK_UDP:
        return 17;
    case LK_ICMP:
        return 1;
    case LK_ICMP6:
        return 58;
    case LK_IPV4:
        return 4;
    case LK_IPV6:
        return 41;
    case LK_IPV6_EXT:
        return ext_proto[next->v[EXT_TYPE].u];
    default:
        return GEN_IPPROTO_OTHER;
    }
}

/* The one's-complement sum of the pseudo-header of the nearest IP header
 * before layer 'i' (position rules guarantee there is one). */
static uint32_t
pseudo_sum(const struct gen *g, size_t i, uint8_t proto, size_t l4_size)
{
    const struct layer *ip = NULL;
    const uint8_t *p;

    while (i-- > 0 && !ip)
        if (g->layers[i].kind == LK_IPV4 || g->layers[i].kind == LK_IPV6)
            ip = &g->layers[i];
    if (!ip)
        return 0;
    p = g->frame.buf + ip->ofs;
    if (ip->kind == LK_IPV4)
        return xsw_csum_add(proto + (uint32_t) l4_size, p + 12, 8);
    return xsw_csum_add(proto + (uint32_t) l4_size, p + 8, 32);
}

/* A checksum that verification always rejects: one off.  (Inverting it
 * would not do: 0x0000 and 0xffff are the same number in one's complement,
 * and a UDP checksum of 0 means "none".) */
static uint16_t
spoil(uint16_t csum)
{
    return (csum ^ 1) ? (uint16_t) (csum ^ 1) : (uint16_t) (csum ^ 2);
}

static void
finish_checksum(struct gen *g, size_t i, size_t csum_ofs, uint32_t sum,
                bool bad, bool zero_is_none)
{
    struct frame *f = &g->frame;
    const struct layer *l = &g->layers[i];
    uint16_t csum;

    sum = xsw_csum_add(sum, f->buf + l->ofs, f->data_end - l->ofs);
    csum = xsw_csum_fold(sum);
    if (zero_is_none && csum == 0)
        csum = 0xffff;
    xsw_wr16(f->buf + l->ofs + csum_ofs, bad ? spoil(csum) : csum);
}

/* The bytes the IPv4 header checksum covers: what the IHL says, as a
 * receiver checks it, so that ihl= spoils only the IHL.  An IHL below 5 or
 * past the datagram covers the header as built. */
static size_t
ipv4_hdr_size(const struct gen *g, const struct layer *l)
{
    size_t size = (g->frame.buf[l->ofs] & 0x0fu) * 4u;

    if (size < 20 || size > g->frame.data_end - l->ofs)
        return l->size;
    return size;
}

/* Fills in what layer 'i' takes from the layers after it. */
static void
finish_layer(struct gen *g, size_t i, size_t n)
{
    struct layer *l = &g->layers[i];
    const struct layer *next = next_layer(g, i, n);
    struct frame *f = &g->frame;
    uint8_t *p = f->buf + l->ofs;
    size_t covered = f->data_end - l->ofs;

    switch (l->kind) {
    case LK_ETH:
        xsw_wr16(p + 12, (uint16_t) val_or(l, ETH_TYPE, ethertype_of(next)));
        break;
    case LK_VLAN:
        xsw_wr16(p + 2, ethertype_of(next));
        break;
    case LK_IPV4:
        xsw_wr16(p + 2, (uint16_t) val_or(l, IP4_LEN, covered));
        p[9] = (uint8_t) val_or(l, IP4_PROTO, ipproto_of(next));
        xsw_wr16(p + 10,
                 xsw_csum_fold(xsw_csum_add(0, p, ipv4_hdr_size(g, l))));
        if (l->v[IP4_CSUM].set)
            xsw_wr16(p + 10, spoil(xsw_rd16(p + 10)));
        break;
    case LK_IPV6:
        xsw_wr16(p + 4, (uint16_t) (covered - 40));
        p[6] = (uint8_t) val_or(l, IP6_NH, ipproto_of(next));
        break;
    case LK_IPV6_EXT:
        p[0] = ipproto_of(next);
        break;
    case LK_TCP:
        finish_checksum(g, i, 16, pseudo_sum(g, i, 6, covered),
                        l->v[TCP_CSUM].set, false);
        break;
    case LK_UDP:
        xsw_wr16(p + 4, (uint16_t) covered);
        finish_checksum(g, i, 6, pseudo_sum(g, i, 17, covered),
                        l->v[UDP_CSUM].set, true);
        break;
    case LK_ICMP:
        finish_checksum(g, i, 2, 0, false, false);
        break;
    case LK_ICMP6:
        finish_checksum(g, i, 2, pseudo_sum(g, i, 58, covered), false, false);
        break;
    default:
        break;
    }
}

/**
 * frame_build - build g->frame from g->layers[0 .. n-1]
 * @return 0, or GEN_ESPEC (frame too large, bad trunc).
 */
static int
frame_build(struct gen *g, size_t n)
{
    struct frame *f = &g->frame;
    const struct layer *last = &g->layers[n - 1];
    size_t i;
    int ret;

    f->size = 0;
    f->data_end = SIZE_MAX;
    for (i = 0; i < n; i++)
        if ((ret = emit_layer(g, &g->layers[i])))
            return ret;
    if (f->data_end == SIZE_MAX)
        f->data_end = f->size;
    for (i = n; i-- > 0;)
        finish_layer(g, i, n);
    f->caplen = f->size;
    if (last->kind == LK_TRUNC) {
        if (last->v[TRUNC_CAPLEN].u >= f->size)
            return gen_spec_error(g, last->v[TRUNC_CAPLEN].col,
                                  "trunc caplen=%llu is not less than the "
                                  "frame size %zu",
                                  (unsigned long long) last->v[TRUNC_CAPLEN].u,
                                  f->size);
        f->caplen = last->v[TRUNC_CAPLEN].u;
    }
    return 0;
}

/* ---- Output files ------------------------------------------------------ */

static bool
is_port_name(const char *s)
{
    if (!*s || *s == '.' || strlen(s) > 64)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.'))
            return false;
    return true;
}

static int
check_port_name(struct gen *g, const char *name, int col)
{
    if (!is_port_name(name))
        return gen_spec_error(g, col,
                              "bad port name '%s': use up to 64 letters, "
                              "digits, '_', '-' and '.', not starting with "
                              "'.'",
                              name);
    return 0;
}

/* The port named 'name', its file opened on first use. */
static int
port_get(struct gen *g, const char *name, int col, struct port **out)
{
    struct port *p;
    size_t i, path_size;
    int ret;

    for (i = 0; i < g->n_ports; i++)
        if (!strcmp(g->ports[i].name, name)) {
            *out = &g->ports[i];
            return 0;
        }
    if ((ret = check_port_name(g, name, col)))
        return ret;
    if (g->n_ports == GEN_PORTS_MAX)
        return gen_spec_error(g, col, "too many ports (at most %d)",
                              GEN_PORTS_MAX);
    p = &g->ports[g->n_ports];
    path_size = strlen(g->outdir) + strlen(name) + sizeof "/.pcap";
    p->name = strdup(name);
    p->path = malloc(path_size);
    if (!p->name || !p->path) {
        free(p->name);
        free(p->path);
        snprintf(g->msg, sizeof g->msg, "%s: out of memory", g->spec);
        return GEN_EIO;
    }
    snprintf(p->path, path_size, "%s/%s.pcap", g->outdir, name);
    p->dumper = pcap_dump_open(g->dead, p->path);
    if (!p->dumper) {
        snprintf(g->msg, sizeof g->msg, "%s: %s", p->path,
                 pcap_geterr(g->dead));
        free(p->name);
        free(p->path);
        return GEN_EIO;
    }
    g->n_ports++;
    *out = p;
    return 0;
}

static void
port_write(struct port *p, const struct frame *f, uint64_t usec)
{
    struct pcap_pkthdr h;

    memset(&h, 0, sizeof h);
    h.ts.tv_sec = (time_t) (usec / 1000000);
    h.ts.tv_usec = (suseconds_t) (usec % 1000000);
    h.caplen = (bpf_u_int32) f->caplen;
    h.len = (bpf_u_int32) f->size;
    pcap_dump((u_char *) p->dumper, &h, f->buf);
}

/* Whether everything written to 'p' reached the file: pcap_dump() reports
 * nothing, so look at the stream once, after flushing it. */
static bool
port_is_written(struct port *p)
{
    return pcap_dump_flush(p->dumper) == 0 &&
           !ferror(pcap_dump_file(p->dumper));
}

/* Closes every output; when the run failed ('ok' false) or a file cannot be
 * completed, removes them all. */
static int
ports_close(struct gen *g, bool ok)
{
    int ret = 0;
    size_t i;

    for (i = 0; ok && !ret && i < g->n_ports; i++)
        if (!port_is_written(&g->ports[i])) {
            snprintf(g->msg, sizeof g->msg, "%s: write failed: %s",
                     g->ports[i].path, strerror(errno));
            ret = GEN_EIO;
        }
    for (i = 0; i < g->n_ports; i++) {
        pcap_dump_close(g->ports[i].dumper);
        if (!ok || ret)
            unlink(g->ports[i].path);
        free(g->ports[i].name);
        free(g->ports[i].path);
    }
    g->n_ports = 0;
    return ret;
}

/* ---- @random ----------------------------------------------------------- */

enum {
    RND_SEED,
    RND_MACS,
    RND_FLOWS,
    RND_SIZE,
    RND_VLAN,
    RND_START,
    RND_STEP,
    RND_DST,
    RND_N_KEYS,
};

static const struct key_def random_keys[] = {
    [RND_SEED] = {"seed", VT_UINT, true, 0, UINT64_MAX},
    [RND_MACS] = {"macs", VT_UINT, false, 1, GEN_POOL_MAX},
    [RND_FLOWS] = {"flows", VT_UINT, false, 1, GEN_POOL_MAX},
    [RND_SIZE] = {"size", VT_UINT, false, 0, GEN_FRAME_MAX},
    [RND_VLAN] = {"vlan", VT_UINT, false, 0, 4095},
    [RND_START] = {"start", VT_WORD, false},
    [RND_STEP] = {"step", VT_WORD, false},
    [RND_DST] = {"dst", VT_MAC, false},
};

/* splitmix64: a good 64-bit mix with a one-word state.  The generated
 * frames depend only on it, so a seed gives the same files everywhere. */
static uint64_t
mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static uint64_t
rnd_next(uint64_t *state)
{
    *state += 0x9e3779b97f4a7c15ull;
    return mix64(*state);
}

/* Pool members are functions of (seed, index), so the pools need no
 * memory: member 'k' of the MAC pool is 02:SS:SS:kk:kk:kk, distinct for
 * every k below 2^24 by construction. */
static void
pool_mac(uint64_t seed, uint64_t k, uint8_t mac[6])
{
    uint64_t s = mix64(seed ^ 0x6d6163ull);

    mac[0] = 0x02; /* Locally administered, unicast. */
    mac[1] = (uint8_t) (s >> 8);
    mac[2] = (uint8_t) s;
    mac[3] = (uint8_t) (k >> 16);
    mac[4] = (uint8_t) (k >> 8);
    mac[5] = (uint8_t) k;
}

/* Flow 'k': source 10.x.y.z, distinct per k; destination and ports from
 * the mix of (seed, k). */
static void
pool_flow(uint64_t seed, uint64_t k, struct layer *ip, struct layer *udp)
{
    uint64_t base = mix64(seed ^ 0x666c6f77ull);
    uint64_t r = mix64(base + k);
    uint32_t src = (uint32_t) (0x0a000000u | ((base + k) & 0xffffff));
    uint32_t dst = (uint32_t) (0x0a000000u | (r & 0xffffff));

    put32(ip->v[IP4_SRC].addr, src);
    put32(ip->v[IP4_DST].addr, dst);
    udp->v[UDP_SPORT].u = 1024 + (r >> 24) % 64512;
    udp->v[UDP_DPORT].u = 1024 + (r >> 40) % 64512;
}

/* Index into a pool of 'n' for frame 'i': the first n frames take every
 * member once, so COUNT >= n frames contain the whole pool; later frames
 * draw at random. */
static uint64_t
pool_pick(uint64_t i, uint64_t n, uint64_t *state)
{
    return i < n ? i : rnd_next(state) % n;
}

/* Reads the fields of an '@random' line (after the keyword). */
static int
random_parse(struct gen *g, struct tokens *t, struct value *v, uint64_t *count)
{
    const size_t n_keys = RND_N_KEYS;
    char *eq;
    size_t i, k;
    int ret;

    if (t->n < 3 || strchr(t->s[1], '=') || strchr(t->s[2], '='))
        return gen_spec_error(g, t->col[0], "@random needs COUNT PORT seed=S");
    if (!parse_uint(t->s[1], GEN_RANDOM_MAX, count) || *count == 0)
        return gen_spec_error(g, t->col[1],
                              "bad value '%s' for COUNT: expected 1..%llu",
                              t->s[1], (unsigned long long) GEN_RANDOM_MAX);
    for (i = 3; i < t->n; i++) {
        eq = strchr(t->s[i], '=');
        if (!eq)
            return gen_spec_error(g, t->col[i], "expected key=value, got '%s'",
                                  t->s[i]);
        *eq = '\0';
        for (k = 0; k < n_keys && strcmp(random_keys[k].name, t->s[i]); k++)
            ;
        if (k == n_keys)
            return gen_spec_error(g, t->col[i], "unknown key '%s' for @random",
                                  t->s[i]);
        if (v[k].set)
            return gen_spec_error(g, t->col[i], "duplicate key '%s'", t->s[i]);
        v[k].key_col = t->col[i];
        ret = parse_value(g, &random_keys[k], eq + 1,
                          t->col[i] + (int) (eq - t->s[i]) + 1, &v[k]);
        if (ret)
            return ret;
    }
    if (!v[RND_SEED].set)
        return gen_spec_error(g, t->col[0], "missing key 'seed' for @random");
    return 0;
}

static int
random_time(struct gen *g, const struct value *v, uint64_t dflt,
            const char *name, uint64_t *usec)
{
    *usec = dflt;
    if (v->set && !parse_time((const char *) v->bytes, usec))
        return gen_spec_error(g, v->col,
                              "bad value '%s' for %s: expected seconds like "
                              "1.000250",
                              (const char *) v->bytes, name);
    return 0;
}

/* Lays out eth [vlan] ipv4 udp payload in g->layers for '@random'. */
static size_t
random_layers(struct gen *g, const struct value *v, uint8_t *payload,
              size_t payload_size)
{
    struct layer *l = g->layers;
    size_t n = 0;

    memset(l, 0, 5 * sizeof *l);
    l[n].kind = LK_ETH;
    if (v[RND_DST].set)
        memcpy(l[n].v[ETH_DST].addr, v[RND_DST].addr, 6);
    else
        memset(l[n].v[ETH_DST].addr, 0xff, 6);
    n++;
    if (v[RND_VLAN].set) {
        l[n].kind = LK_VLAN;
        l[n++].v[VLAN_VID].u = v[RND_VLAN].u;
    }
    l[n++].kind = LK_IPV4;
    l[n++].kind = LK_UDP;
    l[n].kind = LK_PAYLOAD;
    l[n].v[PL_HEX].set = true;
    l[n].v[PL_HEX].bytes = payload;
    l[n++].v[PL_HEX].size = payload_size;
    return n;
}

static int
random_run(struct gen *g, struct tokens *t)
{
    struct value v[RND_N_KEYS];
    uint8_t payload[GEN_FRAME_MAX];
    uint64_t count, start, step, macs, flows, state, i;
    size_t size, hdr_size, n;
    struct port *port;
    int ret;

    memset(v, 0, sizeof v);
    if ((ret = random_parse(g, t, v, &count)) ||
        (ret = random_time(g, &v[RND_START], 0, "start", &start)) ||
        (ret = random_time(g, &v[RND_STEP], 1, "step", &step)))
        return ret;
    hdr_size = 14 + (v[RND_VLAN].set ? 4 : 0) + 20 + 8;
    size = v[RND_SIZE].set ? v[RND_SIZE].u : 60;
    if (size < hdr_size)
        return gen_spec_error(
            g, v[RND_SIZE].col, "bad value '%llu' for size: expected %zu..%u",
            (unsigned long long) size, hdr_size, GEN_FRAME_MAX);
    if (start > TIME_MAX_USEC ||
        (step && (count - 1) > (TIME_MAX_USEC - start) / step))
        return gen_spec_error(g, t->col[0],
                              "@random: the last frame's time exceeds %llu "
                              "seconds",
                              (unsigned long long) GEN_TIME_MAX);
    if ((ret = port_get(g, t->s[2], t->col[2], &port)))
        return ret;
    macs = v[RND_MACS].set ? v[RND_MACS].u : 16;
    flows = v[RND_FLOWS].set ? v[RND_FLOWS].u : 16;
    state = v[RND_SEED].u;
    memset(payload, 0, size - hdr_size);
    n = random_layers(g, v, payload, size - hdr_size);
    for (i = 0; i < count; i++) {
        pool_mac(v[RND_SEED].u, pool_pick(i, macs, &state),
                 g->layers[0].v[ETH_SRC].addr);
        pool_flow(v[RND_SEED].u, pool_pick(i, flows, &state),
                  &g->layers[n - 3], &g->layers[n - 2]);
        if (size - hdr_size >= 4)
            put32(payload, (uint32_t) i);
        if ((ret = frame_build(g, n)))
            return ret;
        port_write(port, &g->frame, start + i * step);
    }
    return 0;
}

/* ---- Lines ------------------------------------------------------------- */

static int
line_run(struct gen *g, char *line)
{
    struct tokens t;
    struct port *port;
    uint64_t usec;
    size_t n = 0;
    int ret;

    if ((ret = tokenize(g, line, &t)) || t.n == 0)
        return ret;
    if (t.s[0][0] == '@') {
        if (strcmp(t.s[0], "@random"))
            return gen_spec_error(g, t.col[0], "unknown directive '%s'",
                                  t.s[0]);
        return random_run(g, &t);
    }
    if (!parse_time(t.s[0], &usec))
        return gen_spec_error(g, t.col[0],
                              "bad time '%s': expected seconds like 1.000250",
                              t.s[0]);
    if (t.n < 2)
        return gen_spec_error(g, t.col[0], "missing port after the time");
    if (t.n < 3)
        return gen_spec_error(g, t.col[1], "missing layers after the port");
    if ((ret = check_port_name(g, t.s[1], t.col[1])) ||
        (ret = parse_layers(g, &t, 2, &n)) || (ret = frame_build(g, n)))
        return ret;
    if ((ret = port_get(g, t.s[1], t.col[1], &port)))
        return ret;
    port_write(port, &g->frame, usec);
    return 0;
}

static int
spec_run(struct gen *g, FILE *in)
{
    char *line = NULL;
    size_t cap = 0;
    int ret = 0;

    errno = 0;
    while (!ret && getline(&line, &cap, in) >= 0) {
        g->line++;
        ret = line_run(g, line);
    }
    if (!ret && ferror(in)) {
        snprintf(g->msg, sizeof g->msg, "%s: read failed: %s", g->spec,
                 strerror(errno));
        ret = GEN_EIO;
    }
    free(line);
    return ret;
}

static void
usage(FILE *out)
{
    fprintf(out,
            "usage: xsw-pcapgen SPEC.txt OUTDIR\n"
            "Writes OUTDIR/<PORT>.pcap (Ethernet, microsecond timestamps) "
            "for every port\n"
            "named in SPEC ('-' reads standard input), frames in line "
            "order.  A line is\n"
            "  TIME PORT LAYER key=value ... LAYER key=value ...\n"
            "with layers outermost first: eth vlan arp ipv4 ipv6 ipv6-ext "
            "tcp udp icmp\n"
            "icmp6 payload raw pad trunc; or\n"
            "  @random COUNT PORT seed=S [macs=N] [flows=N] [size=BYTES] "
            "[vlan=VID]\n"
            "          [start=T] [step=SECONDS] [dst=MAC]\n"
            "Lengths, types and checksums are computed unless given.  See "
            "docs/tools.md.\n"
            "Exit status: 0 written, 1 input or output failure, 2 usage or "
            "spec error\n"
            "(message 'SPEC:LINE:COL: what is wrong').\n");
}

int
main(int argc, char **argv)
{
    struct gen *g;
    FILE *in;
    int ret;

    if (argc == 2 && !strcmp(argv[1], "--help")) {
        usage(stdout);
        return 0;
    }
    if (argc != 3 || argv[1][0] == '\0' || argv[2][0] == '\0') {
        usage(stderr);
        return 2;
    }
    g = calloc(1, sizeof *g);
    if (!g) {
        fprintf(stderr, "xsw-pcapgen: out of memory\n");
        return 1;
    }
    g->spec = argv[1];
    g->outdir = argv[2];
    in = strcmp(argv[1], "-") ? fopen(argv[1], "r") : stdin;
    if (!in) {
        fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
        free(g);
        return 1;
    }
    if (mkdir(g->outdir, 0777) < 0 && errno != EEXIST) {
        fprintf(stderr, "%s: %s\n", g->outdir, strerror(errno));
        ret = 1;
        goto out_close;
    }
    g->dead = pcap_open_dead(DLT_EN10MB, 65535);
    if (!g->dead) {
        fprintf(stderr, "xsw-pcapgen: pcap_open_dead failed\n");
        ret = 1;
        goto out_close;
    }
    ret = spec_run(g, in);
    ret = ports_close(g, ret == 0) ?: ret;
    if (ret)
        fprintf(stderr, "%s\n", g->msg);
    ret = ret == GEN_ESPEC ? 2 : ret ? 1 : 0;
    pcap_close(g->dead);
out_close:
    if (in != stdin)
        fclose(in);
    free(g);
    return ret;
}
