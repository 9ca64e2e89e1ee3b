#include "ratelimit.h"

#define WINDOW_NS 1000000000ull

void
ratelimit_init(struct ratelimit *rl, uint32_t per_second)
{
    *rl = (struct ratelimit){.rate = per_second};
}

bool
ratelimit_allow(struct ratelimit *rl, uint64_t now, uint64_t *suppressed)
{
    if (rl->rate == 0)
        return false;
    if (!rl->started || now < rl->window_ns ||
        now - rl->window_ns >= WINDOW_NS) {
        rl->started = 1;
        rl->window_ns = now;
        rl->in_window = 0;
    }
    if (rl->in_window == rl->rate) {
        rl->suppressed++;
        return false;
    }
    rl->in_window++;
    *suppressed = rl->suppressed;
    rl->suppressed = 0;
    return true;
}
