/* tests/objects/ctors.c: constructors and destructors. Prioritised ones land in
 * .init_array.NNNNN / .fini_array.NNNNN (gcc pads to 5 digits, clang does not), default ones and
 * explicit entries in .init_array / .fini_array, plus one .preinit_array entry. Each records an
 * event with fw_log, so the test checks the order: preinit, 101, 102, then the default-priority
 * ones; on tear-down the default-priority destructors, then 102, then 101 (GCC manual,
 * "constructor (priority)": destructors run in the reverse order of constructors). */
#include "firmware.h"

int ctors_state;

__attribute__((constructor(102))) static void c102(void) { fw_log(102); ctors_state = ctors_state * 10 + 2; }
__attribute__((constructor(101))) static void c101(void) { fw_log(101); ctors_state = ctors_state * 10 + 1; }
__attribute__((constructor)) static void c_default(void) { fw_log(200); }

static void c_explicit(void) { fw_log(201); }
static void c_pre(void) { fw_log(50); ctors_state = 9; }
__attribute__((section(".init_array"), used)) static void (*init_entry)(void) = c_explicit;
__attribute__((section(".preinit_array"), used)) static void (*preinit_entry)(void) = c_pre;

__attribute__((destructor(101))) static void d101(void) { fw_log(-101); }
__attribute__((destructor(102))) static void d102(void) { fw_log(-102); }
__attribute__((destructor)) static void d_default(void) { fw_log(-200); }
static void d_explicit(void) { fw_log(-201); }
__attribute__((section(".fini_array"), used)) static void (*fini_entry)(void) = d_explicit;

int ctors_get_state(void) { return ctors_state; }
