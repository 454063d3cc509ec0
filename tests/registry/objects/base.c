/* tests/registry/objects/base.c: the bottom of the provider chain base <- middle <- top. Exports
 * a function and a data object (both imported by middle.c), a void(void) function for call_fn,
 * an entry point for bootstrap, and a constructor/destructor pair that log 1 / -1. */
#include "registry_firmware.h"

int base_value = 40;

int base_twice(int x) { return 2 * x + reg_scale; }

int base_get(void) { return base_value; }

void base_bump(void) { ++base_value; }

void base_entry(void *user) {
  reg_log(10);
  *(int *)user = base_value + 2;
}

__attribute__((constructor)) static void base_init(void) { reg_log(1); }
__attribute__((destructor)) static void base_fini(void) { reg_log(-1); }
