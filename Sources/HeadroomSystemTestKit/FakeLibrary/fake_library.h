/*
 * What the fake driver libraries (FakeNVML/fake_nvml.c, FakeCUDA/fake_cuda.c) share: the
 * scenario file beside the library ("<library path>.conf", read a line at a time), the first
 * problem found in it, sizes with binary units, and per-function call counts.
 * Header-only and static: each fake includes it once and is compiled on its own.
 */
#ifndef FAKE_LIBRARY_H
#define FAKE_LIBRARY_H

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/// The longest scenario line, newline included.
#define FAKE_LINE 1024

/// Keeps the first problem only: "line N: what: text".
static void fake_note_problem(char *problem, size_t size, unsigned int line, const char *what, const char *text) {
    if (problem[0] != 0) return;
    snprintf(problem, size, "line %u: %s: %.200s", line, what, text);
}

/// A decimal number with an optional KiB/MiB/GiB/TiB suffix; 0 when it is not one.
static int fake_parse_size(const char *text, unsigned long long *value) {
    if (!isdigit((unsigned char)text[0])) return 0;
    errno = 0;
    char *end = NULL;
    unsigned long long number = strtoull(text, &end, 10);
    if (errno != 0) return 0;
    unsigned shift = 0;
    if (*end == 0) shift = 0;
    else if (strcmp(end, "KiB") == 0) shift = 10;
    else if (strcmp(end, "MiB") == 0) shift = 20;
    else if (strcmp(end, "GiB") == 0) shift = 30;
    else if (strcmp(end, "TiB") == 0) shift = 40;
    else return 0;
    if (shift > 0 && number > (ULLONG_MAX >> shift)) return 0;
    *value = number << shift;
    return 1;
}

/// Reads "<path of the library holding `anchor`>.conf" and hands each line to `parse_line`, with its
/// number; a line longer than FAKE_LINE is a problem and is skipped. A missing file is a problem only
/// when `required`.
static void fake_read_scenario(const void *anchor, int required, char *problem, size_t size,
                               void (*parse_line)(char *text, unsigned int line)) {
    Dl_info info;
    char path[PATH_MAX + 8];
    if (dladdr(anchor, &info) == 0 || info.dli_fname == NULL) {
        fake_note_problem(problem, size, 0, "dladdr failed", "cannot find the library's own path");
        return;
    }
    if (snprintf(path, sizeof path, "%s.conf", info.dli_fname) >= (int)sizeof path) {
        fake_note_problem(problem, size, 0, "path too long", info.dli_fname);
        return;
    }
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        if (required) fake_note_problem(problem, size, 0, "cannot open scenario", path);
        return;
    }
    char text[FAKE_LINE];
    unsigned int line = 0;
    while (fgets(text, sizeof text, file)) {
        line++;
        size_t length = strlen(text);
        if (length == sizeof text - 1 && text[length - 1] != '\n') {
            fake_note_problem(problem, size, line, "line too long", "");
            int c;
            while ((c = fgetc(file)) != EOF && c != '\n') {}
            continue;
        }
        parse_line(text, line);
    }
    fclose(file);
}

/// Counts a call of `symbol` in `calls`, beside its name in `symbols` (names not listed are not counted).
static void fake_count_call(const char *const *symbols, unsigned long *calls, size_t count, const char *symbol) {
    for (size_t i = 0; i < count; i++) {
        if (strcmp(symbols[i], symbol) == 0) { __atomic_fetch_add(&calls[i], 1, __ATOMIC_RELAXED); return; }
    }
}

/// The calls counted for `symbol`; -1 for a name not listed.
static long fake_call_count(const char *const *symbols, const unsigned long *calls, size_t count, const char *symbol) {
    for (size_t i = 0; symbol && i < count; i++) {
        if (strcmp(symbols[i], symbol) == 0) return (long)__atomic_load_n(&calls[i], __ATOMIC_RELAXED);
    }
    return -1;
}

#endif
