/* xsw SDK version
 * ===============
 * The ABI is versioned major.minor.  A module built against major M loads
 * only in a host of major M; within a major, fields are only ever appended to
 * the descriptor and to the host table, so a module built against minor m
 * loads in every host of minor >= m.  The host reads a module's descriptor
 * only as far as the module's own 'size' covers; the module must read the
 * host table only as far as the host's 'size' covers (XSW_HOST_HAS()). */
#ifndef XSW_VERSION_H
#define XSW_VERSION_H

#define XSW_ABI_MAJOR 1
#define XSW_ABI_MINOR 0

#define XSW_STR_(x) #x
#define XSW_STR(x) XSW_STR_(x)
#define XSW_CAT_(a, b) a##b
#define XSW_CAT(a, b) XSW_CAT_(a, b)

/* The one symbol a module exports; it carries the major so that a module of
 * another major is refused by name before anything in it is read. */
#define XSW_EXTENSION_SYMBOL_ID XSW_CAT(xsw_extension_v, XSW_ABI_MAJOR)
#define XSW_EXTENSION_SYMBOL "xsw_extension_v" XSW_STR(XSW_ABI_MAJOR)

#endif
