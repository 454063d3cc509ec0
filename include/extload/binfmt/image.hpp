// binfmt/image.hpp: "EXTLOADP", a prelinked image for a fixed address: the container format,
// prelink_to_image() that produces one from ET_REL objects on a host, and load_image() that
// a firmware uses to install one, which is a copy, a clear and a constructor walk: no parsing
// of ELF, no symbol lookup, no relocation on the device (the niche of NuttX's NXFLAT/XIP
// images and of MicroPython's host-linked .mpy files, see docs OTHER-LOADERS.md).
//
// Layout (every field little-endian, read byte-wise; offsets in bytes):
//     0  magic "EXTLOADP"
//     8  u16 version (1)          10  u16 e_machine the image was linked for
//    12  u32 header size (120)
//    16  u64 load address         24  u64 entry address (0: none)
//    32  u64 file bytes: what is copied to the load address (text | rodata | data)
//    40  u64 memory bytes: what the image occupies there (file bytes + bss, >= file bytes)
//    48  u64 region offset[4]  (text, rodata, data, bss; from the load address)
//    80  u64 region size[4]
//   112  u32 constructor count    116  u32 destructor count
//   120  the file bytes, then the constructor addresses (u64 each, in the order to run them),
//        then the destructor addresses.
// The regions keep the order and the alignment prelink_allocator gave them, so a loader that
// can protect memory seals text R+X and rodata R (W^X) with the offsets above.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "extload/alloc/prelink.hpp"
#include "extload/bytes.hpp"
#include "extload/error.hpp"
#include "extload/loader/entry.hpp"
#include "extload/loader/loader.hpp"
#include "extload/policy/concepts.hpp"

namespace extload::inline v0::binfmt {

inline constexpr std::array<char, 8> image_magic = {'E', 'X', 'T', 'L', 'O', 'A', 'D', 'P'};
inline constexpr std::uint16_t image_version = 1;
inline constexpr std::size_t image_header_size = 120;

struct image_header {
  std::uint16_t version = image_version;
  std::uint16_t machine = 0;
  std::uint64_t load_address = 0;
  std::uint64_t entry = 0;
  std::uint64_t file_bytes = 0;
  std::uint64_t memory_bytes = 0;
  std::uint64_t region_offset[region_count] = {};
  std::uint64_t region_size[region_count] = {};
  std::uint32_t constructors = 0;
  std::uint32_t destructors = 0;
};

// A validated EXTLOADP image, viewed in place.
class image_view {
public:
  static constexpr bool is_image(std::span<std::byte const> file) noexcept {
    if (file.size() < image_magic.size()) return false;
    for (std::size_t i = 0; i < image_magic.size(); ++i)
      if (file[i] != static_cast<std::byte>(image_magic[i])) return false;
    return true;
  }

