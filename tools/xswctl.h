/* What xswctl's files share (xswctl.c: one command, one reply;
 * xswctl-live.c: trace --live, a conversation). */
#ifndef XSWCTL_H
#define XSWCTL_H

#include <jansson.h>
#include <stdbool.h>

#define EXIT_REFUSED 1 /* The switch refused or failed the command. */
#define EXIT_USAGE 2   /* Bad words. */
#define EXIT_CONNECT 3 /* No connection, or a reply not the protocol's. */
#define EXIT_TIMEOUT 4 /* trace --live: fewer packets than asked for. */
#define EXIT_INTERRUPTED 130 /* trace --live: SIGINT or SIGTERM (128 + 2). */

/* The socket path -s gave ('opt', NULL: the default one); NULL with
 * '*rc' set after saying why. */
char *xswctl_socket_path(const char *opt, int *rc);
/* A connection to 'path', or -1 after saying why. */
int xswctl_connect(const char *path);
/* Sends 'req' on 'fd' and returns the reply object, or NULL after saying
 * why (no reply within 'timeout_s', a closed connection, bad JSON). */
json_t *xswctl_exchange(int fd, const char *path, json_t *req,
                        double timeout_s);
/* The 'result' object of 'reply' (borrowed), or NULL with '*rc' set
 * after saying why: EXIT_REFUSED with the switch's message, EXIT_CONNECT
 * for a reply that is not the protocol's. */
json_t *xswctl_result(json_t *reply, const char *path, int *rc);
/* CLOCK_MONOTONIC in seconds. */
double xswctl_now_s(void);
/* A trace's stages, one line each, with their notes. */
void xswctl_print_stages(json_t *stages);

/* The words of 'trace --live', for the usage texts. */
#define XSWCTL_LIVE_ARGS                                                      \
    "--live [PORT] [--filter BPF] [--count N] [--timeout S] [--json]"
/* Is this 'trace' command the live form ('--live' among its words)? */
bool xswctl_live_asked(int argc, char **argv);
/* Runs 'trace --live ...' (argv: the words after 'trace'); returns the
 * exit status. */
int xswctl_trace_live(const char *sock, int argc, char **argv, bool json,
                      double reply_timeout_s);

#endif
