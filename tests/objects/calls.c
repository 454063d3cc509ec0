/* tests/objects/calls.c: calls both ways between extension and firmware. Calls into firmware
 * (PLT32 / GOTPCRELX / PLTOFF64 by code model), callbacks the extension passes to the firmware
 * (address of a static and of a global function), a firmware callback the extension calls,
 * tail calls, a variadic call, a self-recursive global (interposable under -fPIC) and struct
 * copies/clears big enough for the compiler to emit memcpy/memset calls. */
#include "firmware.h"

static int triple(int x) { return 3 * x; }

int calls_square(int x) { return x * x; }

int calls_add3(int a, int b, int c) { return fw_add(fw_add(a, b), c); }

int calls_apply_triple(int x) { return fw_apply(triple, x); }

int calls_apply_square(int x) { return fw_apply(calls_square, x); }

int calls_invoke(int (*callback)(int), int x) { return callback(x) + 1; }

int calls_tail(int x) { return fw_add(x, 1); }

int calls_variadic(int a, int b, int c) { return fw_sum(3, a, b, c); }

int calls_factorial(int n) { return n <= 1 ? 1 : n * calls_factorial(n - 1); }

long calls_big(long seed) {
  struct fw_big b = fw_make_big(seed);
  long s = 0;
  for (int i = 0; i < 8; ++i) s += b.v[i] * (i + 1);
  return s;
}

struct blob { unsigned char b[1024]; };
struct blob calls_blob_a, calls_blob_b;

unsigned calls_copy(unsigned seed) {
  for (unsigned i = 0; i < sizeof calls_blob_a.b; ++i) calls_blob_a.b[i] = (unsigned char)(seed + i);
  calls_blob_b = calls_blob_a;                              /* memcpy at -O2/-Os */
  unsigned s = 0;
  for (unsigned i = 0; i < sizeof calls_blob_b.b; ++i) s += calls_blob_b.b[i] * (i % 7 + 1);
  calls_blob_a = (struct blob){{0}};                        /* memset */
  for (unsigned i = 0; i < sizeof calls_blob_a.b; ++i) s += calls_blob_a.b[i];
  return s;
}
