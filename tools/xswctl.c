/* xswctl: runs one command on a running xswd through its control socket
 * (docs/control.md).  The words of the command become one JSON request;
 * the reply is printed as a table for people, or as its JSON result with
 * --json for scripts.
 *
 * Exit status: 0 the command succeeded; 1 the switch refused it or it
 * failed (the reason on stderr); 2 bad usage; 3 no connection, or a reply
 * that is not the protocol's; 4 and 130: trace --live only
 * (xswctl-live.c). */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "xswctl.h"

#define CTL_DIR "/run/xsw"
#define REPLY_MAX (64u << 20) /* Bytes; the server sends <= 16 MiB.*/
#define TIMEOUT_DEFAULT_S 30

/* --- Commands: words to a request ------------------------------------ */

/* Turns the words after the command's own into 'args'; returns NULL or
 * what is wrong with them. */
typedef const char *args_fn(int argc, char **argv, json_t *args);
typedef void print_fn(json_t *result);

struct cmd {
    const char *words; /* "port show" */
    const char *name;  /* "port.show" */
    const char *usage; /* What follows the words. */
    args_fn *args;
    print_fn *print;
    const char *json_key; /* --json prints this member of the result
                           * (NULL: all of it). */
};

/* --json given after the command's words (trace takes it there too). */
static bool json_late;

/* An args_fn's answer that is not about usage: printed as it is, after
 * "xswctl: ", with exit status 2. */
static char args_problem[1024];

static const char *
args_none(int argc, char **argv, json_t *args)
{
    (void) argv, (void) args;
    return argc ? "takes no arguments" : NULL;
}

static const char *
args_name(int argc, char **argv, json_t *args)
{
    if (argc != 1)
        return "takes one NAME";
    json_object_set_new(args, "name", json_string(argv[0]));
    return NULL;
}

/* A VLAN id as a JSON integer (the switch checks its range). */
static json_t *
vid_json(const char *s)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (!*s || *end || errno)
        return NULL;
    return json_integer(v);
}

/* "vlan access VID" or "vlan trunk ALLOWED [native VID]", from argv[0]
 * = "access" or "trunk"; returns the words used, or -1. */
static int
vlan_words(int argc, char **argv, json_t *args)
{
    json_t *v = json_object(), *vid;

    json_object_set_new(args, "vlan", v);
    if (argc >= 2 && !strcmp(argv[0], "access")) {
        if (!(vid = vid_json(argv[1])))
            return -1;
        json_object_set_new(v, "mode", json_string("access"));
        json_object_set_new(v, "vid", vid);
        return 2;
    }
    if (argc < 2 || strcmp(argv[0], "trunk"))
        return -1;
    json_object_set_new(v, "mode", json_string("trunk"));
    json_object_set_new(v, "allowed", json_string(argv[1]));
    if (argc >= 4 && !strcmp(argv[2], "native")) {
        if (!(vid = vid_json(argv[3])))
            return -1;
        json_object_set_new(v, "native", vid);
        return 4;
    }
    return 2;
}

static const char *
args_port_set(int argc, char **argv, json_t *args)
{
    int i, used;

    if (argc < 3)
        return "needs NAME and a setting";
    json_object_set_new(args, "name", json_string(argv[0]));
    for (i = 1; i < argc; i += used) {
        used = -1;
        if (!strcmp(argv[i], "admin") && i + 1 < argc) {
            json_object_set_new(args, "admin", json_string(argv[i + 1]));
            used = 2;
        } else if (!strcmp(argv[i], "vlan")) {
            used = vlan_words(argc - i - 1, argv + i + 1, args);
            used = used < 0 ? -1 : used + 1;
        }
        if (used < 0)
            return "bad setting";
    }
    return NULL;
}

static const char *
args_fdb(int argc, char **argv, json_t *args)
{
    json_t *vid;
    int i;

    for (i = 0; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "port"))
            json_object_set_new(args, "port", json_string(argv[i + 1]));
        else if (!strcmp(argv[i], "vlan") && (vid = vid_json(argv[i + 1])))
            json_object_set_new(args, "vlan", vid);
        else
            return "bad filter";
    }
    return i == argc ? NULL : "bad filter";
}

