/* tests/objects/firmware.h: the firmware interface the real-object extensions are written
 * against. tests/objects/firmware_side.hpp defines every symbol declared here, and the programs
 * that load the extensions (tests/loader/real_objects.test.cpp, tests/cortex_m/firmware.cpp)
 * export them; the extensions import them as undefined symbols, so each one is a firmware
 * import the loader must resolve through the export table (nothing comes from a C library). */
#ifndef EXTLOAD_TESTS_OBJECTS_FIRMWARE_H
#define EXTLOAD_TESTS_OBJECTS_FIRMWARE_H

#ifdef __cplusplus
#define FW_NOEXCEPT noexcept
extern "C" {
#else
#define FW_NOEXCEPT
#endif

int fw_add(int a, int b) FW_NOEXCEPT;
void fw_log(int event) FW_NOEXCEPT;
int fw_apply(int (*callback)(int), int x) FW_NOEXCEPT; /* returns 2 * callback(x) */
int fw_sum(int n, ...) FW_NOEXCEPT;                      /* sum of n int arguments */

struct fw_big { long v[8]; };                          /* returned through a hidden pointer */
struct fw_big fw_make_big(long seed) FW_NOEXCEPT;      /* v[i] = seed * (i + 1) */

extern int fw_counter;
extern int fw_table[16];                               /* fw_table[i] = i * i + 1 */
extern const char fw_name[9];                          /* "firmware" */

unsigned fw_mix(unsigned a, unsigned b) FW_NOEXCEPT;   /* (a ^ (a >> 7)) * 31 + b */
unsigned fw_mix_b(unsigned a, unsigned b) FW_NOEXCEPT; /* rotl(a, 5) + (b ^ 0x9e3779b9) */
extern const unsigned fw_words[64];                    /* fw_words[i] = i * 0x01000193 + 7 */

#ifdef __cplusplus
}
#endif

#endif
