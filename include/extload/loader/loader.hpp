// loader/loader.hpp: loader<Format, Arch, Alloc, Exports>, the façade a firmware declares in one
// `using` line. load() links one object (or several together: COMDAT groups shared, symbols
// resolved between them) into an extension whose memory comes from the allocator policy;
// unload() gives everything back. A failed load leaves nothing allocated and returns a
// diagnostic naming the object, section, symbol, relocation and value.
//
//   using board_loader = extload::loader<extload::elf32le, extload::arch::arm,
//                                        extload::static_arena<64 * 1024>, decltype(board_exports)>;
#pragma once

#include <cstddef>
#include <span>

#include "extload/loader/extension.hpp"
#include "extload/loader/link.hpp"
#include "extload/loader/source.hpp"

namespace extload::inline v0 {

template <elf_format_policy Format, arch::relocation_set Arch, allocator Alloc, export_table Exports>
class loader {
  static_assert(Exports::slid_bytes == Format::elf_class_type::word_size,
                "the export table's SLID width must be the target's pointer size (4 for ELF32, 8 for ELF64)");

public:
  using format = Format;
  using arch_type = Arch;
  using allocator_type = Alloc;
  using exports_type = Exports;
  using report_type = load_report<Arch>;

  loader(Alloc& alloc, Exports const& exports, limits const& lim = {}) noexcept
      : alloc_(&alloc), exports_(&exports), limits_(lim) {}

  // Link one relocatable object.
  result<extension*> load(std::span<std::byte const> object, load_options const& opt = {},
                          report_type* report = nullptr) noexcept {
    std::span<std::byte const> const one[1] = {object};
    return load(std::span<std::span<std::byte const> const>(one), opt, report);
  }

  // Link several relocatable objects into one extension.
  result<extension*> load(std::span<std::span<std::byte const> const> objects, load_options const& opt = {},
                          report_type* report = nullptr) noexcept {
    linker<Format, Arch, Alloc, Exports> l{*alloc_, *exports_, limits_, opt, report};
    return l.run(objects);
  }

  // Link one relocatable object read from a non-addressable source (a file, flash behind a
  // driver): the ELF header, the section header table and each section the loader uses are read
  // once, in blocks (loader/source.hpp): symbols, strings and relocations into a compact copy
  // freed before this returns, code and data straight into the extension's memory.
  template <byte_source Source>
  result<extension*> load_from(Source& src, load_options const& opt = {}, report_type* report = nullptr) noexcept {
    auto image = read_object<Format>(src, *alloc_, limits_);
    if (!image) return image.error();
    object_copy<Alloc> copy{*alloc_, *image};
    content_reader const contents{[](void* c, std::uint64_t off, std::byte* out, std::size_t n) noexcept {
                                    return static_cast<Source*>(c)->read(off, std::span<std::byte>(out, n));
                                  },
                                  &src};
    std::span<std::byte const> const one[1] = {copy.bytes()};
    linker<Format, Arch, Alloc, Exports> l{*alloc_, *exports_, limits_, opt, report, &contents};
    return l.run(std::span<std::span<std::byte const> const>(one));
  }

  // Free the extension's regions and record. Run ext->tear_down() first if it was brought up.
  void unload(extension* ext) noexcept {
    if (ext == nullptr) return;
    region_block regions = ext->regions_;
    std::size_t const bytes = ext->record_bytes_;
    alloc_->release(regions);
    std::destroy_at(ext);
    alloc_->free_metadata(static_cast<std::byte*>(static_cast<void*>(ext)), bytes);
  }

  Alloc& allocator() noexcept { return *alloc_; }
  Exports const& exports() const noexcept { return *exports_; }
  limits const& limit() const noexcept { return limits_; }

private:
  Alloc* alloc_;
  Exports const* exports_;
  limits limits_;
};

} // namespace extload::inline v0
