/* A small JSON writer
 * ===================
 * Writes an indented JSON document to a stdio stream as it is produced:
 * no tree in memory, no allocation.  The core uses jansson, but an
 * extension links libc and libpcap only, so flowmon writes its export by
 * hand; this is all the JSON it needs (objects, arrays, unsigned integers
 * and strings).
 *
 * Strings are escaped as RFC 8259 requires: '"', '\' and control
 * characters; bytes that are not valid UTF-8 (a file name can hold any)
 * become U+FFFD, so the output is always valid JSON.
 *
 * The pieces are gathered in the writer's own buffer and handed to stdio
 * a buffer at a time: stdio's per-call cost (its lock and checks), paid
 * per character and per indent, made an export of 1,000 flows cost 50M
 * instructions; now 12M.
 *
 * Usage: json_out_init(), then calls that each write one member (with a
 * key, inside an object) or one element (key NULL, inside an array or at
 * the top), then json_out_finish().  Write errors are remembered and
 * reported once by json_out_finish(). */
#ifndef FLOWMON_JSON_OUT_H
#define FLOWMON_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_OUT_BUF 4096u

struct json_out {
    FILE *f;        /* Borrowed: the caller opens and closes it. */
    unsigned depth; /* Open objects and arrays. */
    bool first;     /* Nothing written yet in the innermost one. */
    size_t used;    /* Bytes in 'buf' not yet given to 'f'. */
    char buf[JSON_OUT_BUF];
};

void json_out_init(struct json_out *, FILE *f);

void json_out_object_begin(struct json_out *, const char *key);
void json_out_object_end(struct json_out *);
void json_out_array_begin(struct json_out *, const char *key);
void json_out_array_end(struct json_out *);

void json_out_u64(struct json_out *, const char *key, uint64_t value);
void json_out_str(struct json_out *, const char *key, const char *value);

/**
 * json_out_finish - end the document with a newline and flush
 * @return 0, or -EIO if any write failed.
 */
int json_out_finish(struct json_out *);

#endif
