#include "json_out.h"

#include <errno.h>
#include <inttypes.h>

void
json_out_init(struct json_out *j, FILE *f)
{
    j->f = f;
    j->depth = 0;
    j->first = true;
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

static void
put_string(FILE *f, const char *str)
{
    const unsigned char *s = (const unsigned char *) str;
    unsigned n;

    fputc('"', f);
    while (*s) {
        if (*s == '"' || *s == '\\') {
            fputc('\\', f);
            fputc(*s++, f);
        } else if (*s == '\n') {
            fputs("\\n", f), s++;
        } else if (*s == '\t') {
            fputs("\\t", f), s++;
        } else if (*s == '\r') {
            fputs("\\r", f), s++;
        } else if (*s < 0x20) {
            fprintf(f, "\\u%04x", *s++);
        } else if ((n = utf8_len(s)) == 0) {
            fputs("\\ufffd", f), s++;
        } else {
            fwrite(s, 1, n, f);
            s += n;
        }
    }
    fputc('"', f);
}

/* Starts a member or element: separator, new line, indent, key. */
static void
begin_value(struct json_out *j, const char *key)
{
    unsigned i;

    if (j->depth > 0) {
        if (!j->first)
            fputc(',', j->f);
        fputc('\n', j->f);
        for (i = 0; i < j->depth; i++)
            fputs("  ", j->f);
    }
    if (key) {
        put_string(j->f, key);
        fputs(": ", j->f);
    }
    j->first = false;
}

static void
open_container(struct json_out *j, const char *key, char c)
{
    begin_value(j, key);
    fputc(c, j->f);
    j->depth++;
    j->first = true;
}

static void
close_container(struct json_out *j, char c)
{
    unsigned i;

    j->depth--;
    if (!j->first) {
        fputc('\n', j->f);
        for (i = 0; i < j->depth; i++)
            fputs("  ", j->f);
    }
    fputc(c, j->f);
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
    begin_value(j, key);
    fprintf(j->f, "%" PRIu64, value);
}

void
json_out_str(struct json_out *j, const char *key, const char *value)
{
    begin_value(j, key);
    put_string(j->f, value);
}

int
json_out_finish(struct json_out *j)
{
    fputc('\n', j->f);
    if (fflush(j->f) != 0 || ferror(j->f))
        return -EIO;
    return 0;
}
