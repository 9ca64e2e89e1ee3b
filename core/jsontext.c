#include "jsontext.h"

#include <stdlib.h>
#include <string.h>

json_t *
jsontext_new(const char *s)
{
    json_t *j = json_string(s);
    char *safe;
    size_t i;

    if (j || !(safe = strdup(s)))
        return j;
    for (i = 0; safe[i]; i++)
        if ((unsigned char) safe[i] < 0x20 || (unsigned char) safe[i] > 0x7e)
            safe[i] = '?';
    j = json_string(safe);
    free(safe);
    return j;
}
