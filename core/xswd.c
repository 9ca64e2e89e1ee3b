/* xswd: runs a switch from a YAML configuration.  A switch of pcap ports
 * replays its captures and exits; a switch with live ports (system, tap)
 * runs until SIGINT or SIGTERM.  Either way it prints the summary at the
 * end.
 *
 * The control socket (ctl.h) is opened for every live switch, and for a
 * replay only when asked (--hold, --paused, --control or control.socket):
 * replays are mostly tests, many at once, and must not fight over one
 * default path.
 *
 * Exit status: 0 when the run (or --check) succeeded, 1 when the switch
 * failed while running, 2 for bad usage, an invalid configuration or an
 * extension that could not be loaded or created. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xsw/version.h>

#include "config.h"
#include "ctl.h"
#include "dp.h"
#include "log.h"
#include "summary.h"

#define EXIT_RUN_FAILED 1
#define EXIT_INVALID 2

/* Set by SIGINT/SIGTERM: a live switch stops, prints its summary and
 * exits 0; a replay stops early, writes what it has, prints its summary
 * and exits 1 (its run is incomplete). */
static volatile sig_atomic_t stop_requested;

static void
on_stop_signal(int sig)
{
    (void) sig;
    stop_requested = 1;
}

/* Without SA_RESTART, so that poll() returns at once. */
static void
catch_stop_signals(void)
{
    struct sigaction sa = {.sa_handler = on_stop_signal};

    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

struct progress {
    struct timespec start, last;
    bool shown;
};

static void
usage(FILE *f)
{
    fprintf(f,
            "Usage: xswd -c FILE.yaml [options]\n"
            "Run the xsw switch that FILE.yaml describes.\n\n"
            "  -c, --config FILE        the switch configuration (YAML)\n"
            "      --check              validate the configuration and "
            "load, create and\n"
            "                           destroy every extension; move no "
            "packet\n"
            "      --summary-json FILE  also write the end-of-run summary "
            "as JSON\n"
            "      --control PATH       the control socket (default: "
            "control.socket, else\n"
            "                           " CTL_DIR_DEFAULT "/NAME.sock); "
            "opens it for a replay too\n"
            "      --hold               after a replay, keep serving the "
            "control socket until\n"
            "                           SIGINT/SIGTERM, then print the "
            "summary\n"
            "      --paused             open the control socket and wait for "
            "'xswctl switch\n"
            "                           resume' before replaying\n"
            "  -q, --quiet              no summary on stdout; log only "
            "warnings and errors\n"
            "      --no-progress        no progress line (shown only when "
            "stderr is a terminal)\n"
            "  -v, --verbose            log debug lines too\n"
            "      --log-level LEVEL    error, warning, info or debug "
            "(overrides log.level;\n"
            "                           the last of -q, -v and --log-level "
            "counts)\n"
            "      --log-format FORMAT  text or json (overrides log.format)\n"
            "      --log-target TARGET  stderr or syslog (overrides "
            "log.target)\n"
            "  -V, --version            print the version and ABI\n"
            "  -h, --help               this text\n\n"
            "Exit status: 0 success, 1 the run failed, 2 invalid usage, "
            "configuration\nor extension.  See docs/xswd.md.\n");
}

static double
seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double) (b->tv_sec - a->tv_sec)
           + (double) (b->tv_nsec - a->tv_nsec) / 1e9;
}

/* One updating line on the terminal, at most five times a second. */
static void
show_progress(void *arg, uint64_t frames, double done)
{
    struct progress *p = arg;
    struct timespec now;
    double elapsed;

    clock_gettime(CLOCK_MONOTONIC, &now);
    if (p->shown && seconds_between(&p->last, &now) < 0.2)
        return;
    p->last = now;
    p->shown = true;
    elapsed = seconds_between(&p->start, &now);
    fprintf(stderr, "\r%12llu frames  %8.2f Mframes/s  %5.1f%% of input",
            (unsigned long long) frames,
            elapsed > 0 ? (double) frames / elapsed / 1e6 : 0.0,
            done * 100.0);
    fflush(stderr);
}

static void
clear_progress(const struct progress *p)
{
    if (p->shown)
        fprintf(stderr, "\r%*s\r", 60, "");
}

struct run_options {
    const char *control;     /* --control PATH, or NULL. */
    bool hold, paused;
};

/* The socket path: --control, else control.socket, else the default for
 * the switch's name; NULL when a replay was not asked to open one. */
static char *
control_path(const struct xsw_config *cfg, const struct run_options *ro,
             bool live)
{
    char *path = NULL;

    if (ro->control)
        return strdup(ro->control);
    if (cfg->control_socket)
        return strdup(cfg->control_socket);
    if (live || ro->hold || ro->paused)
        if (asprintf(&path, "%s/%s.sock", CTL_DIR_DEFAULT, cfg->name) < 0)
            path = NULL;
    return path;
}

/* Opens the control socket if the run needs one.  Returns 0 or -1 after
 * printing why. */
