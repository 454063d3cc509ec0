/* tests/run/fail_execstack.c: a GCC nested function whose address is taken: GCC builds a
   trampoline on the stack and marks .note.GNU-stack executable; extload-run refuses it. */
#include <stdio.h>
static int apply(int (*f)(int), int x) { return f(x); }
int main(void) {
  int k = 3;
  int add(int v) { return v + k; }
  printf("%d\n", apply(add, 4));
  return 0;
}