static const char *
args_ext_move(int argc, char **argv, json_t *args)
{
    if (argc != 3 || (strcmp(argv[1], "before") && strcmp(argv[1], "after")))
        return "needs NAME before|after OTHER";
    json_object_set_new(args, "name", json_string(argv[0]));
    json_object_set_new(args, argv[1], json_string(argv[2]));
    return NULL;
}

static const char *
args_ext_call(int argc, char **argv, json_t *args)
{
    json_t *words = json_array();
    int i;

    if (argc < 2) {
        json_decref(words);
        return "needs NAME and the extension's command";
    }
    json_object_set_new(args, "name", json_string(argv[0]));
    for (i = 1; i < argc; i++)
        json_array_append_new(words, json_string(argv[i]));
    json_object_set_new(args, "argv", words);
    return NULL;
}

/* "aa:bb cc..." into 'hex' without separators; false if not hex. */
static bool
hex_words(int argc, char **argv, char **hex)
{
    size_t cap = 1, used = 0;
    char *out;
    int i;

    for (i = 0; i < argc; i++)
        cap += strlen(argv[i]);
    out = malloc(cap);
    if (!out)
        return false;
    for (i = 0; i < argc; i++) {
        const char *p;

        for (p = argv[i]; *p; p++) {
            if (*p == ':' || *p == ' ' || *p == '-' || *p == '.')
                continue;
            if (!strchr("0123456789abcdefABCDEF", *p)) {
                free(out);
                return false;
            }
            out[used++] = *p;
        }
    }
    out[used] = '\0';
    *hex = out;
    return used > 0 && used % 2 == 0;
}

/* Frame 'n' (from 1) of a pcap or pcapng file, as hex; NULL after
 * writing the reason into args_problem. */
static char *
pcap_frame_hex(const char *file, long n)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *h;
    const u_char *data;
    pcap_t *p = pcap_open_offline(file, errbuf);
    char *hex = NULL;
    long i = 0;
    int r;

    if (!p) {
        snprintf(args_problem, sizeof args_problem, "trace: %s", errbuf);
        return NULL;
    }
    while ((r = pcap_next_ex(p, &h, &data)) == 1)
        if (++i == n)
            break;
    if (r != 1) {
        snprintf(args_problem, sizeof args_problem,
                 "trace: %s: no frame %ld (it has %ld)", file, n, i);
    } else if (pcap_datalink(p) != DLT_EN10MB) {
        snprintf(args_problem, sizeof args_problem,
                 "trace: %s: not an Ethernet capture", file);
    } else if ((hex = malloc(2 * (size_t) h->caplen + 1))) {
        bpf_u_int32 k;

        for (k = 0; k < h->caplen; k++)
            sprintf(hex + 2 * k, "%02x", data[k]);
        hex[2 * k] = '\0';
    }
    pcap_close(p);
    return hex;
}

static const char *
args_trace(int argc, char **argv, json_t *args)
{
    const char *file = NULL;
    long frame = 0;
    char *hex = NULL, *end;
    int i, n_hex = 0;
    char **hexv = calloc((size_t) argc + 1, sizeof *hexv);

    if (!hexv || argc < 2) {
        free(hexv);
        return "needs PORT and a frame";
    }
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json_late = true;
        } else if (!strcmp(argv[i], "--pcap") && i + 1 < argc) {
            file = argv[++i];
        } else if (!strcmp(argv[i], "--frame") && i + 1 < argc) {
            errno = 0;
            frame = strtol(argv[++i], &end, 10);
            if (*end || errno || frame < 1) {
                free(hexv);
                return "takes --frame N, N from 1";
            }
        } else {
            hexv[n_hex++] = argv[i];
        }
    }
    if (file && n_hex) {
        free(hexv);
        return "takes HEX or --pcap FILE --frame N, not both";
    }
    if (file && !frame)
        frame = 1;
    if (!file && frame) {
        free(hexv);
        return "takes --frame N with --pcap FILE";
    }
    if (file) {
        hex = pcap_frame_hex(file, frame);
        free(hexv);
        if (!hex)
            return args_problem[0] ? ":" : "out of memory";
    } else {
        bool ok = n_hex && hex_words(n_hex, hexv, &hex);

        free(hexv);
        if (!ok) {
            free(hex);
            return "needs the frame as hex digits, two a byte";
        }
    }
    json_object_set_new(args, "port", json_string(argv[0]));
    json_object_set_new(args, "frame", json_string(hex));
    free(hex);
    return NULL;
}

