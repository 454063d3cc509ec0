/* tests/run/math.c: libm (resolved against the host's libm), doubles through varargs, and a
   jump table (switch) in .rodata. */
#include <math.h>
#include <stdio.h>

static char const* kind(int i) {
  switch (i % 7) {
  case 0: return "zero";
  case 1: return "one";
  case 2: return "two";
  case 3: return "three";
  case 4: return "four";
  case 5: return "five";
  default: return "six";
  }
}

int main(void) {
  double acc = 0;
  for (int i = 1; i <= 20; ++i) acc += sqrt((double)i) * sin(i * 0.25) + pow(1.01, i) - log1p(i);
  printf("acc %.6f floor %.1f lround %ld hypot %.4f\n", acc, floor(acc), lround(acc * 10), hypot(3.0, 4.0));
  for (int i = 0; i < 9; ++i) printf("%s ", kind(i));
  printf("\n");
  return 0;
}
