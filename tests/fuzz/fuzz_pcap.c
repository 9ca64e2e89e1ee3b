/* fuzz-pcap: the pcap port's reader on damaged capture files
 * ==========================================================
 * Each input is written as a capture file, and a switch whose two pcap
 * ports both read it (one access port, one trunk, so the same frames are
 * classified two ways and the merge by timestamp interleaves two equal
 * inputs) replays it with dp_run_replay(); a third port writes what it is
 * sent to /dev/null, so the writer runs too.  libpcap decides what a
 * valid file is (classic pcap in both byte orders and both precisions,
 * pcapng); the switch must then cope with whatever records it hands out:
 * captured lengths larger than the frame buffer or than the length, zero
 * lengths, timestamps out of order or at the ends of their range.
 *
 * The config is loaded once; the switch is built, run and destroyed per
 * input, and its accounting must balance (fuzz_env.h).  No extension is
 * loaded: fuzz-pipeline covers them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "dp.h"
#include "fuzz_env.h"

#define INPUT_NAME "in.pcap"

static const char config_text[] =
    "switch: { name: fuzz-pcap, fdb: { max_entries: 8, aging_s: 1 } }\n"
    "ports:\n"
    "  - { name: r1, type: pcap, rx: " INPUT_NAME ",\n"
    "      vlan: { mode: access, vid: 10 } }\n"
    "  - { name: r2, type: pcap, rx: " INPUT_NAME ",\n"
    "      vlan: { mode: trunk, allowed: [10, 20], native: 10 } }\n"
    "  - { name: w1, type: pcap, tx: /dev/null, vlan: { mode: trunk } }\n";

static struct xsw_config *cfg;
static char input_path[4096];

static void
config_destroy(void)
{
    config_free(cfg);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct xsw_err err = {0};
    const char *file;

    (void) argc;
    (void) argv;
    fuzz_env_init();
    snprintf(input_path, sizeof input_path, "%s",
             fuzz_scratch_path(INPUT_NAME));
    file = fuzz_scratch_path("config.yaml");
    if (fuzz_write_file(file, (const uint8_t *) config_text,
                        sizeof config_text - 1) ||
        config_load(file, &cfg, &err)) {
        fprintf(stderr, "fuzz-pcap: %s: cannot set up: %s\n", file, err.msg);
        exit(1);
    }
    atexit(config_destroy);
    return 0;
}

static void
progress(void *arg, uint64_t frames, double done)
{
    (void) arg;
    if (done < 0 || done > 1) {
        fprintf(stderr, "fuzz-pcap: progress %g after %llu frames\n", done,
                (unsigned long long) frames);
        abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dp_options opts = {.log_level = fuzz_log_level(),
                              .pool_size = FUZZ_POOL_PCAP};
    struct xsw_err err = {0};
    struct dp *dp;
    int ret;

    if (fuzz_write_file(input_path, data, size)) {
        perror(input_path);
        abort();
    }
    /* A file libpcap refuses fails here, with a message. */
    if (dp_create(cfg, &opts, &dp, &err))
        return 0;
    ret = dp_run_replay(dp, progress, NULL, NULL);
    if (ret && ret != -EBADMSG) { /* A damaged capture is expected here. */
        fprintf(stderr, "fuzz-pcap: dp_run_replay: %d\n", ret);
        abort();
    }
    fuzz_check_accounting(dp, "fuzz-pcap");
    dp_destroy(dp);
    return 0;
}
