/* tests/run/fail_tls_extern.c: a reference to a thread-local variable defined elsewhere
   (R_X86_64_GOTTPOFF); refused naming the relocation and the symbol. */
#include <stdio.h>
extern __thread int elsewhere;
int main(void) { printf("%d\n", elsewhere); return 0; }
