/* fuzz-pipeline: frames through the parser and the whole pipeline
 * ===============================================================
 * One switch (pipeline.yaml: five ports, flowmon, acl, flowtable and
 * firewall) is built at start and lives across inputs, so that tables
 * fill, connections progress and timers fire as in a real run.  Each
 * input is a sequence of records
 *
 *   [ctl] [len hi] [len lo] [len bytes of frame]
 *
 * (the last record takes what is left when 'len' runs past the end).
 * The low nibble of 'ctl' picks the ingress port (modulo the port count),
 * the high nibble a step of the switch clock taken before the frame:
 * from nothing to an hour, enough to cross every timeout pipeline.yaml
 * sets.  Consecutive frames of one port at one time go through
 * dp_receive_frames() as one batch, as a port would deliver them.  Every
 * input starts a millisecond after the one before, so timers run.
 *
 * After every input the accounting must balance (fuzz_env.h).  The clock
 * never goes back; when it nears the end of its range the switch is
 * rebuilt.  Crashes that depend on the state earlier inputs left reproduce
 * only in the same sequence: replay the run's corpus with the crash last. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xsw/packet.h>

#include "config.h"
#include "dp.h"
#include "fuzz_env.h"

#define NS 1000000000ull
#define CLOCK_START (1000 * NS)
#define CLOCK_LIMIT (1ull << 62)

/* Clock steps by the high nibble of 'ctl'. */
static const uint64_t clock_steps[16] = {
    0,       1000,     100000,   NS / 1000, NS / 100, NS / 10,
    NS / 2,  NS,       2 * NS,   5 * NS,    11 * NS,  31 * NS,
    61 * NS, 121 * NS, 301 * NS, 3601 * NS,
};

struct fuzz_batch {
    uint16_t port;
    uint32_t n;
    const uint8_t *frames[XSW_BATCH_MAX];
    uint32_t sizes[XSW_BATCH_MAX];
};

static struct xsw_config *cfg;
static struct dp *dp;
static uint64_t now_ns;

static void
switch_destroy(void)
{
    dp_destroy(dp);
    dp = NULL;
    config_free(cfg);
    cfg = NULL;
}

static void
switch_build(void)
{
    const char *file = getenv("XSW_FUZZ_CONFIG");
    struct dp_options opts = {.log_level = fuzz_log_level()};
    struct xsw_err err = {0};

    if (!file || !*file)
        file = XSW_FUZZ_DATA_DIR "/pipeline.yaml";
    if (config_load(file, &cfg, &err) || dp_create(cfg, &opts, &dp, &err)) {
        fprintf(stderr, "fuzz-pipeline: %s\n", err.msg);
        exit(1);
    }
    now_ns = CLOCK_START;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    fuzz_env_init();
    switch_build();
    /* Destroying at exit runs the extensions' destroy paths (flowmon's
     * export) under the sanitizers, and lets LeakSanitizer see the rest. */
    atexit(switch_destroy);
    return 0;
}

static void
batch_flush(struct fuzz_batch *b)
{
    int ret;

    if (!b->n)
        return;
    ret = dp_receive_frames(dp, b->port, b->frames, b->sizes, b->n, now_ns);
    if (ret) {
        /* The port and the count are always valid here. */
        fprintf(stderr, "fuzz-pipeline: dp_receive_frames: %s\n",
                strerror(-ret));
        abort();
    }
    b->n = 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t n_ports = dp_port_count(dp);
    struct fuzz_batch b = {.n = 0};

    if (now_ns > CLOCK_LIMIT) {
        switch_destroy();
        switch_build();
    }
    now_ns += NS / 1000;
    while (size >= 3) {
        uint16_t port = (uint16_t) ((data[0] & 0x0f) % n_ports);
        uint64_t step = clock_steps[data[0] >> 4];
        size_t len = (size_t) data[1] << 8 | data[2];

        data += 3;
        size -= 3;
        if (len > size)
            len = size;
        if (b.n && (port != b.port || step || b.n == XSW_BATCH_MAX))
            batch_flush(&b);
        now_ns += step;
        b.port = port;
        b.frames[b.n] = data;
        b.sizes[b.n++] = (uint32_t) len;
        data += len;
        size -= len;
    }
    batch_flush(&b);
    fuzz_check_accounting(dp, "fuzz-pipeline");
    return 0;
}
