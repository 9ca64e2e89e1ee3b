/* fuzz-ctl: the control server's request handling
 * ================================================
 * Each input is one request line, after a first byte that picks who sent
 * it: its low two bits the access level (none, read-only, admin; 3 is
 * admin too), the rest the port a test frame then arrives on.  The line
 * goes through ctl_cmd_run() (jansson, the request checks, the command
 * table, every handler), whose reply must be a JSON object that dumps and
 * loads again.  Then one broadcast frame runs through the switch, so that
 * what the commands changed (ports set down, new VLAN policies, flushed
 * MAC tables, extensions enabled, disabled and moved) is exercised, and
 * the accounting must balance.
 *
 * One switch lives across inputs, as in fuzz-pipeline: three pcap ports
 * that open no file, and two flowtable instances (one enabled), so that
 * the one-forward-extension rule and moves have something to work on.
 * No extension with a control command that writes files is loaded;
 * capture.start writes only under the config's directory, the scratch
 * directory, at most 8 files at once. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ctl_cmd.h"
#include "dp.h"
#include "fuzz_env.h"

#define CONFIG_NAME "ctl.yaml"
#define N_PORTS 3

static const char config_text[] =
    "switch: { name: fuzz }\n"
    "ports:\n"
    "  - { name: p1, type: pcap }\n"
    "  - { name: p2, type: pcap, vlan: { mode: trunk, allowed: [1, 10] } }\n"
    "  - { name: p3, type: pcap, vlan: { mode: access, vid: 10 } }\n"
    "extensions:\n"
    "  - { module: flowtable, name: ft1, config: { default: normal } }\n"
    "  - { module: flowtable, name: ft2, enabled: false,\n"
    "      config: { default: flood } }\n";

static struct xsw_config *cfg;
static struct dp *dp;
static uint64_t now_ns = 1000000000ull;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *path;
    struct xsw_err err = {0};
    struct dp_options opts = {.log_level = fuzz_log_level(),
                              .pool_size = FUZZ_POOL_PCAP};

    (void) argc;
    (void) argv;
    fuzz_env_init();
    path = fuzz_scratch_path(CONFIG_NAME);
    if (fuzz_write_file(path, (const uint8_t *) config_text,
                        sizeof config_text - 1) ||
        config_load(path, &cfg, &err) || dp_create(cfg, &opts, &dp, &err)) {
        fprintf(stderr, "fuzz-ctl: cannot build the switch: %s\n", err.msg);
        exit(1);
    }
    return 0;
}

/* The reply must be an object with 'ok' and a result or an error, and
 * survive a round trip through text. */
static void
check_reply(json_t *reply)
{
    json_t *again;
    char *text;

    if (!json_is_object(reply) ||
        !json_is_boolean(json_object_get(reply, "ok")))
        abort();
    if (json_is_true(json_object_get(reply, "ok"))
            ? !json_is_object(json_object_get(reply, "result"))
            : !json_is_string(
                  json_object_get(json_object_get(reply, "error"), "message")))
        abort();
    text = json_dumps(reply, JSON_COMPACT);
    if (!text || strchr(text, '\n'))
        abort(); /* One reply must be one line. */
    again = json_loads(text, 0, NULL);
    if (!again)
        abort();
    json_decref(again);
    free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t frame[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0,
                                      0,    0,    0,    1,    0x88, 0xb5};
    const uint8_t *frames[1] = {frame};
    uint32_t sizes[1] = {sizeof frame};
    struct ctl_peer peer = {CTL_ACCESS_ADMIN, 0, "fuzz"};
    json_t *reply;

    if (size < 1)
        return 0;
    if ((data[0] & 3) < 2)
        peer.access = (enum ctl_access)(data[0] & 3);
    reply = ctl_cmd_run(dp, (const char *) data + 1, size - 1, &peer);
    check_reply(reply);
    json_decref(reply);
    now_ns += 1000000;
    dp_receive_frames(dp, (uint16_t) ((data[0] >> 2) % N_PORTS), frames, sizes,
                      1, now_ns);
    fuzz_check_accounting(dp, "after a control command");
    return 0;
}
