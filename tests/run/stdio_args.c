/* tests/run/stdio_args.c: argv, stdio to stdout and stderr, formatted output, a buffered
   stdout that must be flushed at exit, and a non-zero exit status from main. */
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  for (int i = 1; i < argc; ++i) printf("argv[%d]=\"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
  if (argv[argc] != NULL) return 99;
  fprintf(stderr, "stderr: %d args\n", argc - 1);
  char buf[64];
  snprintf(buf, sizeof buf, "%-6s|%6.2f|%#x|%lld", "ab", 3.14159, 255u, -1234567890123LL);
  puts(buf);
  fputs("no newline at the end", stdout); /* stays in the buffer until exit */
  return argc + 10;
}
