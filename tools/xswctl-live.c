/* xswctl trace --live (docs/control.md#live-traces): start a live trace,
 * poll its results at a short interval and print each journey as soon as
 * it is complete, until --count journeys were printed or --timeout
 * expires; then, and on SIGINT or SIGTERM, stop it.  The switch answers
 * every request at once (between batches), hence the polling. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xswctl.h"

#define LIVE_POLL_MS 100        /* Between two requests for results. */
#define LIVE_TIMEOUT_DEFAULT 10 /* Seconds. */
#define LIVE_USAGE "xswctl trace " XSWCTL_LIVE_ARGS

static volatile sig_atomic_t interrupted;

struct live_opts {
    const char *port;   /* NULL: any. */
    const char *filter; /* NULL: every packet. */
    long long count;
    double timeout_s;
    bool json;
};

static void
on_signal(int sig)
{
    (void) sig;
    interrupted = 1;
}

bool
xswctl_live_asked(int argc, char **argv)
{
    int i;

    for (i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--live"))
            return true;
    return false;
}

/* Reads the words into 'o'; NULL or what is wrong with them. */
static const char *
live_parse(int argc, char **argv, struct live_opts *o)
{
    char *end;
    int i;

    for (i = 1; i < argc; i++) { /* argv[0] is 'trace'. */
        const char *w = argv[i];

        if (!strcmp(w, "--live"))
            continue;
        if (!strcmp(w, "--json")) {
            o->json = true;
        } else if (!strcmp(w, "--filter") && i + 1 < argc) {
            o->filter = argv[++i];
        } else if (!strcmp(w, "--count") && i + 1 < argc) {
            errno = 0;
            o->count = strtoll(argv[++i], &end, 10);
            if (!*argv[i] || *end || errno || o->count < 1)
                return "takes --count N, N from 1";
        } else if (!strcmp(w, "--timeout") && i + 1 < argc) {
            o->timeout_s = strtod(argv[++i], &end);
            if (!*argv[i] || *end || !(o->timeout_s > 0))
                return "takes --timeout S, S seconds above 0";
        } else if (w[0] != '-' && !o->port) {
            o->port = w;
        } else {
            return "bad option";
        }
    }
    return NULL;
}

/* Sends 'cmd' with 'args' (taken); the result, or NULL with '*rc' set
 * after saying why. */
static json_t *
live_request(int fd, const char *path, const char *cmd, json_t *args,
             double timeout_s, int *rc)
{
    json_t *req, *reply, *res;

    req = json_pack("{s:i, s:s, s:o}", "id", 1, "cmd", cmd, "args", args);
    reply = xswctl_exchange(fd, path, req, timeout_s);
    json_decref(req);
    *rc = EXIT_CONNECT;
    if (!reply)
        return NULL;
    res = json_incref(xswctl_result(reply, path, rc));
    json_decref(reply);
    return res;
}

/* Prints the journeys of a results or stop reply; returns how many. */
static long long
live_print(json_t *res, const struct live_opts *o, long long printed)
{
    json_t *j;
    size_t i;

    json_array_foreach(json_object_get(res, "journeys"), i, j)
    {
        if (o->json) {
            json_dumpf(j, stdout, JSON_COMPACT | JSON_SORT_KEYS);
            putchar('\n');
        } else {
            printf("%spacket %" JSON_INTEGER_FORMAT " of %lld: %s, at %.6f "
                   "s (switch clock)\n",
                   printed + (long long) i ? "\n" : "",
                   json_integer_value(json_object_get(j, "number")), o->count,
                   json_string_value(json_object_get(j, "port")),
                   (double) json_integer_value(json_object_get(j, "ts_ns")) /
                       1e9);
            xswctl_print_stages(json_object_get(j, "stages"));
        }
    }
    fflush(stdout);
    return (long long) json_array_size(json_object_get(res, "journeys"));
}

static void
sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, ms % 1000 * 1000000L};

    nanosleep(&ts, NULL); /* A signal ends it early: then we stop. */
}

/* Polls session 'session' until the journeys are all printed, the time
 * is up or a signal came; returns the exit status ('*printed' counts). */
static int
live_poll(int fd, const char *path, json_int_t session,
          const struct live_opts *o, double reply_s, long long *printed)
{
    double end = xswctl_now_s() + o->timeout_s;
    json_t *res;
    int rc;

    for (;;) {
        if (interrupted)
            return EXIT_INTERRUPTED;
        res =
            live_request(fd, path, "trace.live.results",
                         json_pack("{s:I}", "session", session), reply_s, &rc);
        if (!res)
            return rc;
        *printed += live_print(res, o, *printed);
        json_decref(res);
        if (*printed >= o->count)
            return 0;
        if (xswctl_now_s() >= end)
            return EXIT_TIMEOUT;
        sleep_ms(LIVE_POLL_MS);
    }
}

int
xswctl_trace_live(const char *sock, int argc, char **argv, bool json,
                  double reply_timeout_s)
{
    struct live_opts o = {
        .count = 1, .timeout_s = LIVE_TIMEOUT_DEFAULT, .json = json};
    struct sigaction sa = {.sa_handler = on_signal};
    const char *why = live_parse(argc, argv, &o);
    json_t *args, *res;
    json_int_t session;
    long long printed = 0;
    char *path;
    int fd, rc = EXIT_CONNECT, ignored;

    if (why) {
        fprintf(stderr, "xswctl: trace --live %s (usage: " LIVE_USAGE ")\n",
                why);
        return EXIT_USAGE;
    }
    if (!(path = xswctl_socket_path(sock, &rc)))
        return rc;
    if ((fd = xswctl_connect(path)) < 0) {
        free(path);
        return EXIT_CONNECT;
    }
    /* No SA_RESTART: a signal cuts the wait short. */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    args = json_pack("{s:I}", "count", (json_int_t) o.count);
    if (o.filter)
        json_object_set_new(args, "filter", json_string(o.filter));
    if (o.port)
        json_object_set_new(args, "port", json_string(o.port));
    res =
        live_request(fd, path, "trace.live.start", args, reply_timeout_s, &rc);
    if (!res)
        goto out;
    session = json_integer_value(json_object_get(res, "session"));
    json_decref(res);
    rc = live_poll(fd, path, session, &o, reply_timeout_s, &printed);
    /* Always stop it (the switch would only after TRACE_LIVE_IDLE_S);
     * what completed meanwhile comes with the answer. */
    res = live_request(fd, path, "trace.live.stop",
                       json_pack("{s:I}", "session", session), reply_timeout_s,
                       &ignored); /* The run's status stands. */
    if (res && rc != EXIT_INTERRUPTED && rc != EXIT_CONNECT &&
        printed < o.count) {
        printed += live_print(res, &o, printed);
        if (printed >= o.count)
            rc = 0;
    }
    json_decref(res);
    if (rc == EXIT_TIMEOUT)
        fprintf(stderr,
                "xswctl: trace --live: %lld of %lld packet%s traced "
                "within %g s\n",
                printed, o.count, o.count == 1 ? "" : "s", o.timeout_s);
    else if (rc == EXIT_INTERRUPTED)
        fprintf(stderr,
                "xswctl: trace --live: interrupted after %lld of %lld "
                "packet%s\n",
                printed, o.count, o.count == 1 ? "" : "s");
out:
    close(fd);
    free(path);
    return rc;
}
