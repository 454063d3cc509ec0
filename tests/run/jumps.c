/* tests/run/jumps.c: setjmp/longjmp across several frames, and a variadic function of the
   program (va_list passed on to vsnprintf, va_copy). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>

static jmp_buf env;
static int depth_reached;

static void dive(int n) {
  depth_reached = n;
  if (n == 25) longjmp(env, n * 2);
  dive(n + 1);
}

static int sum_ints(int count, ...) {
  va_list ap, again;
  va_start(ap, count);
  va_copy(again, ap);
  int s = 0;
  for (int i = 0; i < count; ++i) s += va_arg(ap, int);
  int first = count > 0 ? va_arg(again, int) : 0;
  va_end(again);
  va_end(ap);
  return s * 100 + first;
}

static void say(char const* fmt, ...) {
  char buf[128];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  printf("say: %s\n", buf);
}

int main(void) {
  volatile int rounds = 0;
  int r = setjmp(env);
  printf("setjmp returned %d (round %d)\n", r, rounds);
  if (rounds++ < 3) dive(0);
  printf("depth %d\n", depth_reached);
  printf("sum %d\n", sum_ints(5, 1, 2, 3, 4, 5));
  say("%s=%d, %.3f, %c%c", "x", 42, 2.5, 'o', 'k');
  return 0;
}
