// tools/footprint/board.cpp: the board side of the footprint firmware (tools/footprint.sh), in
// its own translation unit so that the compiler cannot see what the image holds or what the
// exported functions do, and therefore keeps the whole loader. It is linked into every variant,
// the loader-less baseline included, so its bytes cancel out of the differences.
#include <cstddef>
#include <cstdint>

extern "C" {

int fw_counter = 0;
void fw_putc(int c) { *reinterpret_cast<std::uint32_t volatile*>(0x40004000u) = static_cast<std::uint32_t>(c); }
int fw_ticks() { return ++fw_counter; }
void fw_puts(char const* s, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) fw_putc(s[i]);
}

// The extension image (in a real firmware: a flash partition or a received buffer).
alignas(4) std::byte const ext_image[64] = {std::byte{0x7f}, std::byte{'E'}, std::byte{'L'}, std::byte{'F'}};
std::byte const* board_image(std::size_t* size) {
  *size = sizeof ext_image;
  return ext_image;
}

} // extern "C"
