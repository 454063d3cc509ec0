/* tests/run/fail_tls.c: a thread-local variable; extload-run refuses it with a message naming
   the construct (exit status 127). */
#include <stdio.h>
__thread int per_thread = 3;
int main(void) { printf("%d\n", ++per_thread); return 0; }
