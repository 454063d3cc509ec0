/* tests/run/errno_exit.c: errno set by the C library, atexit and on_exit handlers (run newest
   first), and exit() called deep inside a recursion with an argument-given status. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void first(void) { printf("atexit: registered first, runs last\n"); }
static void second(void) { printf("atexit: registered second\n"); }
static void with_status(int status, void* arg) { printf("on_exit: status %d, %s\n", status, (char const*)arg); }

static int deep(int n, int status) {
  if (n == 0) {
    printf("exit(%d) from the bottom\n", status);
    exit(status);
  }
  return deep(n - 1, status) + 1;
}

int main(int argc, char** argv) {
  atexit(first);
  atexit(second);
  on_exit(with_status, "argument");
  errno = 0;
  long v = strtol("123456789012345678901234567890", NULL, 10);
  printf("strtol: %ld, errno %s\n", v, errno == ERANGE ? "ERANGE" : "?");
  FILE* f = fopen("/nonexistent/extload/file", "r");
  printf("fopen: %s, errno %s (%s)\n", f ? "opened" : "NULL", errno == ENOENT ? "ENOENT" : "?", strerror(errno));
  int status = argc > 1 ? atoi(argv[1]) : 0;
  printf("deep returned %d\n", deep(40, status));
  return 1; /* not reached */
}