static int
control_open(struct dp *dp, const struct xsw_config *cfg,
             const struct run_options *ro, struct ctl **ctl)
{
    struct ctl_settings set = {.group = cfg->control_group,
                               .gid = (gid_t) cfg->control_gid,
                               .group_admin = cfg->control_group_admin};
    struct xsw_err err = {0};
    char *path = control_path(cfg, ro, dp_is_live(dp));
    int ret = 0;

    *ctl = NULL;
    if (!path)
        return 0;
    set.path = path;
    if (ctl_open(dp, &set, ctl, &err)) {
        fprintf(stderr, "xswd: %s\n", err.msg);
        ret = -1;
    } else {
        dp_event(dp, XSW_LOG_INFO, "control.listen",
                 LOG_FIELDS(LOG_STR("path", path)), "control socket %s",
                 path);
    }
    free(path);
    return ret;
}

/* Becomes security.user (privdrop.h) now that everything is open.
 * Returns 0 or -1 after printing why. */
static int
drop_privileges(struct dp *dp, const struct xsw_config *cfg)
{
    bool live = dp_is_live(dp);
    char why[256];

    if (!cfg->drop_privileges)
        return 0;
    if (privdrop_apply(&cfg->run_as, live, why, sizeof why)) {
        fprintf(stderr, "xswd: security.user: cannot drop privileges: %s\n",
                why);
        return -1;
    }
    dp_event(dp, XSW_LOG_INFO, "privileges",
             LOG_FIELDS(LOG_U64("uid", cfg->run_as.uid),
                        LOG_U64("gid", cfg->run_as.gid),
                        LOG_STR("capabilities",
                                live ? "CAP_NET_RAW,CAP_NET_ADMIN" : "")),
             "running as uid %u, gid %u, %s", (unsigned) cfg->run_as.uid,
             (unsigned) cfg->run_as.gid,
             live ? "keeping CAP_NET_RAW and CAP_NET_ADMIN"
                  : "no capabilities");
    return 0;
}

/* Runs the switch: live until stopped, or the replay (after waiting for
 * 'resume' with --paused, then held with --hold). */
static int
run(struct dp *dp, const struct run_options *ro, bool progress_on)
{
    struct progress prog = {0};
    int ret;

    if (dp_is_live(dp))
        return dp_run_live(dp, &stop_requested);
    if (ro->paused)
        dp_set_paused(dp, true);
    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    progress_on = progress_on && isatty(STDERR_FILENO);
    ret = dp_run_replay(dp, progress_on ? show_progress : NULL, &prog,
                        &stop_requested);
    clear_progress(&prog);
    if (ret != -EINTR && ro->hold) {
        dp_log(dp, XSW_LOG_INFO,
               "replay done; holding until SIGINT or SIGTERM");
        dp_run_hold(dp, &stop_requested);
    }
    return ret;
}

/* 'switch.stop', with how the run ended ('ret' from run()) and its
 * totals. */
static void
log_switch_stop(const struct dp *dp, int ret)
{
    const struct dp_totals *t = dp_get_totals(dp);
    const char *how = !ret           ? "ok"
                      : ret == -EINTR ? "interrupted"
                                      : "failed";

    dp_event(dp, XSW_LOG_INFO, "switch.stop",
             LOG_FIELDS(LOG_STR("switch", dp_config(dp)->name),
                        LOG_STR("status", how), LOG_U64("rx", t->rx),
                        LOG_U64("injected", t->injected),
                        LOG_U64("delivered", t->delivered),
                        LOG_U64("dropped", t->dropped), LOG_U64("tx", t->tx),
                        LOG_U64("clock_ns", dp_now(dp))),
             "switch %s stopped (%s): %llu received, %llu dropped",
             dp_config(dp)->name, how, (unsigned long long) t->rx,
             (unsigned long long) t->dropped);
}

/* Command-line settings for the log, each over its config key. */
struct log_overrides {
    uint32_t level;            /* 0: log.level. */
    bool has_format, has_target;
    enum log_format format;
    enum log_target target;
};

/* The config's log settings with the command line's on top, applied
 * before anything is logged. */
static void
log_setup(const struct xsw_config *cfg, const struct log_overrides *o,
          struct dp_options *dopts)
{
    struct log_settings s = cfg->log;

    if (o->level)
        s.level = o->level;
    if (o->has_format)
        s.format = o->format;
    if (o->has_target)
        s.target = o->target;
    log_configure(&s);
    dopts->log_level = s.level;
}

