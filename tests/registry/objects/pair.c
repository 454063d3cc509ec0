/* tests/registry/objects/pair.c: depends on two providers at once (base and other). */
int base_get(void);
int other_id(void);

int pair_sum(void) { return base_get() + other_id(); }
