/* Files written on command
 * ========================
 * A path in the configuration is the operator's choice; a path that
 * arrives over the control socket (a capture file) is not trusted that
 * far.  path_open_under() opens such a path for writing only under one
 * directory, the config file's: the path must be relative and free of
 * '..', the directory it names is resolved (links included) and must lie
 * inside that directory (resolved too), and the file is opened with
 * O_NOFOLLOW, so that neither a directory link nor a link as the file
 * itself leads elsewhere (docs/security.md, "Files written on command").
 *
 * flowmon's 'export PATH' follows the same rule with its own copy of this
 * logic (plugins/inspect/flowmon/flowmon_config.c): an extension sees only
 * the SDK and links nothing of the core, so it cannot share this one
 * short of a new host service. */
#ifndef XSW_PATH_H
#define XSW_PATH_H

#include "err.h"

/* Opens 'path' (relative to 'dir') for writing, created mode 0644 or
 * truncated.  Returns the descriptor (O_CLOEXEC) and sets '*full' to the
 * path opened (malloc()ed, the caller frees it), or returns a negative
 * errno (-EACCES for a path that would escape, -ELOOP for a link as the
 * file) with 'err' saying why and '*full' NULL. */
int path_open_under(const char *dir, const char *path, char **full,
                    struct xsw_err *err);

#endif