int
main(int argc, char **argv)
{
    enum {
        OPT_CHECK = 256,
        OPT_JSON,
        OPT_NO_PROGRESS,
        OPT_CONTROL,
        OPT_HOLD,
        OPT_PAUSED,
        OPT_LOG_LEVEL,
        OPT_LOG_FORMAT,
        OPT_LOG_TARGET
    };
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"check", no_argument, NULL, OPT_CHECK},
        {"summary-json", required_argument, NULL, OPT_JSON},
        {"quiet", no_argument, NULL, 'q'},
        {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
        {"control", required_argument, NULL, OPT_CONTROL},
        {"hold", no_argument, NULL, OPT_HOLD},
        {"paused", no_argument, NULL, OPT_PAUSED},
        {"verbose", no_argument, NULL, 'v'},
        {"log-level", required_argument, NULL, OPT_LOG_LEVEL},
        {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
        {"log-target", required_argument, NULL, OPT_LOG_TARGET},
        {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *file = NULL, *json = NULL;
    FILE *json_file = NULL;
    bool quiet = false, progress_on = true;
    struct dp_options dopts = {.log_level = XSW_LOG_INFO};
    struct log_overrides lo = {0};
    struct run_options ro = {0};
    struct ctl *ctl;
    struct xsw_config *cfg;
    struct xsw_err err = {0};
    struct dp *dp;
    int c, ret;

    while ((c = getopt_long(argc, argv, "c:qvVh", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            file = optarg;
            break;
        case OPT_CHECK:
            dopts.check_only = true;
            break;
        case OPT_JSON:
            json = optarg;
            break;
        case 'q':
            quiet = true;
            lo.level = XSW_LOG_WARN;
            break;
        case OPT_NO_PROGRESS:
            progress_on = false;
            break;
        case OPT_CONTROL:
            ro.control = optarg;
            break;
        case OPT_HOLD:
            ro.hold = true;
            break;
        case OPT_PAUSED:
            ro.paused = true;
            break;
        case 'v':
            lo.level = XSW_LOG_DEBUG;
            break;
        case OPT_LOG_LEVEL:
            if (log_level_parse(optarg, &lo.level)) {
                fprintf(stderr, "xswd: --log-level: '%s' is not "
                                LOG_LEVEL_NAMES "\n", optarg);
                return EXIT_INVALID;
            }
            break;
        case OPT_LOG_FORMAT:
            if (log_format_parse(optarg, &lo.format)) {
                fprintf(stderr, "xswd: --log-format: '%s' is not "
                                LOG_FORMAT_NAMES "\n", optarg);
                return EXIT_INVALID;
            }
            lo.has_format = true;
            break;
        case OPT_LOG_TARGET:
            if (log_target_parse(optarg, &lo.target)) {
                fprintf(stderr, "xswd: --log-target: '%s' is not "
                                LOG_TARGET_NAMES "\n", optarg);
                return EXIT_INVALID;
            }
            lo.has_target = true;
            break;
        case 'V':
            printf("xswd %s (extension ABI %d.%d)\n", XSW_VERSION,
                   XSW_ABI_MAJOR, XSW_ABI_MINOR);
            return 0;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return EXIT_INVALID;
        }
    }
    if (!file || optind < argc) {
        fprintf(stderr, "xswd: %s\n",
                !file ? "missing -c FILE.yaml" : "unexpected argument");
        usage(stderr);
        return EXIT_INVALID;
    }
    if (config_load(file, &cfg, &err)) {
        fprintf(stderr, "xswd: %s\n", err.msg);
        return EXIT_INVALID;
    }
    log_setup(cfg, &lo, &dopts);
    if (dp_create(cfg, &dopts, &dp, &err)) {
        fprintf(stderr, "xswd: %s\n", err.msg);
        config_free(cfg);
        return EXIT_INVALID;
    }
    if (dopts.check_only) {
        if (!quiet)
            printf("%s: valid (%u ports, %u extensions)\n", file,
                   cfg->n_ports, cfg->n_exts);
        dp_destroy(dp);
        config_free(cfg);
        return 0;
    }
    if (ro.paused && dp_is_live(dp)) {
        fprintf(stderr, "xswd: --paused applies to replays only (a live "
                        "switch cannot wait)\n");
        dp_destroy(dp);
        config_free(cfg);
        return EXIT_INVALID;
    }
    catch_stop_signals();
    if (control_open(dp, cfg, &ro, &ctl)) {
        dp_destroy(dp);
        config_free(cfg);
        return EXIT_INVALID;
    }
    /* Opened now: after the drop, xswd may not be able to. */
    if (json && !(json_file = fopen(json, "w")))
        fprintf(stderr, "xswd: %s: cannot write the JSON summary: %s\n",
                json, strerror(errno));
    if ((json && !json_file) || drop_privileges(dp, cfg)) {
        ret = EXIT_INVALID;
        goto out;
    }
    ret = run(dp, &ro, progress_on);
    log_switch_stop(dp, ret);
    ret = ret ? EXIT_RUN_FAILED : 0;
    if (!quiet)
        summary_print(stdout, dp);
    if (json && summary_write_json(json_file, json, dp))
        ret = EXIT_RUN_FAILED;
    json_file = NULL;
out:
    if (json_file)
        fclose(json_file);
    ctl_close(ctl);
    dp_destroy(dp);
    config_free(cfg);
    return ret;
}
