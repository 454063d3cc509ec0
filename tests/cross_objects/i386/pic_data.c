/* tests/cross_objects/i386/pic_data.c: the i386 PIC data paths. Under -fPIC/-fPIE every access
 * below goes through %ebx = _GLOBAL_OFFSET_TABLE_ (R_386_GOTPC): file-local data and string
 * literals as foo@GOTOFF (R_386_GOTOFF), firmware data and function addresses through GOT slots
 * (R_386_GOT32X), calls as foo@PLT (R_386_PLT32); a dense switch indexes a jump table of
 * GOTOFF-relative entries. Under -fno-pic the same code uses R_386_32 and R_386_PC32. */
#include "firmware.h"

static int pd_local[4] = {3, 1, 4, 1};
static const char pd_text[] = "i386";
int pd_global = 7;

int pd_sum_local(void) { return pd_local[0] + pd_local[1] + pd_local[2] + pd_local[3] + pd_text[1]; }

int pd_firmware_data(int i) { return fw_table[i & 15] + fw_counter + fw_name[0]; }

int (*pd_callback(void))(int, int) { return fw_add; }

int pd_call(int x) { return fw_add(x, pd_global); }

int pd_switch(int k) {
  switch (k) {
  case 0: return fw_add(k, 10);
  case 1: return pd_local[1] * 3;
  case 2: return 17;
  case 3: return pd_global + 2;
  case 4: return fw_counter;
  case 5: return 91;
  case 6: return pd_text[0];
  default: return -1;
  }
}
