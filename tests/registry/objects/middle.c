/* tests/registry/objects/middle.c: depends on base (a function and a data object), provides
 * middle_calc and middle_value to top.c. Constructor/destructor log 2 / -2. */
#include "registry_firmware.h"

extern int base_value;
int base_twice(int x);

int middle_value = 5;

int middle_calc(int x) { return base_twice(x) + base_value; }

__attribute__((constructor)) static void middle_init(void) { reg_log(2); }
__attribute__((destructor)) static void middle_fini(void) { reg_log(-2); }
