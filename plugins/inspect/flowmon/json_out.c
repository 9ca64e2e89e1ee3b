#include "json_out.h"

#include <errno.h>
#include <string.h>

void
json_out_init(struct json_out *j, FILE *f)
{
    j->f = f;
    j->depth = 0;
    j->first = true;
    j->used = 0;
}

static void
flush_buf(struct json_out *j)
{
    fwrite(j->buf, 1, j->used, j->f);
    j->used = 0;
}

static void
put(struct json_out *j, const void *p, size_t n)
{
    if (j->used + n > sizeof j->buf) {
        flush_buf(j);
        if (n > sizeof j->buf) {
            fwrite(p, 1, n, j->f);
            return;
        }
    }
    memcpy(j->buf + j->used, p, n);
    j->used += n;
}

static void
put_char(struct json_out *j, char c)
{
    put(j, &c, 1);
}

/* The length of the valid UTF-8 sequence at 's', or 0 if there is none
 * (overlong forms, surrogates and values past U+10FFFF are invalid). */
static unsigned
utf8_len(const unsigned char *s)
{
    unsigned n, i;
    unsigned char lo = 0x80, hi = 0xbf;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        n = 2;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        n = 3;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        n = 4;
    else
        return 0;
    if (s[0] == 0xe0)
        lo = 0xa0;
    else if (s[0] == 0xed)
        hi = 0x9f;
    else if (s[0] == 0xf0)
        lo = 0x90;
    else if (s[0] == 0xf4)
        hi = 0x8f;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (i = 2; i < n; i++) {
        if (s[i] < 0x80 || s[i] > 0xbf)
            return 0;
    }
    return n;
}

/* The length of the character at 's' if it goes out as it is, else 0
 * (the string's end, a character to escape, or a byte that is not valid
 * UTF-8). */
static unsigned
plain_len(const unsigned char *s)
{
    return *s < 0x20 || *s == '"' || *s == '\\' ? 0 : utf8_len(s);
}

static void
put_string(struct json_out *j, const char *str)
{
    const unsigned char *s = (const unsigned char *) str, *run;
    char esc[8];
    unsigned n;

    put_char(j, '"');
    for (;;) {
        for (run = s; (n = plain_len(s)) > 0; s += n)
            ;
        put(j, run, (size_t) (s - run));
        if (!*s)
            break;
        if (*s == '"' || *s == '\\')
            put(j, (const char[]){'\\', (char) *s}, 2);
        else if (*s == '\n')
            put(j, "\\n", 2);
        else if (*s == '\t')
            put(j, "\\t", 2);
        else if (*s == '\r')
            put(j, "\\r", 2);
        else if (*s < 0x20)
            put(j, esc, (size_t) snprintf(esc, sizeof esc, "\\u%04x", *s));
        else
            put(j, "\\ufffd", 6);
        s++;
    }
    put_char(j, '"');
}

/* A new line and the indent of 'depth' levels. */
static void
put_indent(struct json_out *j, unsigned depth)
{
    static const char spaces[] = "                                ";
    size_t n = 2 * (size_t) depth, step;

    put_char(j, '\n');
    for (; n > 0; n -= step) {
        step = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        put(j, spaces, step);
    }
}

/* Starts a member or element: separator, new line, indent, key. */
static void
begin_value(struct json_out *j, const char *key)
{
    if (j->depth > 0) {
        if (!j->first)
            put_char(j, ',');
        put_indent(j, j->depth);
    }
    if (key) {
        put_string(j, key);
        put(j, ": ", 2);
    }
    j->first = false;
}

static void
open_container(struct json_out *j, const char *key, char c)
{
    begin_value(j, key);
    put_char(j, c);
    j->depth++;
    j->first = true;
}

static void
close_container(struct json_out *j, char c)
{
    j->depth--;
    if (!j->first)
        put_indent(j, j->depth);
    put_char(j, c);
    j->first = false;
}

void
json_out_object_begin(struct json_out *j, const char *key)
{
    open_container(j, key, '{');
}

void
json_out_object_end(struct json_out *j)
{
    close_container(j, '}');
}

void
json_out_array_begin(struct json_out *j, const char *key)
{
    open_container(j, key, '[');
}

void
json_out_array_end(struct json_out *j)
{
    close_container(j, ']');
}

void
json_out_u64(struct json_out *j, const char *key, uint64_t value)
{
    char digits[20], *p = digits + sizeof digits;

    begin_value(j, key);
    do
        *--p = (char) ('0' + value % 10);
    while ((value /= 10) > 0);
    put(j, p, (size_t) (digits + sizeof digits - p));
}

void
json_out_str(struct json_out *j, const char *key, const char *value)
{
    begin_value(j, key);
    put_string(j, value);
}

int
json_out_finish(struct json_out *j)
{
    put_char(j, '\n');
    flush_buf(j);
    if (fflush(j->f) != 0 || ferror(j->f))
        return -EIO;
    return 0;
}
