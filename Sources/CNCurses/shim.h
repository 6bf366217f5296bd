// The one C header the terminal backend sees. It asks for the wide-character curses API
// (cchar_t, setcchar, wget_wch) and wraps the few macros and globals Swift cannot use directly.
#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// POSIX, but glibc only declares it under _XOPEN_SOURCE, which the Swift Glibc module lacks.
int wcwidth(wchar_t character);

// Global variables are wrapped in functions: Swift 6 rejects reads of C globals it cannot prove
// are not shared mutable state, and curses updates these after a resize or start_color().
static inline WINDOW *cncurses_standard_screen(void) { return stdscr; }
static inline int cncurses_colors(void) { return COLORS; }
static inline int cncurses_color_pairs(void) { return COLOR_PAIRS; }

// newterm() on the process's own standard streams, which Swift cannot name safely.
static inline SCREEN *cncurses_newterm_on_standard_streams(const char *terminal_type) {
    return newterm(terminal_type, stdout, stdin);
}

// Attribute bits are built by function-like macros, which Swift does not import.
static inline attr_t cncurses_attribute_bold(void) { return A_BOLD; }
static inline attr_t cncurses_attribute_dim(void) { return A_DIM; }
static inline attr_t cncurses_attribute_underline(void) { return A_UNDERLINE; }
static inline attr_t cncurses_attribute_reverse(void) { return A_REVERSE; }

// tigetstr() returns (char *)-1 for a name that is not a string capability; fold that into NULL.
static inline const char *cncurses_string_capability(const char *name) {
    char *value = tigetstr(name);
    return (value == (char *)-1) ? NULL : value;
}

#endif