  // Checks the magic, version, header size, that every region lies inside the memory span and
  // the non-bss regions inside the file bytes, and that the lists fit the file.
  static constexpr result<image_view> parse(std::span<std::byte const> file, std::uint16_t machine = 0) noexcept {
    image_view v;
    v.file_ = file;
    if (!is_image(file)) return diagnostic{errc::bad_magic}.with_name("EXTLOADP");
    if (file.size() < image_header_size)
      return diagnostic{errc::truncated, field::none, static_cast<std::int64_t>(file.size())}.with_name("EXTLOADP header");
    image_header& h = v.h_;
    h.version = u16(file, 8);
    h.machine = u16(file, 10);
    std::uint32_t const hsize = u32(file, 12);
    h.load_address = u64(file, 16);
    h.entry = u64(file, 24);
    h.file_bytes = u64(file, 32);
    h.memory_bytes = u64(file, 40);
    for (std::size_t r = 0; r < region_count; ++r) {
      h.region_offset[r] = u64(file, 48 + 8 * r);
      h.region_size[r] = u64(file, 80 + 8 * r);
    }
    h.constructors = u32(file, 112);
    h.destructors = u32(file, 116);
    if (h.version != image_version) return diagnostic{errc::bad_version, field::none, h.version}.with_name("EXTLOADP version");
    if (hsize != image_header_size) return diagnostic{errc::bad_header, field::none, hsize}.with_name("EXTLOADP header size");
    if (machine != 0 && h.machine != machine)
      return diagnostic{errc::bad_machine, field::e_machine, h.machine}.with_range(machine, machine);
    if (h.file_bytes > h.memory_bytes)
      return diagnostic{errc::bad_header, field::none, static_cast<std::int64_t>(h.file_bytes)}
          .with_range(0, static_cast<std::int64_t>(h.memory_bytes)).with_name("EXTLOADP file bytes");
    if (h.memory_bytes > ~std::uint64_t{0} - h.load_address)
      return diagnostic{errc::bad_header, field::none, static_cast<std::int64_t>(h.memory_bytes)}.with_name("EXTLOADP memory bytes");
    for (std::size_t r = 0; r < region_count; ++r) {
      std::uint64_t const limit = r == static_cast<std::size_t>(region::bss) ? h.memory_bytes : h.file_bytes;
      if (!in_bounds(limit, h.region_offset[r], h.region_size[r]))
        return diagnostic{errc::bad_header, field::none, static_cast<std::int64_t>(h.region_offset[r])}
            .with_range(0, static_cast<std::int64_t>(limit)).with_name(to_string(static_cast<region>(r)));
    }
    std::uint64_t const lists = (std::uint64_t{h.constructors} + h.destructors) * 8;
    if (!in_bounds(file.size() - image_header_size, h.file_bytes, lists))
      return diagnostic{errc::truncated, field::none, static_cast<std::int64_t>(file.size())}.with_name("EXTLOADP contents");
    if (h.entry != 0 && (h.entry < h.load_address || h.entry - h.load_address >= h.memory_bytes))
      return diagnostic{errc::bad_header, field::none, static_cast<std::int64_t>(h.entry)}
          .with_range(static_cast<std::int64_t>(h.load_address), static_cast<std::int64_t>(h.load_address + h.memory_bytes))
          .with_name("EXTLOADP entry");
    return v;
  }

  constexpr image_header const& header() const noexcept { return h_; }
  constexpr std::span<std::byte const> contents() const noexcept {
    return file_.subspan(image_header_size, static_cast<std::size_t>(h_.file_bytes));
  }
  constexpr std::uint64_t constructor(std::uint32_t i) const noexcept {
    return u64(file_, image_header_size + h_.file_bytes + 8 * std::uint64_t{i});
  }
  constexpr std::uint64_t destructor(std::uint32_t i) const noexcept {
    return u64(file_, image_header_size + h_.file_bytes + 8 * (std::uint64_t{h_.constructors} + i));
  }

private:
  static constexpr std::uint16_t u16(std::span<std::byte const> f, std::uint64_t o) noexcept { return load_at<std::uint16_t, std::endian::little>(f.data() + o); }
  static constexpr std::uint32_t u32(std::span<std::byte const> f, std::uint64_t o) noexcept { return load_at<std::uint32_t, std::endian::little>(f.data() + o); }
  static constexpr std::uint64_t u64(std::span<std::byte const> f, std::uint64_t o) noexcept { return load_at<std::uint64_t, std::endian::little>(f.data() + o); }

