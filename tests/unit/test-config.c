/* Configuration: every error carries file:line:col and the key path, and
 * the valid shapes give the documented defaults. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

static char dir[64], file[128];

static void
setup(void)
{
    strcpy(dir, "/tmp/xsw-test-config-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/t.yaml", dir);
}

static void
teardown(void)
{
    /* What config_capture_same_inode_refused made. */
    static const char *const made[] = {"inlink", "link.pcap", "in/p0.pcap",
                                       "in"};
    char path[128];
    size_t i;

    for (i = 0; i < sizeof made / sizeof *made; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, made[i]);
        if (unlink(path))
            rmdir(path);
    }
    unlink(file);
    rmdir(dir);
}

static void
write_file(const char *text)
{
    FILE *f = fopen(file, "w");

    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* Loads 'text' and returns the config, failing the test on error. */
static struct xsw_config *
load_ok(const char *text)
{
    struct xsw_config *cfg;
    struct xsw_err err = {0};

    write_file(text);
    ck_assert_msg(config_load(file, &cfg, &err) == 0, "%s", err.msg);
    return cfg;
}

/* Loads 'text', which must fail with '<file>:<want>'. */
static void
load_fails(const char *text, const char *want)
{
    struct xsw_config *cfg;
    struct xsw_err err = {0};
    size_t n = strlen(file);

    write_file(text);
    ck_assert_int_ne(config_load(file, &cfg, &err), 0);
    ck_assert_ptr_null(cfg);
    ck_assert_msg(!strncmp(err.msg, file, n), "no file name: %s", err.msg);
    ck_assert_str_eq(err.msg + n, want);
}

#define PORTS "ports:\n  - { name: p1, type: pcap }\n"

START_TEST(config_minimal_gets_defaults)
{
    struct xsw_config *cfg = load_ok(PORTS);

    ck_assert_str_eq(cfg->name, "xsw");
    ck_assert_uint_eq(cfg->fdb_max_entries, 4096);
    ck_assert_uint_eq(cfg->fdb_aging_ns, 300000000000ull);
    ck_assert_uint_eq(cfg->n_ports, 1);
    ck_assert_int_eq(cfg->ports[0].vlan.mode, VLAN_ACCESS);
    ck_assert_uint_eq(cfg->ports[0].vlan.vid, 1);
    ck_assert_ptr_null(cfg->ports[0].rx);
    ck_assert_uint_eq(cfg->n_exts, 0);
    ck_assert_ptr_null(cfg->control_socket);
    ck_assert_ptr_null(cfg->control_group);
    ck_assert(!cfg->control_group_admin);
    ck_assert_uint_eq(cfg->log.level, XSW_LOG_INFO);
    ck_assert_int_eq(cfg->log.target, LOG_TARGET_STDERR);
    ck_assert_int_eq(cfg->log.format, LOG_FORMAT_TEXT);
    ck_assert_uint_eq(cfg->drop_summary_ns, 60000000000ull);
    config_free(cfg);
}
END_TEST

START_TEST(config_log)
{
    struct xsw_config *cfg = load_ok(
        "log: { level: debug, target: syslog, format: json,\n"
        "       drop_summary_interval: 0 }\n" PORTS);

    ck_assert_uint_eq(cfg->log.level, XSW_LOG_DEBUG);
    ck_assert_int_eq(cfg->log.target, LOG_TARGET_SYSLOG);
    ck_assert_int_eq(cfg->log.format, LOG_FORMAT_JSON);
    ck_assert_uint_eq(cfg->drop_summary_ns, 0);
    config_free(cfg);
    cfg = load_ok("log: { level: error, drop_summary_interval: 0x10 }\n"
                  PORTS);
    ck_assert_uint_eq(cfg->log.level, XSW_LOG_ERR);
    ck_assert_uint_eq(cfg->drop_summary_ns, 16000000000ull);
    config_free(cfg);
}
END_TEST

/* control.socket resolves against the config's directory; the group is
 * looked up by name. */
START_TEST(config_control)
{
    struct xsw_config *cfg = load_ok(
        "control: { socket: run/s.sock, group: root, group_admin: yes }\n"
        PORTS);
    char want[160];

    snprintf(want, sizeof want, "%s/run/s.sock", dir);
    ck_assert_str_eq(cfg->control_socket, want);
    ck_assert_str_eq(cfg->control_group, "root");
    ck_assert_uint_eq(cfg->control_gid, 0);
    ck_assert(cfg->control_group_admin);
    config_free(cfg);
}
END_TEST

START_TEST(config_full_shape)
{
    char want[256];
    struct xsw_config *cfg =
        load_ok("switch:\n"
                "  name: demo\n"
                "  fdb: { max_entries: 100, aging_s: 5 }\n"
                "extension_path: [mods, /abs]\n"
                "ports:\n"
                "  - name: p1\n"
                "    type: pcap\n"
                "    rx: in/p1.pcap\n"
                "    tx: /tmp/out.pcap\n"
                "    vlan: { mode: access, vid: 10 }\n"
                "  - name: up\n"
                "    type: pcap\n"
                "    vlan: { mode: trunk, allowed: [10, 20-22], native: 5 }\n"
                "extensions:\n"
                "  - module: acl\n"
                "    enabled: false\n"
                "    config: { rules: [] }\n"
                "  - module: acl\n"
                "    name: acl2\n");
    const struct vlan_config *t = &cfg->ports[1].vlan;

    ck_assert_str_eq(cfg->name, "demo");
    ck_assert_uint_eq(cfg->fdb_max_entries, 100);
    ck_assert_uint_eq(cfg->fdb_aging_ns, 5000000000ull);
    snprintf(want, sizeof want, "%s/mods", dir);
    ck_assert_str_eq(cfg->ext_path[0], want);
    ck_assert_str_eq(cfg->ext_path[1], "/abs");
    snprintf(want, sizeof want, "%s/in/p1.pcap", dir);
    ck_assert_str_eq(cfg->ports[0].rx, want);
    ck_assert_str_eq(cfg->ports[0].tx, "/tmp/out.pcap");
    ck_assert_uint_eq(cfg->ports[0].vlan.vid, 10);
    ck_assert_int_eq(t->mode, VLAN_TRUNK);
    ck_assert_uint_eq(t->native, 5);
    ck_assert(vlan_config_allows(t, 10));
    ck_assert(vlan_config_allows(t, 21));
    ck_assert(vlan_config_allows(t, 5)); /* native is implied */
    ck_assert(!vlan_config_allows(t, 11));
    ck_assert(!vlan_config_allows(t, 1));
    ck_assert_uint_eq(cfg->n_exts, 2);
    ck_assert_str_eq(cfg->exts[0].name, "acl");
    ck_assert(!cfg->exts[0].enabled);
    ck_assert_ptr_nonnull(cfg->exts[0].config);
    ck_assert_str_eq(cfg->exts[1].name, "acl2");
    ck_assert(cfg->exts[1].enabled);
    config_free(cfg);
}
END_TEST

START_TEST(config_live_ports)
{
    struct xsw_config *cfg = load_ok(
        "ports:\n"
        "  - { name: eth1, type: system }\n"
        "  - { name: up, type: system, device: veth-up }\n"
        "  - { name: vm1, type: tap, mac: '02:00:00:00:00:07', mtu: 9000, "
        "netns: guest1 }\n"
        "  - { name: cap, type: pcap, tx: cap.pcap }\n");
    static const uint8_t mac[6] = {2, 0, 0, 0, 0, 7};

    ck_assert_str_eq(cfg->ports[0].device, "eth1"); /* default: name */
    ck_assert_str_eq(cfg->ports[1].device, "veth-up");
    ck_assert_str_eq(cfg->ports[2].device, "vm1");
    ck_assert(cfg->ports[2].has_mac);
    ck_assert_mem_eq(cfg->ports[2].mac, mac, 6);
    ck_assert_uint_eq(cfg->ports[2].mtu, 9000);
    ck_assert_str_eq(cfg->ports[2].netns, "guest1");
    ck_assert(!cfg->ports[0].has_mac);
    ck_assert_uint_eq(cfg->ports[0].mtu, 0);
    ck_assert_ptr_null(cfg->ports[0].netns);
    ck_assert_ptr_nonnull(cfg->ports[3].tx); /* capture output is fine */
    config_free(cfg);
}
END_TEST

START_TEST(config_trunk_defaults_to_all_vlans)
{
    struct xsw_config *cfg = load_ok(
        "ports:\n  - { name: t, type: pcap, vlan: { mode: trunk } }\n");
    const struct vlan_config *t = &cfg->ports[0].vlan;

    ck_assert(vlan_config_allows(t, 1));
    ck_assert(vlan_config_allows(t, 4094));
    ck_assert(!vlan_config_allows(t, 0));
    ck_assert(!vlan_config_allows(t, 4095));
    ck_assert_uint_eq(t->native, 0);
    config_free(cfg);
}
END_TEST

/* Integers are decimal or 0x-hexadecimal; a leading zero is decimal
 * (as in xsw/field.h), never octal. */
START_TEST(config_integers_decimal_or_hex)
{
    static const struct {
        const char *text;
        uint16_t vid;
    } cases[] = {
        {"010", 10},      {"0x1f", 31}, {"0X1F", 31},
        {"0x0FFE", 4094}, {"0009", 9},  {"4094", 4094},
    };
    char yaml[128];
    size_t i;

    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct xsw_config *cfg;

        snprintf(yaml, sizeof yaml,
                 "ports:\n  - { name: p, type: pcap, vlan: { vid: %s } }\n",
                 cases[i].text);
        cfg = load_ok(yaml);
        ck_assert_msg(cfg->ports[0].vlan.vid == cases[i].vid,
                      "vid: %s gave %u, want %u", cases[i].text,
                      cfg->ports[0].vlan.vid, cases[i].vid);
        config_free(cfg);
    }
}
END_TEST

