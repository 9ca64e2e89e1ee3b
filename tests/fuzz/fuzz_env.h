/* Fuzzing harness environment
 * ===========================
 * What the libFuzzer targets in tests/fuzz share:
 *
 * - A private scratch directory (under $XSW_FUZZ_TMPDIR, else on tmpfs
 *   when /dev/shm is writable) for the files a target must hand the
 *   switch by name: the config file, the pcap input.  It is emptied and
 *   removed at exit (not after a crash: the scripts remove what is left).
 * - The extension search path pointed at this build's modules
 *   (XSW_EXTENSION_PATH, unless the caller set it), and every module there
 *   pinned in memory.  Pinning matters: libFuzzer registers a module's
 *   coverage counters each time the module is mapped and never forgets
 *   them, so a module that dp_destroy() dlclose()s and the next
 *   dp_create() dlopen()s again would add a new set for every input until
 *   libFuzzer's module table overflows.  With the module pinned, the
 *   switch's dlopen() only takes another reference.
 * - The oracle every target applies after a run: the switch's accounting
 *   (rx + injected = delivered + dropped, in total, per port, and against
 *   the drop reasons).  A violation aborts, so libFuzzer saves the input.
 *
 * The targets print the switch's log lines (XSW_FUZZ_LOG, a XSW_LOG_*
 * number, default XSW_LOG_DEBUG, so the formatting code runs too); run
 * them with -close_fd_mask=2 to discard those and keep libFuzzer's and the
 * sanitizers' reports, as tests/fuzz/smoke.sh and run-long.sh do.
 *
 * Threads: libFuzzer's one thread only (no -jobs with threads; -fork and
 * -jobs run separate processes, each with its own scratch directory). */
#ifndef XSW_FUZZ_ENV_H
#define XSW_FUZZ_ENV_H

#include <stddef.h>
#include <stdint.h>

struct dp;

/* Packet buffers of a switch built per input (dp_options.pool_size).
 * The default pool (4096 buffers of 9.4 KB) would be mapped, faulted in
 * and poisoned anew for every input, which costs more than the run: under
 * ASan a pool bigger than 128 KB comes from mmap() each time.  12 buffers
 * stay below that (13x the executions a second of 128), and are fewer
 * than a batch, so the path of an empty pool ("pool exhausted", the
 * spare buffer that keeps input going) is fuzzed too.  The config target
 * moves no packet at all. */
#define FUZZ_POOL_PCAP 12
#define FUZZ_POOL_CONFIG 8

/* The libFuzzer entry points (prototypes for -Wmissing-prototypes). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Makes the scratch directory, sets the extension path and pins the
 * modules.  Exits the process on failure: a harness that cannot set up
 * has nothing to fuzz. */
void fuzz_env_init(void);

/* The scratch directory; valid after fuzz_env_init(). */
const char *fuzz_scratch_dir(void);

/* '<scratch>/<name>', in a static buffer the next call overwrites. */
const char *fuzz_scratch_path(const char *name);

/* Replaces the file 'path' with 'size' bytes of 'data'.  Returns 0 or a
 * negative errno. */
int fuzz_write_file(const char *path, const uint8_t *data, size_t size);

/* Removes every entry of the scratch directory except 'keep' (a name in
 * it, or NULL): what an extension wrote there during one input. */
void fuzz_scratch_clean(const char *keep);

/* The log level for dp_options. */
uint32_t fuzz_log_level(void);

/* Aborts, with a message naming 'what', unless the accounting of 'dp'
 * balances (see above). */
void fuzz_check_accounting(const struct dp *dp, const char *what);

#endif
