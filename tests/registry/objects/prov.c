/* tests/registry/objects/prov.c: compiled once per PROV_ID (0..9) into prov<N>.o, each defining
 * prov_<N>(): ten providers for many.c, more than LLEXT's LLEXT_MAX_DEPENDENCIES (8). */
#ifndef PROV_ID
#error "compile with -DPROV_ID=<n>"
#endif
#define PROV_CAT2(a, b) a##b
#define PROV_CAT(a, b) PROV_CAT2(a, b)

int PROV_CAT(prov_, PROV_ID)(void) { return PROV_ID * PROV_ID + 1; }
