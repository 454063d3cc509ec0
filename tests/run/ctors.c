/* tests/run/ctors.c: constructors and destructors with priorities, static data initialised by
   them, and the order of atexit handlers versus destructors at exit. */
#include <stdio.h>
#include <stdlib.h>

static int order[8];
static int n;

__attribute__((constructor(200))) static void early(void) { order[n++] = 200; }
__attribute__((constructor(300))) static void late(void) { order[n++] = 300; }
__attribute__((constructor)) static void plain(void) { order[n++] = 65535; }
__attribute__((destructor)) static void finish(void) { printf("destructor runs after the atexit handler\n"); }
static void handler(void) { printf("atexit handler\n"); }

int main(void) {
  printf("constructors ran:");
  for (int i = 0; i < n; ++i) printf(" %d", order[i]);
  printf("\n");
  atexit(handler);
  return 0;
}
