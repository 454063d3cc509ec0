/* tests/run/multi_main.c: a program split over objects and an archive: main here, the rest in
   multi_a.c / multi_b.c (as objects, or as members of libmulti.a, pulled on demand); the archive
   also holds multi_unused_member.c (a name longer than 15 bytes: GNU ar puts it in the "//" table), which nothing needs: its constructor must not run. */
#include <stdio.h>

int multi_a(int);          /* multi_a.c, which calls multi_b() */
extern int multi_b_calls;  /* multi_b.c */

int main(void) {
  printf("multi_a(5) = %d\n", multi_a(5));
  printf("multi_b was called %d times\n", multi_b_calls);
  return 0;
}
