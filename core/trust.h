/* Trusting a file before running its code
 * ========================================
 * An extension module runs inside xswd with all of xswd's privileges, so
 * whoever can replace the .so, or rename another file over it, owns the
 * switch.  Before dlopen() the loader asks trust_check() about the module,
 * the same question sshd (StrictModes) and sudo ask of what they trust:
 *
 *   - the file, after every symbolic link is resolved, is a regular file;
 *   - it and every directory above it, up to '/', is owned by root or by
 *     the user xswd runs as (its effective uid);
 *   - none of them is writable by others, nor by a group other than
 *     root's (gid 0: its members can become root anyway) or xswd's own
 *     effective group (a developer's private group under umask 002).
 *
 * One exception: a directory with the sticky bit (/tmp) may be writable by
 * everyone, because then nobody but an entry's owner may rename or remove
 * it, and that owner was checked.
 *
 * The configuration can waive the check for development
 * (security.allow_insecure_extensions); the loader then loads the module
 * and logs the reason it would have refused it. */
#ifndef XSW_TRUST_H
#define XSW_TRUST_H

#include <stddef.h>

/* 0 when 'path' may be trusted.  Otherwise a negative errno (-EPERM for a
 * failed rule, the errno of realpath()/stat() when the file cannot be
 * examined) and a one-line reason in 'why', naming the offending path,
 * e.g. "/opt/xsw is writable by others (mode 0777)". */
int trust_check(const char *path, char *why, size_t size);

#endif
