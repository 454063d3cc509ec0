/* hello.c: the smallest useful extension. Calls back into the firmware and keeps state. */
extern void fw_print(const char *text);
extern void fw_print_int(const char *label, long value);

static int greetings; /* .bss */

int hello_main(int times)
{
    for (int i = 0; i < times; ++i) {
        fw_print("hello from a loaded extension");
        ++greetings;
    }
    fw_print_int("greetings so far", greetings);
    return greetings;
}
