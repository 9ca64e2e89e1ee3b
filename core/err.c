#include "err.h"

#include <stdio.h>

int
xsw_err_set(struct xsw_err *err, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    code = xsw_err_vset(err, code, fmt, ap);
    va_end(ap);
    return code;
}

int
xsw_err_vset(struct xsw_err *err, int code, const char *fmt, va_list ap)
{
    if (err) {
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    }
    return code;
}

int
xsw_err_prefix(struct xsw_err *err, const char *prefix)
{
    char msg[XSW_ERR_MAX];

    if (!err)
        return 0;
    snprintf(msg, sizeof msg, "%s", err->msg);
    return xsw_err_set(err, err->code, "%s: %s", prefix, msg);
}

void
xsw_err_clear(struct xsw_err *err)
{
    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
    }
}
