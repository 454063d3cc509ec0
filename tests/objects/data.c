/* tests/objects/data.c: data references. Initialised globals, pointers to globals (R_X86_64_64
 * in .data), pointers into firmware data with an addend, string literals (mergeable
 * .rodata.str), a const table of pointers (.rodata or .data.rel.ro), bss, a common symbol
 * (compiled with -fcommon: SHN_COMMON, allocated by the loader) and a static local. */
#include "firmware.h"

int data_value = 5;
int *data_ptr = &data_value;
int *data_fw_counter_ptr = &fw_counter;
int *data_fw_table_ptr = &fw_table[3];
const char *data_fw_name_ptr = fw_name;

const char *const data_words[] = {"hello", "world", "extload", ""};
static int data_bss[256];
int data_common;                                         /* SHN_COMMON under -fcommon */

static unsigned length(const char *s) {
  unsigned n = 0;
  while (s[n] != '\0') ++n;
  return n;
}

/* Sum of the lengths of data_words, plus the length of the firmware's name. */
unsigned data_lengths(void) {
  unsigned n = 0;
  for (unsigned i = 0; data_words[i][0] != '\0'; ++i) n += length(data_words[i]);
  return n * 100 + length(data_fw_name_ptr);
}

const char *data_word(unsigned i) { return i < 4 ? data_words[i] : "out of range"; }

int data_bump(void) {
  static int calls = 10;
  return ++calls;
}

/* Fill bss, read it back through a pointer to it. */
int data_bss_sum(int seed) {
  int *p = data_bss;
  for (int i = 0; i < 256; ++i) p[i] += seed + i;
  int s = 0;
  for (int i = 0; i < 256; ++i) s += data_bss[i];
  return s;
}

int data_read_fw(int i) { return fw_counter * 1000 + fw_table[i & 15] + *data_fw_table_ptr; }

void data_write_fw(int v) { *data_fw_counter_ptr = v; fw_table[15] = v + 1; }

int *data_common_addr(void) { return &data_common; }

int data_through_ptr(int v) { *data_ptr += v; return data_value; }
