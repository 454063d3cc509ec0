/* tests/run/binfmt_main.c: a program with no C library dependency, for the binfmt tests: a
   constructor sets `base`, main returns base + argc + helper(argc) (binfmt_helper.c). Loaded as
   an object, from an archive (libbinfmt.a) and as a prelinked EXTLOADP image. */
int binfmt_helper(int);
int base;
__attribute__((constructor)) static void set_base(void) { base = 40; }
int main(int argc, char** argv) { return base + argc + binfmt_helper(argc) + (argv[argc] == 0 ? 0 : 1000); }
