/* tests/objects/weak.c: weak symbols. fw_maybe/fw_maybe_data are weak undefined and NOT exported
 * by the firmware: they must resolve to 0 (ELF gABI: an unresolved weak reference is zero), and
 * the guarded call must not run. fw_present is weak undefined and exported: it must resolve to
 * the firmware's definition. weak_defined is a weak definition, used locally. */
#include "firmware.h"

extern int fw_maybe(void) __attribute__((weak));
extern int fw_maybe_data __attribute__((weak));
extern int fw_present(void) __attribute__((weak));

int weak_call_maybe(void) { return fw_maybe ? fw_maybe() : -1; }
int weak_data_maybe(void) { return &fw_maybe_data ? fw_maybe_data : -2; }
unsigned long weak_maybe_address(void) { return (unsigned long)&fw_maybe; }
int weak_call_present(void) { return fw_present ? fw_present() : -1; }

__attribute__((weak)) int weak_defined(void) { return 5; }
int weak_call_defined(void) { return weak_defined() + 1; }
