/* Any C string as a JSON string
 * =============================
 * jansson refuses a string that is not UTF-8, and what we put in JSON may
 * quote bytes from outside: a malformed control request, an extension's
 * log line or error message.  Such a string is kept, with every byte
 * outside printable ASCII turned into '?', rather than lost. */
#ifndef XSW_JSONTEXT_H
#define XSW_JSONTEXT_H

#include <jansson.h>

/* A new reference to 's' as a JSON string (NULL only when out of
 * memory). */
json_t *jsontext_new(const char *s);

#endif