static const char *
args_capture_start(int argc, char **argv, json_t *args)
{
    char *end;
    int i;

    if (argc < 1 || argv[0][0] == '-')
        return "needs NAME";
    json_object_set_new(args, "name", json_string(argv[0]));
    for (i = 1; i < argc; i++) {
        const char *o = argv[i];

        if (!strcmp(o, "--pcapng")) {
            json_object_set_new(args, "format", json_string("pcapng"));
            continue;
        }
        if (i + 1 >= argc)
            return "bad option";
        if (!strcmp(o, "--at")) {
            json_object_set_new(args, "point", json_string(argv[++i]));
        } else if (!strcmp(o, "--filter")) {
            json_object_set_new(args, "filter", json_string(argv[++i]));
        } else if (!strcmp(o, "--file")) {
            json_object_set_new(args, "file", json_string(argv[++i]));
        } else if (!strcmp(o, "--count")) {
            long long n;

            errno = 0;
            n = strtoll(argv[++i], &end, 10);
            if (!*argv[i] || *end || errno || n < 1)
                return "takes --count N, N from 1";
            json_object_set_new(args, "count", json_integer(n));
        } else {
            return "bad option";
        }
    }
    if (!json_object_get(args, "point"))
        return "needs --at POINT";
    if (!json_object_get(args, "file"))
        return "needs --file PATH";
    return NULL;
}

static print_fn print_help, print_switch, print_paused, print_port_list,
    print_port, print_fdb, print_flushed, print_ext_list, print_ext,
    print_order, print_output, print_counters, print_trace, print_capture,
    print_capture_list, print_reload;

static const struct cmd cmds[] = {
    {"help", "help", "", args_none, print_help, NULL},
    {"switch show", "switch.show", "", args_none, print_switch, NULL},
    {"switch pause", "switch.pause", "", args_none, print_paused, NULL},
    {"switch resume", "switch.resume", "", args_none, print_paused, NULL},
    {"port list", "port.list", "", args_none, print_port_list, NULL},
    {"port show", "port.show", "NAME", args_name, print_port, NULL},
    {"port set", "port.set",
     "NAME admin up|down | vlan access VID | vlan trunk ALLOWED [native VID]",
     args_port_set, print_port, NULL},
    {"fdb show", "fdb.show", "[port NAME] [vlan VID]", args_fdb, print_fdb, NULL},
    {"fdb flush", "fdb.flush", "[port NAME] [vlan VID]", args_fdb,
     print_flushed, NULL},
    {"ext list", "ext.list", "", args_none, print_ext_list, NULL},
    {"ext enable", "ext.enable", "NAME", args_name, print_ext, NULL},
    {"ext disable", "ext.disable", "NAME", args_name, print_ext, NULL},
    {"ext move", "ext.move", "NAME before|after OTHER", args_ext_move,
     print_order, NULL},
    {"ext call", "ext.call", "NAME CMD [ARG...]", args_ext_call, print_output, NULL},
    {"counters", "counters", "", args_none, print_counters, NULL},
    {"reload", "reload", "", args_none, print_reload, NULL},
    {"trace", "trace",
     "PORT HEX | PORT --pcap FILE [--frame N] [--json] | " XSWCTL_LIVE_ARGS,
     args_trace, print_trace, "stages"},
    {"capture start", "capture.start",
     "NAME --at POINT [--filter BPF] [--count N] --file PATH [--pcapng]",
     args_capture_start, print_capture, NULL},
    {"capture stop", "capture.stop", "NAME", args_name, print_capture, NULL},
    {"capture list", "capture.list", "", args_none, print_capture_list, NULL},
};

#define N_CMDS (sizeof cmds / sizeof cmds[0])

/* The command whose words start argv; '*used' says how many words. */
static const struct cmd *
cmd_find(int argc, char **argv, int *used)
{
    size_t i;

    for (i = 0; i < N_CMDS; i++) {
        const char *w = cmds[i].words, *sp = strchr(w, ' ');
        size_t len0 = sp ? (size_t) (sp - w) : strlen(w);

        if (strlen(argv[0]) != len0 || strncmp(argv[0], w, len0))
            continue;
        if (!sp) {
            *used = 1;
            return &cmds[i];
        }
        if (argc >= 2 && !strcmp(argv[1], sp + 1)) {
            *used = 2;
            return &cmds[i];
        }
    }
    return NULL;
}

