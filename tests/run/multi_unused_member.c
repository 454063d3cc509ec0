/* tests/run/multi_unused_member.c: an archive member nothing refers to (see multi_main.c). */
#include <stdio.h>
__attribute__((constructor)) static void loaded(void) { printf("multi_unused_member.o was loaded: the archive closure is wrong\n"); }
int multi_unused(void) { return 1; }
