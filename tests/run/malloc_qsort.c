/* tests/run/malloc_qsort.c: the heap (malloc/realloc/calloc/free), qsort and bsearch calling back
   into the loaded code, function pointers stored in data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct person { char name[16]; int age; };

static int by_age(void const* a, void const* b) {
  struct person const* x = a;
  struct person const* y = b;
  return x->age != y->age ? (x->age < y->age ? -1 : 1) : strcmp(x->name, y->name);
}
static int by_name(void const* a, void const* b) { return strcmp(((struct person const*)a)->name, ((struct person const*)b)->name); }
static int (*const orders[])(void const*, void const*) = {by_age, by_name};

int main(void) {
  static char const* names[] = {"mallory", "alice", "trent", "bob", "eve", "carol", "dave", "peggy"};
  size_t n = 0, cap = 2;
  struct person* p = malloc(cap * sizeof *p);
  for (unsigned i = 0; i < 8; ++i) {
    if (n == cap) p = realloc(p, (cap *= 2) * sizeof *p);
    snprintf(p[n].name, sizeof p[n].name, "%s", names[i]);
    p[n++].age = (int)((i * 37u + 11u) % 50u);
  }
  for (int o = 0; o < 2; ++o) {
    qsort(p, n, sizeof *p, orders[o]);
    for (size_t i = 0; i < n; ++i) printf("%s:%d ", p[i].name, p[i].age);
    printf("\n");
  }
  struct person key = {"eve", 0};
  struct person const* found = bsearch(&key, p, n, sizeof *p, by_name);
  printf("found %s aged %d\n", found ? found->name : "nobody", found ? found->age : -1);
  int* z = calloc(1000, sizeof *z);
  long sum = 0;
  for (int i = 0; i < 1000; ++i) sum += z[i] + i;
  printf("calloc sum %ld\n", sum);
  free(z);
  free(p);
  return 0;
}