static void
usage(FILE *f)
{
    size_t i;

    fprintf(f,
            "Usage: xswctl [-s PATH|NAME] [--json] [--timeout S] "
            "COMMAND...\n"
            "Run COMMAND on a running xswd through its control socket.\n\n"
            "  -s, --socket PATH|NAME  the socket (a NAME without '/' "
            "means " CTL_DIR "/NAME.sock;\n"
            "                          default: the one socket in " CTL_DIR
            ")\n"
            "  -j, --json              print the result as JSON\n"
            "  -t, --timeout S         wait at most S seconds for the "
            "reply (default %d)\n"
            "  -h, --help              this text\n\nCommands:\n",
            TIMEOUT_DEFAULT_S);
    for (i = 0; i < N_CMDS; i++)
        fprintf(f, "  %s%s%s\n", cmds[i].words, *cmds[i].usage ? " " : "",
                cmds[i].usage);
    fprintf(f, "\nExit status: 0 ok, 1 the switch refused or failed the "
               "command, 2 usage,\n3 no connection or a bad reply; trace "
               "--live: 4 fewer packets than --count\nwithin --timeout, 130 "
               "interrupted.  See docs/control.md.\n");
}

static void
unknown_command(int argc, char **argv)
{
    size_t i;

    fprintf(stderr, "xswctl: unknown command '%s%s%s' (commands: ", argv[0],
            argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
    for (i = 0; i < N_CMDS; i++)
        fprintf(stderr, "%s%s", i ? ", " : "", cmds[i].words);
    fprintf(stderr, ")\n");
}

/* --- Printing --------------------------------------------------------- */

static json_int_t
num(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static const char *
str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s ? s : "";
}

static void
print_help(json_t *r)
{
    json_t *c;
    size_t i;

    printf("%-58s %s\n", "command", "changes");
    json_array_foreach(json_object_get(r, "commands"), i, c)
    {
        char line[256];

        snprintf(line, sizeof line, "%s", str(c, "usage"));
        printf("%-58s %s\n    %s\n", line,
               json_is_true(json_object_get(c, "changes")) ? "yes" : "no",
               str(c, "help"));
    }
}

static void
print_drops(json_t *drops)
{
    json_t *d;
    size_t i;

    if (!json_array_size(drops))
        return;
    printf("\n  %-56s %10s %10s\n", "drops by reason", "packets", "copies");
    json_array_foreach(drops, i, d)
    {
        char what[200];

        snprintf(what, sizeof what, "%s: %s",
                 json_object_get(d, "extension") ? str(d, "extension")
                                                 : str(d, "stage"),
                 str(d, "reason"));
        printf("  %-56s %10" JSON_INTEGER_FORMAT " %10" JSON_INTEGER_FORMAT
               "\n",
               what, num(d, "count"), num(d, "copies"));
    }
}

static void
print_totals(json_t *t)
{
    printf("%" JSON_INTEGER_FORMAT " frames received, %" JSON_INTEGER_FORMAT
           " injected; %" JSON_INTEGER_FORMAT
           " delivered, %" JSON_INTEGER_FORMAT
           " dropped; %" JSON_INTEGER_FORMAT " frames sent",
           num(t, "rx"), num(t, "injected"), num(t, "delivered"),
           num(t, "dropped"), num(t, "tx"));
}

/* "access 10" or "trunk 10,20 native 1". */
static const char *
vlan_text(json_t *v, char *buf, size_t size)
{
    if (!strcmp(str(v, "mode"), "access"))
        snprintf(buf, size, "access %" JSON_INTEGER_FORMAT, num(v, "vid"));
    else if (json_object_get(v, "native"))
        snprintf(buf, size, "trunk %s native %" JSON_INTEGER_FORMAT,
                 str(v, "allowed"), num(v, "native"));
    else
        snprintf(buf, size, "trunk %s", str(v, "allowed"));
    return buf;
}

static void
print_port_head(bool long_form)
{
    printf("  %-12s %-7s %-4s", "port", "type", "link");
    if (long_form)
        printf(" %-5s %-20s", "admin", "vlan");
    printf(" %10s %10s %10s %10s\n", "rx", "tx", "delivered", "dropped");
}

static void
print_port_line(json_t *p, bool long_form)
{
    char vlan[64];

    printf("  %-12s %-7s %-4s", str(p, "name"), str(p, "type"),
           json_is_true(json_object_get(p, "up")) ? "up" : "down");
    if (long_form)
        printf(" %-5s %-20s", str(p, "admin"),
               vlan_text(json_object_get(p, "vlan"), vlan, sizeof vlan));
    printf(" %10" JSON_INTEGER_FORMAT " %10" JSON_INTEGER_FORMAT
           " %10" JSON_INTEGER_FORMAT " %10" JSON_INTEGER_FORMAT "\n",
           num(p, "rx"), num(p, "tx"), num(p, "delivered"), num(p, "dropped"));
}

static void
print_ext_line(json_t *e, size_t pos)
{
    printf("  %zu. %-12s %-8s %-8s %s\n", pos, str(e, "name"), str(e, "role"),
           json_is_true(json_object_get(e, "enabled")) ? "enabled"
                                                       : "disabled",
           str(e, "file"));
}

static void
print_figures(json_t *o)
{
    const char *k;
    json_t *v;

    json_object_foreach(o, k, v)
    {
        printf("      %-40s %" JSON_INTEGER_FORMAT "\n", k,
               json_integer_value(v));
    }
}

static void
print_switch(json_t *r)
{
    json_t *p, *e, *fdb = json_object_get(r, "fdb");
    size_t i;

    printf("Switch %s (%s): ", str(r, "switch"), str(r, "state"));
    print_totals(json_object_get(r, "totals"));
    printf(" (clock %.6f s)\n\n", (double) num(r, "clock_ns") / 1e9);
    print_port_head(false);
    json_array_foreach(json_object_get(r, "ports"), i, p)
        print_port_line(p, false);
    print_drops(json_object_get(r, "drops"));
    if (json_array_size(json_object_get(r, "extensions")))
        printf("\n  extensions, in chain order\n");
    json_array_foreach(json_object_get(r, "extensions"), i, e)
        print_ext_line(e, i + 1);
    printf("\nMAC table: %" JSON_INTEGER_FORMAT
           " entries; %" JSON_INTEGER_FORMAT " learned, %" JSON_INTEGER_FORMAT
           " moved, %" JSON_INTEGER_FORMAT " aged, %" JSON_INTEGER_FORMAT
           " evicted\n",
           num(fdb, "entries"), num(fdb, "learned"), num(fdb, "moved"),
           num(fdb, "aged"), num(fdb, "evicted"));
}

static void
print_paused(json_t *r)
{
    printf("replay %s\n",
           json_is_true(json_object_get(r, "paused")) ? "paused" : "resumed");
}

static void
print_port_list(json_t *r)
{
    json_t *p;
    size_t i;

    print_port_head(true);
    json_array_foreach(json_object_get(r, "ports"), i, p)
        print_port_line(p, true);
}

static void
print_port(json_t *p)
{
    char vlan[64];

    printf("port %s (id %" JSON_INTEGER_FORMAT ", %s)\n", str(p, "name"),
           num(p, "id"), str(p, "type"));
    printf("  link       %s\n",
           json_is_true(json_object_get(p, "up")) ? "up" : "down");
    printf("  admin      %s\n", str(p, "admin"));
    printf("  vlan       %s\n",
           vlan_text(json_object_get(p, "vlan"), vlan, sizeof vlan));
    printf("  rx         %" JSON_INTEGER_FORMAT "\n", num(p, "rx"));
    printf("  tx         %" JSON_INTEGER_FORMAT "\n", num(p, "tx"));
    printf("  delivered  %" JSON_INTEGER_FORMAT "\n", num(p, "delivered"));
    printf("  dropped    %" JSON_INTEGER_FORMAT "\n", num(p, "dropped"));
    if (json_object_get(p, "driver")) {
        printf("  driver counters\n");
        print_figures(json_object_get(p, "driver"));
    }
    if (json_object_get(p, "fdb_flushed"))
        printf("  MAC entries forgotten: %" JSON_INTEGER_FORMAT "\n",
               num(p, "fdb_flushed"));
}

static void
print_fdb(json_t *r)
{
    json_t *e;
    size_t i;

    printf("  %-17s %4s  %-12s %12s\n", "mac", "vlan", "port", "idle (s)");
    json_array_foreach(json_object_get(r, "entries"), i, e) printf(
        "  %-17s %4" JSON_INTEGER_FORMAT "  %-12s %12.3f\n", str(e, "mac"),
        num(e, "vlan"), str(e, "port"), (double) num(e, "idle_ns") / 1e9);
    printf("%" JSON_INTEGER_FORMAT " %s\n", num(r, "count"),
           num(r, "count") == 1 ? "entry" : "entries");
}

static void
print_flushed(json_t *r)
{
    printf("%" JSON_INTEGER_FORMAT " %s flushed\n", num(r, "flushed"),
           num(r, "flushed") == 1 ? "entry" : "entries");
}

static void
print_ext_list(json_t *r)
{
    json_t *e;
    size_t i;

    json_array_foreach(json_object_get(r, "extensions"), i, e)
    {
        print_ext_line(e, i + 1);
        print_figures(json_object_get(e, "counters"));
        print_figures(json_object_get(e, "stats"));
    }
}

static void
print_ext(json_t *e)
{
    printf("extension %s: %s, position %" JSON_INTEGER_FORMAT "\n",
           str(e, "name"),
           json_is_true(json_object_get(e, "enabled")) ? "enabled"
                                                       : "disabled",
           num(e, "position"));
}

static void
print_order(json_t *r)
{
    json_t *n;
    size_t i;

    printf("chain order:");
    json_array_foreach(json_object_get(r, "order"), i, n)
        printf("%s %s", i ? "," : "", json_string_value(n));
    printf("\n");
}

static void
print_output(json_t *r)
{
    const char *s = str(r, "output");
    size_t len = strlen(s);

    fputs(s, stdout);
    if (len && s[len - 1] != '\n')
        putchar('\n');
}

/* One line per kind of change: "  added: p3, p4". */
static void
print_changes(const char *what, json_t *o)
{
    const char *key;
    json_t *names, *n;
    size_t i;

    printf("%s\n", what);
    json_object_foreach(o, key, names) {
        if (!strcmp(key, "order"))
            continue;
        printf("  %s:", key);
        json_array_foreach(names, i, n)
            printf("%s %s", i ? "," : "", json_string_value(n));
        printf("\n");
    }
}

static void
print_reload(json_t *r)
{
    printf("reloaded %s\n", str(r, "file"));
    print_changes("ports", json_object_get(r, "ports"));
    print_changes("extensions", json_object_get(r, "extensions"));
    print_order(json_object_get(r, "extensions"));
}

static void
print_counters(json_t *r)
{
    print_totals(json_object_get(r, "totals"));
    printf("\n");
    print_drops(json_object_get(r, "drops"));
}

void
xswctl_print_stages(json_t *stages)
{
    json_t *st, *n;
    size_t i, j;

    json_array_foreach(stages, i, st)
    {
        printf("  %-8s %s\n", str(st, "stage"), str(st, "text"));
        json_array_foreach(json_object_get(st, "notes"), j, n)
            printf("  %-8s   note: %s\n", "", json_string_value(n));
    }
}

static void
print_trace(json_t *r)
{
    xswctl_print_stages(json_object_get(r, "stages"));
}

static void
print_capture_line(json_t *c)
{
    char count[32] = "-";

    if (json_is_integer(json_object_get(c, "count")))
        snprintf(count, sizeof count, "%" JSON_INTEGER_FORMAT,
                 num(c, "count"));
    printf("  %-12s %-20s %-7s %10" JSON_INTEGER_FORMAT " %10s %-8s %s\n",
           str(c, "name"), str(c, "point"), str(c, "format"),
           num(c, "packets"), count, str(c, "state"), str(c, "file"));
    if (json_is_string(json_object_get(c, "filter")))
        printf("  %-12s filter: %s\n", "", str(c, "filter"));
}

static void
print_capture_head(void)
{
    printf("  %-12s %-20s %-7s %10s %10s %-8s %s\n", "capture", "point",
           "format", "packets", "count", "state", "file");
}

static void
print_capture(json_t *r)
{
    print_capture_head();
    print_capture_line(r);
}

static void
print_capture_list(json_t *r)
{
    json_t *c;
    size_t i, n = json_array_size(json_object_get(r, "captures"));

    if (n)
        print_capture_head();
    json_array_foreach(json_object_get(r, "captures"), i, c)
        print_capture_line(c);
    printf("%zu capture%s (at most %" JSON_INTEGER_FORMAT ")\n", n,
           n == 1 ? "" : "s", num(r, "max"));
}

/* --- The socket ------------------------------------------------------- */

/* The one *.sock in CTL_DIR; NULL (and an exit code) when there is none
 * or there are several. */
static char *
default_socket(int *rc)
{
    DIR *d = opendir(CTL_DIR);
    struct dirent *de;
    char *found = NULL, names[512] = "";
    size_t used = 0;
    int n = 0;

    while (d && (de = readdir(d))) {
        size_t len = strlen(de->d_name);

        if (len < 6 || strcmp(de->d_name + len - 5, ".sock"))
            continue;
        if (n++ == 0 && asprintf(&found, CTL_DIR "/%s", de->d_name) < 0)
            found = NULL;
        if (used < sizeof names)
            used += (size_t) snprintf(names + used, sizeof names - used,
                                      "%s%s", n > 1 ? ", " : "", de->d_name);
    }
    if (d)
        closedir(d);
    if (n == 1 && found)
        return found;
    free(found);
    if (n == 0) {
        fprintf(stderr, "xswctl: no control socket in " CTL_DIR
                        " (is xswd running? give -s PATH)\n");
        *rc = EXIT_CONNECT;
    } else {
        fprintf(stderr,
                "xswctl: several switches in " CTL_DIR
                " (%s): choose one with -s NAME\n",
                names);
        *rc = EXIT_USAGE;
    }
    return NULL;
}

char *
xswctl_socket_path(const char *opt, int *rc)
{
    char *path;

    if (!opt)
        return default_socket(rc);
    if (strchr(opt, '/'))
        return strdup(opt);
    if (asprintf(&path, CTL_DIR "/%s.sock", opt) < 0)
        return NULL;
    return path;
}

int
xswctl_connect(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(path) >= sizeof sa.sun_path) {
        fprintf(stderr, "xswctl: cannot connect to %s: %s\n", path,
                strerror(ENAMETOOLONG));
        return -1;
    }
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *) &sa, sizeof sa) == 0)
        return fd;
    fprintf(stderr, "xswctl: cannot connect to %s: %s (is xswd running?)\n",
            path, strerror(errno));
    if (fd >= 0)
        close(fd);
    return -1;
}

