/* tests/registry/objects/broken.c: resolves base_twice through the registry, then fails to load
 * because reg_missing is defined nowhere: the registry must come out of it unchanged (base's use
 * count included). */
int base_twice(int x);
int reg_missing(int x);

int broken_calc(int x) { return base_twice(x) + reg_missing(x); }
