/* sensor.c: firmware data by pointer and by value, a constructor and a destructor, a lookup
 * table in .rodata, a callback handed to the firmware, and a symbol exported to the firmware. */
extern volatile unsigned long fw_ticks;            /* firmware data (PC32 under -fPIE) */
extern void fw_print_int(const char *label, long value);
extern void fw_register_tick_hook(void (*hook)(unsigned long));

static const short calibration[8] = {3, -1, 4, -1, 5, -9, 2, -6};
static long samples[16];                           /* .bss */
static int head;
long sensor_sum;                                   /* exported data */

static void on_tick(unsigned long now)
{
    samples[head] = (long)(now * 10) + calibration[now & 7];
    sensor_sum += samples[head];
    head = (head + 1) & 15;
}

__attribute__((constructor)) static void sensor_start(void)
{
    fw_register_tick_hook(on_tick);
    fw_print_int("sensor: constructor ran at tick", (long)fw_ticks);
}

__attribute__((destructor)) static void sensor_stop(void)
{
    fw_register_tick_hook(0);
    fw_print_int("sensor: destructor ran, samples summed", sensor_sum);
}

long sensor_average(void)
{
    long total = 0;
    for (int i = 0; i < 16; ++i) total += samples[i];
    return total / 16;
}