static bool
send_all(int fd, const char *buf, size_t size)
{
    ssize_t n;

    while (size) {
        n = send(fd, buf, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        buf += n;
        size -= (size_t) n;
    }
    return true;
}

double
xswctl_now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Reads one line; returns it (malloc()ed, NUL instead of the newline) or
 * NULL after saying why. */
static char *
read_line(int fd, const char *path, double timeout_s)
{
    double end = xswctl_now_s() + timeout_s;
    size_t used = 0, cap = 65536;
    char *buf = malloc(cap), *nl;
    ssize_t n;

    while (buf) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        double left = end - xswctl_now_s();

        if (left <= 0 || poll(&p, 1, (int) (left * 1000) + 1) == 0) {
            fprintf(stderr, "xswctl: %s: no reply within %g s\n", path,
                    timeout_s);
            break;
        }
        if (used + 1 >= cap) {
            char *b = cap >= REPLY_MAX ? NULL : realloc(buf, cap * 2);

            if (!b) {
                fprintf(stderr, "xswctl: %s: reply too long\n", path);
                break;
            }
            buf = b;
            cap *= 2;
        }
        n = recv(fd, buf + used, cap - used - 1, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fprintf(stderr, "xswctl: %s: %s before the reply\n", path,
                    n ? strerror(errno) : "the switch closed the connection");
            break;
        }
        used += (size_t) n;
        if ((nl = memchr(buf + used - (size_t) n, '\n', (size_t) n))) {
            *nl = '\0';
            return buf;
        }
    }
    free(buf);
    return NULL;
}

