/* Reload
 * ======
 * 'xswctl reload': the config file read again and the difference applied
 * to the running switch, between two batches, so no packet sees half of
 * it and none is lost.
 *
 * What is compared, and what happens (docs/control.md, "reload"):
 *
 *   ports       by name.  Same driver settings (type, rx, tx, device, mac,
 *               mtu, netns): kept, with its id, counters, FDB entries and
 *               the state xswctl gave it; a changed 'vlan:' is applied
 *               (and the port's FDB entries forgotten).  Other settings
 *               changed: the driver is closed and opened again (same id,
 *               counters kept, FDB entries forgotten).  A new port gets a
 *               new id; a port gone from the file is removed: closed, its
 *               FDB entries forgotten, but its id is never reused and its
 *               counters stay in the summary (type "removed"), so the
 *               accounting still adds up.  Extensions hear
 *               XSW_PORT_EV_ADDED / XSW_PORT_EV_REMOVED.
 *   extensions  by instance name.  Same module and same 'config:' (equal
 *               trees, extension_path unchanged): the instance is kept,
 *               state, counters and all.  Otherwise a new instance is made
 *               from the new config, the old one's save() is handed to the
 *               new one's restore() when the module has both, and the old
 *               one is destroyed; its drop reasons (same names) go on
 *               counting.  New instances are added, missing ones removed.
 *               'enabled:' and the chain order follow the file only where
 *               the file changed them (otherwise what xswctl set stays).
 *   switch      fdb.aging_s is applied; switch.name, fdb.max_entries,
 *               security.* and control.* need a restart: a new value is
 *               refused.
 *
 * All or nothing.  Everything that can fail (reading and checking the
 * file, loading and creating new instances, save/restore, opening ports)
 * is done before anything changes for good; any failure undoes what was
 * prepared and the error (file:line:col for the file's own errors) is the
 * reply.  Only a driver reopened and then rolled back can end up without
 * its device (logged), because the old driver had to be closed to open
 * the new one on the same device.
 *
 * Limits: at most CONFIG_PORTS_MAX port ids over a switch's life (removed
 * ports keep theirs) and CONFIG_EXTS_MAX extensions at once.
 *
 * Threads: datapath thread only, between batches (a control command). */
#ifndef XSW_RELOAD_H
#define XSW_RELOAD_H

#include <jansson.h>

#include "err.h"

struct dp;

/* Re-reads the switch's config file and applies the difference.  Returns
 * 0 and '*report' (a new reference: what changed, docs/control.md), or a
 * negative errno with 'err' saying why; then nothing changed. */
int reload_run(struct dp *, json_t **report, struct xsw_err *);

#endif