  std::span<std::byte const> file_{};
  image_header h_{};
};

constexpr std::uint64_t image_size(image_header const& h) noexcept {
  return image_header_size + h.file_bytes + (std::uint64_t{h.constructors} + h.destructors) * 8;
}

// The 120 header bytes; `out` holds at least image_header_size bytes.
constexpr void write_header(image_header const& h, std::span<std::byte> out) noexcept {
  std::byte* p = out.data();
  for (std::size_t i = 0; i < image_magic.size(); ++i) p[i] = static_cast<std::byte>(image_magic[i]);
  store_at<std::uint16_t, std::endian::little>(p + 8, h.version);
  store_at<std::uint16_t, std::endian::little>(p + 10, h.machine);
  store_at<std::uint32_t, std::endian::little>(p + 12, image_header_size);
  store_at<std::uint64_t, std::endian::little>(p + 16, h.load_address);
  store_at<std::uint64_t, std::endian::little>(p + 24, h.entry);
  store_at<std::uint64_t, std::endian::little>(p + 32, h.file_bytes);
  store_at<std::uint64_t, std::endian::little>(p + 40, h.memory_bytes);
  for (std::size_t r = 0; r < region_count; ++r) {
    store_at<std::uint64_t, std::endian::little>(p + 48 + 8 * r, h.region_offset[r]);
    store_at<std::uint64_t, std::endian::little>(p + 80 + 8 * r, h.region_size[r]);
  }
  store_at<std::uint32_t, std::endian::little>(p + 112, h.constructors);
  store_at<std::uint32_t, std::endian::little>(p + 116, h.destructors);
}

// A whole image: header, contents, constructor and destructor lists. Returns the bytes written.
constexpr result<std::size_t> write_image(image_header const& h, std::span<std::byte const> contents,
                                          std::span<std::uint64_t const> ctors, std::span<std::uint64_t const> dtors,
                                          std::span<std::byte> out) noexcept {
  if (contents.size() != h.file_bytes || ctors.size() != h.constructors || dtors.size() != h.destructors)
    return diagnostic{errc::bad_header}.with_name("EXTLOADP counts");
  std::uint64_t const n = image_size(h);
  if (n > out.size()) return diagnostic{errc::out_of_memory, field::none, static_cast<std::int64_t>(n)}.with_range(0, static_cast<std::int64_t>(out.size()));
  write_header(h, out);
  std::byte* const p = out.data();
  for (std::size_t i = 0; i < contents.size(); ++i) p[image_header_size + i] = contents[i];
  std::size_t at = image_header_size + contents.size();
  for (std::uint64_t a : ctors) { store_at<std::uint64_t, std::endian::little>(p + at, a); at += 8; }
  for (std::uint64_t a : dtors) { store_at<std::uint64_t, std::endian::little>(p + at, a); at += 8; }
  return static_cast<std::size_t>(n);
}

// Memory at a fixed address, as a firmware has it (a RAM or flash window) or a host emulates it
// (binfmt/host_files.hpp: an mmap with MAP_FIXED_NOREPLACE).
//   claim(address, bytes)  writable memory that *is* [address, address + bytes), or nullptr;
//   seal(address, header)  end of writing: protections (W^X) and cache maintenance;
//   release(address, bytes).
template <class M>
concept fixed_memory = requires(M& m, std::uint64_t a, std::uint64_t n, image_header const& h) {
  { m.claim(a, n) } -> std::same_as<std::byte*>;
  { m.seal(a, h) } -> std::same_as<errc>;
  { m.release(a, n) } -> std::same_as<void>;
};

// A window of target memory backed by a caller's buffer: address `base` is buffer[0]. The model
// for tests (and for a host preparing a RAM image); claim() refuses what is outside the window.
class window_memory {
public:
  constexpr window_memory(std::span<std::byte> buffer, std::uint64_t base) noexcept : buffer_(buffer), base_(base) {}
  constexpr std::byte* claim(std::uint64_t a, std::uint64_t n) noexcept {
    if (a < base_ || !in_bounds(buffer_.size(), a - base_, n)) return nullptr;
    return buffer_.data() + (a - base_);
  }
  constexpr errc seal(std::uint64_t, image_header const&) noexcept { return errc::ok; }
  constexpr void release(std::uint64_t, std::uint64_t) noexcept {}

private:
  std::span<std::byte> buffer_;
  std::uint64_t base_;
};
static_assert(fixed_memory<window_memory>);

// Install an image: claim its memory at the load address, copy the file bytes, clear bss,
// seal. Returns where the memory is (the caller then runs the constructors and the entry).
template <fixed_memory Memory>
constexpr result<image_view> install_image(std::span<std::byte const> file, Memory& mem, std::uint16_t machine = 0) noexcept {
  auto v = image_view::parse(file, machine);
  if (!v) return v;
  image_header const& h = v->header();
  std::byte* const p = mem.claim(h.load_address, h.memory_bytes);
  if (p == nullptr)
    return diagnostic{errc::out_of_memory, field::none, static_cast<std::int64_t>(h.load_address)}
        .with_range(0, static_cast<std::int64_t>(h.memory_bytes)).with_name("EXTLOADP load address unavailable");
  auto const c = v->contents();
  for (std::size_t i = 0; i < c.size(); ++i) p[i] = c[i];
  for (std::uint64_t i = h.file_bytes; i < h.memory_bytes; ++i) p[i] = std::byte{0};
  if (errc const e = mem.seal(h.load_address, h); e != errc::ok) {
    mem.release(h.load_address, h.memory_bytes);
    return diagnostic{e}.with_name("EXTLOADP seal");
  }
  return v;
}

// Link `objects` for `load_address` (prelink_allocator: regions at load_address + offset,
// aligned to `region_align`, e.g. the page size so a host can protect them) against `exports`
// and `opt.fallback`, and write the EXTLOADP image into `out`. `entry` names the entry symbol
// ("" for none). Returns the image size. Runs on the host (metadata from operator new).
template <elf_format_policy Format, arch::relocation_set Arch, export_table Exports>
result<std::size_t> prelink_to_image(std::span<std::span<std::byte const> const> objects, Exports const& exports,
                                     std::uint64_t load_address, std::span<std::byte> out,
                                     std::string_view entry = "main", load_options const& opt = {},
                                     std::uint64_t region_align = 1) noexcept {
  if (out.size() < image_header_size) return diagnostic{errc::out_of_memory, field::none, static_cast<std::int64_t>(out.size())};
  prelink_allocator alloc{out.subspan(image_header_size), load_address, region_align};
  loader<Format, Arch, prelink_allocator, Exports> ld{alloc, exports};
  auto r = ld.load(objects, opt);
  if (!r) return r.error();
  extension* ext = *r;
  image_header h{};
  h.machine = Arch::e_machine;
  h.load_address = load_address;
  if (!entry.empty()) {
    found_symbol const s = ext->find(entry);
    if (!s) {
      ld.unload(ext);
      return diagnostic{errc::undefined_symbol, field::st_name}.with_name(entry);
    }
    h.entry = s.address;
  }
  region_block const& b = ext->regions();
  std::uint64_t file_end = 0;
  for (std::size_t i = 0; i < region_count; ++i) {
    h.region_size[i] = b.size[i];
    h.region_offset[i] = b.size[i] != 0 ? b.address[i] - load_address : 0;
    if (i != static_cast<std::size_t>(region::bss) && b.size[i] != 0 && h.region_offset[i] + b.size[i] > file_end)
      file_end = h.region_offset[i] + b.size[i];
  }
  std::size_t const bss = static_cast<std::size_t>(region::bss);
  h.memory_bytes = alloc.bytes_used();
  if (b.size[bss] != 0 && h.region_offset[bss] < file_end) file_end = h.memory_bytes; // cannot split: keep the zeros
  h.file_bytes = file_end;
  auto const ctors = ext->constructors();
  auto const dtors = ext->destructors();
  h.constructors = static_cast<std::uint32_t>(ctors.size());
  h.destructors = static_cast<std::uint32_t>(dtors.size());
  // The lists go after the file bytes, where bss (not stored) was; the extension record that
  // holds them is freed by unload(), so they are written first.
  std::size_t const need = static_cast<std::size_t>(image_size(h));
  if (need > out.size()) {
    ld.unload(ext);
    return diagnostic{errc::out_of_memory, field::none, static_cast<std::int64_t>(need)}.with_range(0, static_cast<std::int64_t>(out.size()));
  }
  std::byte* at = out.data() + image_header_size + file_end;
  for (std::uint64_t a : ctors) { store_at<std::uint64_t, std::endian::little>(at, a); at += 8; }
  for (std::uint64_t a : dtors) { store_at<std::uint64_t, std::endian::little>(at, a); at += 8; }
  ld.unload(ext); // gives the buffer back to the allocator; its bytes stay
  write_header(h, out);
  return need;
}

} // namespace extload::inline v0::binfmt