json_t *
xswctl_exchange(int fd, const char *path, json_t *req, double timeout_s)
{
    char *text = json_dumps(req, JSON_COMPACT), *line;
    json_error_t jerr;
    json_t *reply = NULL;

    if (text) {
        size_t len = strlen(text);

        text[len] = '\n';
        /* A switch that refuses the connection (too many clients) says
         * why and closes: read its line even when the send failed. */
        if (!send_all(fd, text, len + 1) && errno != EPIPE &&
            errno != ECONNRESET)
            fprintf(stderr, "xswctl: %s: cannot send: %s\n", path,
                    strerror(errno));
        else if ((line = read_line(fd, path, timeout_s))) {
            reply = json_loads(line, 0, &jerr);
            if (!json_is_object(reply)) {
                fprintf(stderr, "xswctl: %s: malformed reply: %s\n", path,
                        reply ? "not an object" : jerr.text);
                json_decref(reply);
                reply = NULL;
            }
            free(line);
        }
    }
    free(text);
    return reply;
}

/* Sends 'req' on a connection of its own; returns the reply or NULL
 * (after saying why). */
static json_t *
transact(const char *path, json_t *req, double timeout_s)
{
    int fd = xswctl_connect(path);
    json_t *reply;

    if (fd < 0)
        return NULL;
    reply = xswctl_exchange(fd, path, req, timeout_s);
    close(fd);
    return reply;
}

