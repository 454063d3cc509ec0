/* tests/registry/objects/top.c: the top of the chain; depends on middle only (and, through it,
 * on base). Constructor/destructor log 3 / -3. */
#include "registry_firmware.h"

extern int middle_value;
int middle_calc(int x);

int top_calc(int x) { return middle_calc(x) * 10 + middle_value; }

__attribute__((constructor)) static void top_init(void) { reg_log(3); }
__attribute__((destructor)) static void top_fini(void) { reg_log(-3); }