/* Reading one capture on two ports is fine, as is discarding output of
 * two ports into one device. */
START_TEST(config_shared_capture_paths_allowed)
{
    struct xsw_config *cfg =
        load_ok("ports:\n"
                "  - { name: p0, type: pcap, rx: in.pcap, tx: /dev/null }\n"
                "  - { name: p1, type: pcap, rx: ./in.pcap, tx: /dev/null }\n"
                "  - { name: p2, type: pcap, tx: out/in.pcap }\n");

    ck_assert_uint_eq(cfg->n_ports, 3);
    config_free(cfg);
}
END_TEST

/* Files that exist are compared by inode: other spellings of the path
 * and symlinks are caught too. */
START_TEST(config_capture_same_inode_refused)
{
    static const char *const spellings[] = {"./in/p0.pcap", "in/../in/p0.pcap",
                                            "in//p0.pcap", "link.pcap",
                                            "inlink/p0.pcap"};
    char path[256], yaml[256], want[256];
    FILE *f;
    size_t i;

    snprintf(path, sizeof path, "%s/in", dir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/in/p0.pcap", dir);
    ck_assert_ptr_nonnull(f = fopen(path, "w"));
    fclose(f);
    snprintf(path, sizeof path, "%s/link.pcap", dir);
    ck_assert_int_eq(symlink("in/p0.pcap", path), 0);
    snprintf(path, sizeof path, "%s/inlink", dir);
    ck_assert_int_eq(symlink("in", path), 0);
    for (i = 0; i < sizeof spellings / sizeof *spellings; i++) {
        snprintf(yaml, sizeof yaml,
                 "ports:\n  - { name: p0, type: pcap, rx: in/p0.pcap }\n"
                 "  - { name: p1, type: pcap, tx: '%s' }\n",
                 spellings[i]);
        snprintf(want, sizeof want,
                 ":3:33: ports[1].tx: '%s' is also ports[0].rx (writing it "
                 "would destroy that input)",
                 spellings[i]);
        load_fails(yaml, want);
    }
}
END_TEST

/* Each error case: the YAML and the exact message after the file name. */
static const struct {
    const char *yaml, *want;
} errors[] = {
    {"portz: []\n",
     ":1:1: portz: unknown key 'portz' (expected one of: switch, "
     "extension_path, ports, extensions, security, control, log)"},
    {"log: { levle: info }\n" PORTS,
     ":1:8: log.levle: unknown key 'levle' (expected one of: level, target, "
     "format, drop_summary_interval)"},
    {PORTS "log:\n  level: verbose\n",
     ":4:10: log.level: unknown log level 'verbose' (expected error, "
     "warning, info or debug)"},
    {"log: { target: file }\n" PORTS,
     ":1:16: log.target: unknown log target 'file' (expected stderr or "
     "syslog)"},
    {"log: { format: xml }\n" PORTS,
     ":1:16: log.format: unknown log format 'xml' (expected text or json)"},
    {"log: { format: [json] }\n" PORTS,
     ":1:16: log.format: expected a scalar, found a list"},
    {"log: { drop_summary_interval: 86401 }\n" PORTS,
     ":1:31: log.drop_summary_interval: 86401 is out of range [0, 86400]"},
    {"log: { drop_summary_interval: -1 }\n" PORTS,
     ":1:31: log.drop_summary_interval: expected an integer, found '-1'"},
    {"log: json\n" PORTS, ":1:6: log: expected a mapping, found a scalar"},
    {"control: { sockt: x }\n" PORTS,
     ":1:12: control.sockt: unknown key 'sockt' (expected one of: socket, "
     "group, group_admin)"},
    {"control: { socket: '' }\n" PORTS,
     ":1:20: control.socket: the path is empty"},
    {"control: { socket: /" "0123456789012345678901234567890123456789"
     "0123456789012345678901234567890123456789012345678901234567890123456789"
     " }\n" PORTS,
     ":1:20: control.socket: '/" "0123456789012345678901234567890123456789"
     "0123456789012345678901234567890123456789012345678901234567890123456789"
     "' is too long for a socket (111 bytes; at most 107)"},
    {"control: { group: no-such-group-xsw }\n" PORTS,
     ":1:19: control.group: no group 'no-such-group-xsw'"},
    {"control: { group_admin: true }\n" PORTS,
     ":1:12: control.group_admin: group_admin needs control.group"},
    {"control: { group: root, group_admin: 2 }\n" PORTS,
     ":1:38: control.group_admin: expected true or false, found '2'"},
    {"security: { allow_insecure: true }\n" PORTS,
     ":1:13: security.allow_insecure: unknown key 'allow_insecure' (expected "
     "one of: allow_insecure_extensions, verify_extensions, user, group)"},
    {"security: { allow_insecure_extensions: 1 }\n" PORTS,
     ":1:40: security.allow_insecure_extensions: expected true or false, "
     "found '1'"},
    {"switch: { name: x }\n", ": missing key 'ports'"},
    {"ports: 5\n", ":1:8: ports: expected a list, found a scalar"},
    {"ports: []\n", ":1:8: ports: a switch has 1 to 1024 ports, found 0"},
    {PORTS "  - { name: p1, type: pcap }\n",
     ":3:13: ports[1].name: duplicate port name 'p1' (first at line 2)"},
    {"ports:\n  - { name: p1, type: pcap, vlan_mode: access }\n",
     ":2:29: ports[0].vlan_mode: unknown key 'vlan_mode' (expected one of: "
     "name, type, rx, tx, vlan, device, mac, mtu, netns)"},
    {"ports:\n  - { name: p1, type: wire }\n",
     ":2:23: ports[0].type: unknown port type 'wire' (expected pcap, system "
     "or tap)"},
    {"ports:\n  - { name: p1, type: system, rx: a.pcap }\n",
     ":2:31: ports[0].rx: 'rx' does not apply to system ports"},
    {"ports:\n  - { name: p1, type: pcap, device: eth0 }\n",
     ":2:29: ports[0].device: 'device' does not apply to pcap ports"},
    {"ports:\n  - { name: p1, type: system, mtu: 1500 }\n",
     ":2:31: ports[0].mtu: 'mtu' does not apply to system ports"},
    {"ports:\n  - { name: p1, type: system, device: a-very-long-name0 }\n",
     ":2:39: ports[0].device: 'a-very-long-name0' is not a valid interface "
     "name (1 to 15 characters, no '/', ':' or blanks)"},
    {"ports:\n  - { name: p1, type: system, device: 'eth0:1' }\n",
     ":2:39: ports[0].device: 'eth0:1' is not a valid interface name (1 to "
     "15 characters, no '/', ':' or blanks)"},
    {"ports:\n  - { name: t, type: tap, mac: '02:00:00:00:00' }\n",
     ":2:32: ports[0].mac: '02:00:00:00:00' is not a MAC address like "
     "02:00:00:00:00:01"},
    {"ports:\n  - { name: t, type: tap, mac: '03:00:00:00:00:01' }\n",
     ":2:32: ports[0].mac: 03:00:00:00:00:01 is a group address; a port "
     "needs a unicast MAC"},
    {"ports:\n  - { name: t, type: tap, mtu: 9001 }\n",
     ":2:32: ports[0].mtu: 9001 is out of range [68, 9000]"},
    {"ports:\n  - { name: t, type: tap, netns: 'a/b' }\n",
     ":2:34: ports[0].netns: 'a/b' is not a valid namespace name"},
    {"ports:\n  - { name: p1, type: pcap, rx: in.pcap }\n"
     "  - { name: v, type: system }\n",
     ":2:33: ports[0].rx: a switch with live ports ('v' is system) cannot "
     "replay captures: pcap ports may only have 'tx' here"},
    /* A capture one port writes is no other port's input or output. */
    {"ports:\n  - { name: p0, type: pcap, rx: in/p0.pcap }\n"
     "  - { name: p1, type: pcap, tx: in/p0.pcap }\n",
     ":3:33: ports[1].tx: 'in/p0.pcap' is also ports[0].rx (writing it "
     "would destroy that input)"},
    {"ports:\n  - { name: p0, type: pcap, tx: out/a.pcap }\n"
     "  - { name: p1, type: pcap, tx: out/a.pcap }\n",
     ":3:33: ports[1].tx: 'out/a.pcap' is also ports[0].tx (two ports "
     "cannot write one file)"},
    {"ports:\n  - { name: p0, type: pcap, rx: a.pcap, tx: a.pcap }\n",
     ":2:45: ports[0].tx: 'a.pcap' is also ports[0].rx (writing it would "
     "destroy that input)"},
    {"ports:\n  - { name: p0, type: pcap, tx: a.pcap, rx: a.pcap }\n",
     ":2:45: ports[0].rx: 'a.pcap' is also ports[0].tx (writing it would "
     "destroy this input)"},
    {"ports:\n  - { name: p0, type: pcap, tx: a.pcap }\n"
     "  - { name: p1, type: pcap }\n"
     "  - { name: p2, type: pcap, rx: a.pcap }\n",
     ":4:33: ports[2].rx: 'a.pcap' is also ports[0].tx (writing it would "
     "destroy this input)"},
    /* Files and directories not created yet are compared by name. */
    {"ports:\n  - { name: p0, type: pcap, tx: out/a.pcap }\n"
     "  - { name: p1, type: pcap, tx: ./out/./a.pcap }\n",
     ":3:33: ports[1].tx: './out/./a.pcap' is also ports[0].tx (two ports "
     "cannot write one file)"},
    {"ports:\n  - { type: pcap }\n", ":2:5: ports[0]: missing key 'name'"},
    {"ports:\n  - { name: 'a b', type: pcap }\n",
     ":2:13: ports[0].name: 'a b' is not a valid name (1 to 32 of A-Z a-z "
     "0-9 _ . : -)"},
    {"ports:\n  - { name: p, type: pcap, vlan: { vid: 5000 } }\n",
     ":2:41: ports[0].vlan.vid: 5000 is out of range [1, 4094]"},
    {"ports:\n  - { name: p, type: pcap, vlan: { vid: ten } }\n",
     ":2:41: ports[0].vlan.vid: expected an integer, found 'ten'"},
    /* Decimal or 0x-hexadecimal only: no octal, exponent or sign. */
    {"ports:\n  - { name: p, type: pcap, vlan: { vid: 0o7 } }\n",
     ":2:41: ports[0].vlan.vid: expected an integer, found '0o7'"},
    {"ports:\n  - { name: p, type: pcap, vlan: { vid: 1e3 } }\n",
     ":2:41: ports[0].vlan.vid: expected an integer, found '1e3'"},
    {"ports:\n  - { name: p, type: pcap, vlan: { vid: +5 } }\n",
     ":2:41: ports[0].vlan.vid: expected an integer, found '+5'"},
    {"ports:\n  - { name: p, type: pcap, vlan: { vid: 0x } }\n",
     ":2:41: ports[0].vlan.vid: expected an integer, found '0x'"},
    {"ports:\n  - { name: p, type: pcap, vlan: { vid: 0x1g } }\n",
     ":2:41: ports[0].vlan.vid: expected an integer, found '0x1g'"},
    {"ports:\n  - { name: p, type: pcap, vlan: { vid: 04095 } }\n",
     ":2:41: ports[0].vlan.vid: 4095 is out of range [1, 4094]"},
    {"switch: { fdb: { aging_s: 0x10000000000000000 } }\n" PORTS,
     ":1:27: switch.fdb.aging_s: expected an integer, found "
     "'0x10000000000000000'"},
    {"switch: { fdb: { aging_s: 18446744073709551616 } }\n" PORTS,
     ":1:27: switch.fdb.aging_s: expected an integer, found "
     "'18446744073709551616'"},
    {"switch: { fdb: { aging_s: 18446744073709551615 } }\n" PORTS,
     ":1:27: switch.fdb.aging_s: 18446744073709551615 is out of range [0, "
     "31536000]"},
    {"ports:\n  - { name: p, type: pcap, vlan: { mode: hybrid } }\n",
     ":2:42: ports[0].vlan.mode: unknown VLAN mode 'hybrid' (expected "
     "access or trunk)"},
    {"ports:\n  - { name: p, type: pcap, vlan: { mode: access, native: 2 }"
     " }\n",
     ":2:58: ports[0].vlan.native: only trunk ports take 'native'"},
    {"ports:\n  - { name: p, type: pcap, vlan: { mode: trunk, vid: 2 } }\n",
     ":2:54: ports[0].vlan.vid: trunk ports take 'allowed' and 'native', "
     "not 'vid'"},
    {"ports:\n  - { name: p, type: pcap, vlan: { mode: trunk, allowed: "
     "[20-10] } }\n",
     ":2:59: ports[0].vlan.allowed[0]: '20-10' is not a VLAN range LOW-HIGH "
     "within 1-4094"},
    {"switch: { fdb: { max_entries: 0 } }\n" PORTS,
     ":1:31: switch.fdb.max_entries: 0 is out of range [1, 16777216]"},
    {"switch: { fdb: { max_entries: -1 } }\n" PORTS,
     ":1:31: switch.fdb.max_entries: expected an integer, found '-1'"},
    {"switch: { fdb: { max_entries: '12' } }\n" PORTS,
     ":1:31: switch.fdb.max_entries: expected an integer, found '12'"},
    {PORTS "extensions:\n  - { module: acl, enabled: maybe }\n",
     ":4:29: extensions[0].enabled: expected true or false, found 'maybe'"},
    {PORTS "extensions:\n  - { enabled: true }\n",
     ":4:5: extensions[0]: missing key 'module'"},
    {PORTS "extensions:\n  - { module: acl }\n  - { module: acl }\n",
     ":5:5: extensions[1]: duplicate extension name 'acl' (give one of them "
     "a 'name:')"},
    {PORTS "switch: { name: a }\nswitch: { name: b }\n",
     ":4:1: switch: duplicate key 'switch'"},
    {"base: &b { name: p1 }\n" PORTS,
     ":1:7: YAML anchors and aliases are not supported"},
    {"ports:\n  - { name: p1, type: pcap\n",
     ":3:1: invalid YAML: did not find expected ',' or '}' while parsing a "
     "flow mapping"},
    {"", ": the file is empty"},
    {"- a\n- b\n", ":1:1: expected a mapping, found a list"},
};

START_TEST(config_error_has_location)
{
    load_fails(errors[_i].yaml, errors[_i].want);
}
END_TEST

/* What a reload compares extension configs with. */
START_TEST(cfgtree_equal_ignores_layout_only)
{
    static const char *const same[][2] = {
        {"a: {x: 1, y: [1, 2]}", "# c\na:\n  x: 1\n  y:\n    - 1\n    - 2\n"},
        {"a: 0x10", "a:   0x10"},
    };
    static const char *const differ[][2] = {
        {"a: {x: 1, y: 2}", "a: {y: 2, x: 1}"},   /* Key order. */
        {"a: 1", "a: \"1\""},                   /* Quoting. */
        {"a: [1, 2]", "a: [1, 2, 3]"},
        {"a: {x: 1}", "a: {z: 1}"},
        {"a: 1", "a: [1]"},
    };
    struct cfg_tree *t1, *t2;
    struct xsw_err err = {0};
    size_t ns = sizeof same / sizeof same[0];
    size_t n = ns + sizeof differ / sizeof differ[0], i;

    for (i = 0; i < 2 * n; i++) {   /* Each pair both ways round. */
        size_t k = i / 2;
        const char *const *pair = k < ns ? same[k] : differ[k - ns];

        t1 = cfg_tree_parse("a.yaml", pair[i % 2], strlen(pair[i % 2]), &err);
        t2 = cfg_tree_parse("b.yaml", pair[1 - i % 2],
                            strlen(pair[1 - i % 2]), &err);
        ck_assert_ptr_nonnull(t1);
        ck_assert_ptr_nonnull(t2);
        ck_assert_msg(cfg_node_equal(t1->root, t2->root) == (k < ns),
                      "'%s' vs '%s'", pair[i % 2], pair[1 - i % 2]);
        cfg_tree_free(t1);
        cfg_tree_free(t2);
    }
    ck_assert(cfg_node_equal(NULL, NULL));
}
END_TEST

START_TEST(config_missing_file)
{
    struct xsw_config *cfg;
    struct xsw_err err = {0};

    ck_assert_int_ne(config_load("/nonexistent/x.yaml", &cfg, &err), 0);
    ck_assert_str_eq(err.msg,
                     "/nonexistent/x.yaml: No such file or directory");
}
END_TEST

static Suite *
config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("config");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, config_minimal_gets_defaults);
    tcase_add_test(tc, config_full_shape);
    tcase_add_test(tc, config_control);
    tcase_add_test(tc, config_log);
    tcase_add_test(tc, config_trunk_defaults_to_all_vlans);
    tcase_add_test(tc, config_live_ports);
    tcase_add_test(tc, config_integers_decimal_or_hex);
    tcase_add_test(tc, config_shared_capture_paths_allowed);
    tcase_add_test(tc, config_capture_same_inode_refused);
    tcase_add_loop_test(tc, config_error_has_location, 0,
                        sizeof errors / sizeof *errors);
    tcase_add_test(tc, config_missing_file);
    tcase_add_test(tc, cfgtree_equal_ignores_layout_only);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(config_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