/* --- Main ------------------------------------------------------------- */

json_t *
xswctl_result(json_t *reply, const char *path, int *rc)
{
    json_t *ok = json_object_get(reply, "ok");
    json_t *res = json_object_get(reply, "result");

    if (json_is_false(ok)) {
        fprintf(stderr, "xswctl: %s\n",
                str(json_object_get(reply, "error"), "message"));
        *rc = EXIT_REFUSED;
        return NULL;
    }
    if (!json_is_true(ok) || !json_is_object(res)) {
        fprintf(stderr, "xswctl: %s: malformed reply: no 'ok' and 'result'\n",
                path);
        *rc = EXIT_CONNECT;
        return NULL;
    }
    return res;
}

/* Prints the reply; returns the exit status. */
static int
show_reply(json_t *reply, const struct cmd *cmd, bool json, const char *path)
{
    json_t *res;
    int rc;

    if (json && json_is_false(json_object_get(reply, "ok"))) {
        json_dumpf(json_object_get(reply, "error"), stdout,
                   JSON_INDENT(2) | JSON_SORT_KEYS);
        putchar('\n');
    }
    if (!(res = xswctl_result(reply, path, &rc)))
        return rc;
    if (json) {
        if (cmd->json_key)
            res = json_object_get(res, cmd->json_key);
        json_dumpf(res, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
        putchar('\n');
    } else {
        cmd->print(res);
    }
    return 0;
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"socket", required_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},
        {"timeout", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *sock = NULL, *why;
    const struct cmd *cmd;
    json_t *req, *args, *reply;
    double timeout_s = TIMEOUT_DEFAULT_S;
    bool json = false;
    char *path, *end;
    int c, used, rc = EXIT_CONNECT;

    /* '+': options end at the command, so 'ext call X -v' passes '-v'. */
    while ((c = getopt_long(argc, argv, "+s:jt:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            sock = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 't':
            timeout_s = strtod(optarg, &end);
            if (*end || !(timeout_s > 0)) {
                fprintf(stderr,
                        "xswctl: --timeout: '%s' is not a positive "
                        "number of seconds\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    argc -= optind;
    argv += optind;
    if (argc == 0) {
        fprintf(stderr, "xswctl: missing COMMAND\n");
        usage(stderr);
        return EXIT_USAGE;
    }
    cmd = cmd_find(argc, argv, &used);
    if (!cmd) {
        unknown_command(argc, argv);
        return EXIT_USAGE;
    }
    if (!strcmp(cmd->name, "trace") && xswctl_live_asked(argc, argv))
        return xswctl_trace_live(sock, argc - used, argv + used, json,
                                 timeout_s);
    args = json_object();
    if ((why = cmd->args(argc - used, argv + used, args))
        && !strcmp(why, ":")) {
        fprintf(stderr, "xswctl: %s\n", args_problem);
        json_decref(args);
        return EXIT_USAGE;
    }
    json = json || json_late;
    if (why) {
        fprintf(stderr, "xswctl: %s %s (usage: xswctl %s%s%s)\n", cmd->words,
                why, cmd->words, *cmd->usage ? " " : "", cmd->usage);
        json_decref(args);
        return EXIT_USAGE;
    }
    req =
        json_pack("{s:i, s:s, s:o}", "id", 1, "cmd", cmd->name, "args", args);
    path = xswctl_socket_path(sock, &rc);
    reply = path ? transact(path, req, timeout_s) : NULL;
    if (reply)
        rc = show_reply(reply, cmd, json, path);
    json_decref(reply);
    json_decref(req);
    free(path);
    return rc;
}
