/* Error messages
 * ==============
 * Core actions return 0 or a negative errno for the program and say why in
 * a struct xsw_err for the human.  The message is one line: 'file: reason'
 * (config errors 'file:line:col: key.path: reason').  Setting an error
 * returns the code, so that 'return xsw_err_set(err, -EINVAL, ...)' reads.
 * A NULL 'err' is allowed everywhere and discards the message. */
#ifndef XSW_ERR_H
#define XSW_ERR_H

#include <stdarg.h>

#define XSW_ERR_MAX 512

struct xsw_err {
    int code;               /* Last code set, 0 if none. */
    char msg[XSW_ERR_MAX];  /* NUL-terminated; "" if none. */
};

int xsw_err_set(struct xsw_err *, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int xsw_err_vset(struct xsw_err *, int code, const char *fmt, va_list)
    __attribute__((format(printf, 3, 0)));
void xsw_err_clear(struct xsw_err *);
/* Puts "PREFIX: " before the message (a command's name before the reason
 * a lower layer gave).  Returns the code. */
int xsw_err_prefix(struct xsw_err *, const char *prefix);

#endif
