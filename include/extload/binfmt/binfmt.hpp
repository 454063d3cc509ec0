// binfmt/binfmt.hpp: binary formats, as NuttX's binfmt has them (docs: seeds/nuttx-binfmt.rst)
// but with no global state: a format_registry object holds the formats a firmware registers,
// each a load method (plus recognise and unload); loading a file asks each format in
// registration order and the first that recognises the file loads it. Three formats ship:
//   elf_format       an ELF relocatable object (ET_REL), linked by the loader;
//   archive_format   a static archive holding a program: the member defining the entry symbol
//                    ("main") and, recursively, the members it needs (archive/ar.hpp);
//   prelinked_format an EXTLOADP image linked on a host for a fixed address (binfmt/image.hpp).
// On top: load_module (a name searched along a PATH-like "dir1:dir2" list, through a
// file_system policy), exec_module (bring-up, main(argc, argv), tear-down: the exit status),
// unload_module, and exec, which chains the three. Scratch memory (archive index, member
// lists) comes from the loader's allocator metadata: no heap of its own.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <string_view>

#include "extload/archive/ar.hpp"
#include "extload/binfmt/image.hpp"
#include "extload/elf/object.hpp"
#include "extload/error.hpp"
#include "extload/loader/entry.hpp"
#include "extload/loader/loader.hpp"

namespace extload::inline v0::binfmt {

// What a caller asks of a load.
struct load_request {
  std::string_view entry = "main"; // symbol exec_module() calls; "" = a library, no entry
  load_options options{};          // fallback resolver, export_hidden
  bool allow_executable_stack = false;
};

// A loaded module (NuttX's binary_s, the part a loader fills in).
template <class Loader>
struct module {
  extension* ext = nullptr;      // ELF and archive formats: the linked extension
  std::uint64_t entry = 0;       // address of the entry symbol, 0 = none
  std::uint64_t base = 0;        // prelinked image: where it was installed
  std::uint64_t bytes = 0;       //                  and how many bytes it occupies
  std::uint64_t* lists = nullptr; // prelinked image: constructors then destructors (metadata)
  std::uint32_t constructors = 0, destructors = 0;
  std::uint32_t members = 0;     // archive format: members loaded
  bool started = false;          // constructors have run
  void (*release)(void* self, Loader& ld, module& m) = nullptr; // the loading format's unload
  void* self = nullptr;
  char const* format = "";       // the loading format's name
};

// One binary format. `self` is the format's own state (prelinked_format: its fixed memory).
template <class Loader>
struct format {
  char const* name = "";
  bool (*recognise)(std::span<std::byte const> file) = nullptr;
  result<module<Loader>> (*load)(void* self, Loader& ld, std::span<std::byte const> file, load_request const& req) = nullptr;
  void (*unload)(void* self, Loader& ld, module<Loader>& m) = nullptr;
  void* self = nullptr;
};

// The index of a .note.GNU-stack section that asks for an executable stack (SHF_EXECINSTR:
// what GCC emits for nested-function trampolines), or 0. Absent note: 0 (no request).
template <elf_format_policy Format>
constexpr std::uint32_t executable_stack_note(object_view<Format> const& v) noexcept {
  for (std::uint32_t i = 1; i < v.section_count(); ++i) {
    auto n = v.section_name(i);
    if (n && *n == ".note.GNU-stack" && (v.section(i).flags & elf::SHF_EXECINSTR) != 0) return i;
  }
  return 0;
}
template <elf_format_policy Format>
constexpr diagnostic executable_stack_error(object_view<Format> const& v, std::uint32_t i) noexcept {
  return diagnostic{errc::unsupported_section, field::sh_flags, static_cast<std::int64_t>(v.section(i).flags)}
      .at_section(i).with_name(".note.GNU-stack");
}

namespace detail {

// A metadata block of the loader's allocator, given back on scope exit.
template <class Alloc>
class scratch {
public:
  scratch(Alloc& a, std::size_t bytes, std::size_t align) noexcept : a_(&a), n_(bytes == 0 ? 1 : bytes) {
    p_ = a_->allocate_metadata(n_, align);
  }
  scratch(scratch const&) = delete;
  scratch& operator=(scratch const&) = delete;
  ~scratch() { if (p_ != nullptr) a_->free_metadata(p_, n_); }
  template <class T>
  T* as(std::size_t byte_offset = 0) const noexcept { // the block holds trivial Ts only
    return std::launder(static_cast<T*>(static_cast<void*>(p_ + byte_offset)));
  }
  explicit operator bool() const noexcept { return p_ != nullptr; }

private:
  Alloc* a_;
  std::byte* p_ = nullptr;
  std::size_t n_;
};

constexpr std::size_t round_up(std::size_t v, std::size_t a) noexcept { return (v + a - 1) / a * a; }

template <class Loader>
result<module<Loader>> finish(Loader& ld, extension* ext, load_request const& req, char const* name) noexcept {
  module<Loader> m{};
  m.ext = ext;
  m.format = name;
  if (!req.entry.empty()) {
    found_symbol const s = ext->find(req.entry);
    if (!s) {
      ld.unload(ext);
      return diagnostic{errc::undefined_symbol, field::st_name}.with_name(req.entry);
    }
    m.entry = s.address;
  }
  return m;
}

template <class Loader>
void unload_extension(void*, Loader& ld, module<Loader>& m) noexcept {
  if (m.ext != nullptr) {
    if (m.started) m.ext->tear_down();
    ld.unload(m.ext);
  }
  m = module<Loader>{};
}

template <class Loader>
result<module<Loader>> load_elf(void*, Loader& ld, std::span<std::byte const> file, load_request const& req) noexcept {
  using F = typename Loader::format;
  auto v = object_view<F>::parse(file, Loader::arch_type::e_machine, ld.limit());
  if (!v) return v.error();
  if (!req.allow_executable_stack)
    if (std::uint32_t const i = executable_stack_note(*v); i != 0) return executable_stack_error(*v, i);
  auto r = ld.load(file, req.options);
  if (!r) return r.error();
  return finish(ld, *r, req, "elf");
}

template <class Loader>
result<module<Loader>> load_archive(void*, Loader& ld, std::span<std::byte const> file, load_request const& req) noexcept {
  using F = typename Loader::format;
  constexpr std::uint16_t machine = Loader::arch_type::e_machine;
  auto ar = archive::view::parse(file);
  if (!ar) return ar.error();
  if (req.entry.empty()) return diagnostic{errc::not_found}.with_name("archive: no entry symbol to start from");
  auto count = archive::count_index_entries<F>(*ar, machine, ld.limit());
  if (!count) return count.error();
  std::size_t const members = ar->member_count();
  // One block: index entries, chosen members, object spans.
  std::size_t const a = detail::round_up(static_cast<std::size_t>(*count) * sizeof(archive::symbol_entry), alignof(std::max_align_t));
  std::size_t const b = detail::round_up(members * sizeof(archive::chosen_member), alignof(std::max_align_t));
  std::size_t const c = members * sizeof(std::span<std::byte const>);
  scratch<typename Loader::allocator_type> block{ld.allocator(), a + b + c, alignof(std::max_align_t)};
  if (!block) return diagnostic{errc::out_of_memory, field::none, static_cast<std::int64_t>(a + b + c)};
  std::span<archive::symbol_entry> index{block.template as<archive::symbol_entry>(0), static_cast<std::size_t>(*count)};
  for (auto& e : index) std::construct_at(&e);
  std::span<archive::chosen_member> chosen{block.template as<archive::chosen_member>(a), members};
  for (auto& e : chosen) std::construct_at(&e);
  auto* spans = block.template as<std::span<std::byte const>>(a + b);
  for (std::size_t i = 0; i < members; ++i) std::construct_at(spans + i);

  auto built = archive::build_index<F>(*ar, index, machine, ld.limit());
  if (!built) return built.error();
  archive::archive_input const in[1] = {{*ar, index.first(*built)}};
  std::string_view const roots[1] = {req.entry};
  auto n = archive::select_members<F>({}, in, roots, chosen, machine, ld.limit());
  if (!n) return n.error();
  if (*n == 0) return diagnostic{errc::undefined_symbol, field::st_name}.with_name(req.entry);
  for (std::size_t i = 0; i < *n; ++i) {
    spans[i] = ar->data(chosen[i].m);
    if (!req.allow_executable_stack) {
      auto v = object_view<F>::parse(spans[i], machine, ld.limit()); // parsed by select_members
      if (std::uint32_t const s = executable_stack_note(*v); s != 0) {
        diagnostic d = executable_stack_error(*v, s);
        d.object = static_cast<std::uint32_t>(i);
        return d;
      }
    }
  }
  auto r = ld.load(std::span<std::span<std::byte const> const>(spans, *n), req.options);
  if (!r) return r.error();
  auto m = finish(ld, *r, req, "archive");
  if (m) m->members = static_cast<std::uint32_t>(*n);
  return m;
}

template <class Loader, class Memory>
result<module<Loader>> load_prelinked(void* self, Loader& ld, std::span<std::byte const> file, load_request const& req) noexcept {
  Memory& mem = *static_cast<Memory*>(self);
  auto v = install_image(file, mem, Loader::arch_type::e_machine);
  if (!v) return v.error();
  image_header const& h = v->header();
  module<Loader> m{};
  m.base = h.load_address;
  m.bytes = h.memory_bytes;
  m.format = "prelinked";
  m.entry = h.entry;
  if (!req.entry.empty() && h.entry == 0) {
    mem.release(m.base, m.bytes);
    return diagnostic{errc::undefined_symbol, field::st_name}.with_name(req.entry);
  }
  std::size_t const words = std::size_t{h.constructors} + h.destructors;
  if (words != 0) {
    std::byte* p = ld.allocator().allocate_metadata(words * 8, alignof(std::uint64_t));
    if (p == nullptr) {
      mem.release(m.base, m.bytes);
      return diagnostic{errc::out_of_memory, field::none, static_cast<std::int64_t>(words * 8)};
    }
    m.lists = std::launder(static_cast<std::uint64_t*>(static_cast<void*>(p)));
    for (std::uint32_t i = 0; i < h.constructors; ++i) std::construct_at(m.lists + i, v->constructor(i));
    for (std::uint32_t i = 0; i < h.destructors; ++i) std::construct_at(m.lists + h.constructors + i, v->destructor(i));
  }
  m.constructors = h.constructors;
  m.destructors = h.destructors;
  return m;
}

template <class Loader, class Memory>
void unload_prelinked(void* self, Loader& ld, module<Loader>& m) noexcept {
  Memory& mem = *static_cast<Memory*>(self);
  if (m.started)
    for (std::uint32_t i = 0; i < m.destructors; ++i) address_to_function<void()>(m.lists[m.constructors + i])();
  if (m.lists != nullptr)
    ld.allocator().free_metadata(static_cast<std::byte*>(static_cast<void*>(m.lists)), (std::size_t{m.constructors} + m.destructors) * 8);
  if (m.bytes != 0) mem.release(m.base, m.bytes);
  m = module<Loader>{};
}

} // namespace detail

// ---- the three formats -------------------------------------------------------------------

template <class Loader>
constexpr format<Loader> elf_format() noexcept {
  return {"elf",
          [](std::span<std::byte const> f) {
            return f.size() >= 4 && f[0] == std::byte{0x7f} && f[1] == std::byte{'E'} && f[2] == std::byte{'L'} && f[3] == std::byte{'F'};
          },
          &detail::load_elf<Loader>, &detail::unload_extension<Loader>, nullptr};
}

template <class Loader>
constexpr format<Loader> archive_format() noexcept {
  return {"archive", [](std::span<std::byte const> f) { return archive::view::is_archive(f) || archive::view::is_thin(f); },
          &detail::load_archive<Loader>, &detail::unload_extension<Loader>, nullptr};
}

// `mem` must outlive the registry and every module it loads.
template <class Loader, fixed_memory Memory>
constexpr format<Loader> prelinked_format(Memory& mem) noexcept {
  return {"prelinked", [](std::span<std::byte const> f) { return image_view::is_image(f); },
          &detail::load_prelinked<Loader, Memory>, &detail::unload_prelinked<Loader, Memory>, &mem};
}

// ---- the registry ------------------------------------------------------------------------

template <class Loader, std::size_t MaxFormats = 4>
class format_registry {
public:
  // register_binfmt: limit_exceeded when full, busy when a format of that name is registered.
  constexpr errc add(format<Loader> const& f) noexcept {
    if (find(f.name) != nullptr) return errc::busy;
    if (n_ == MaxFormats) return errc::limit_exceeded;
    formats_[n_++] = f;
    return errc::ok;
  }
  // unregister_binfmt: not_found when no format has that name. Modules it loaded stay valid
  // (each module keeps its format's unload method).
  constexpr errc remove(std::string_view name) noexcept {
    for (std::size_t i = 0; i < n_; ++i) {
      if (std::string_view{formats_[i].name} != name) continue;
      for (std::size_t j = i + 1; j < n_; ++j) formats_[j - 1] = formats_[j];
      --n_;
      return errc::ok;
    }
    return errc::not_found;
  }
  constexpr format<Loader> const* find(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < n_; ++i)
      if (std::string_view{formats_[i].name} == name) return &formats_[i];
    return nullptr;
  }
  constexpr std::span<format<Loader> const> formats() const noexcept { return {formats_.data(), n_}; }

  // The first format that recognises `file` loads it; its error is the answer. No format:
  // bad_magic.
  result<module<Loader>> load(Loader& ld, std::span<std::byte const> file, load_request const& req = {}) const noexcept {
    for (std::size_t i = 0; i < n_; ++i) {
      format<Loader> const& f = formats_[i];
      if (!f.recognise(file)) continue;
      auto r = f.load(f.self, ld, file, req);
      if (r) {
        r->release = f.unload;
        r->self = f.self;
      }
      return r;
    }
    return diagnostic{errc::bad_magic}.with_name("no registered binary format recognises the file");
  }

private:
  std::array<format<Loader>, MaxFormats> formats_{};
  std::size_t n_ = 0;
};

// ---- files and PATH search ---------------------------------------------------------------

// Where module files come from. read() gives the bytes (valid until release()); exists() is what
// the PATH search asks.
template <class F>
concept file_system = requires(F& f, std::string_view path, std::span<std::byte const> bytes) {
  { f.exists(path) } -> std::same_as<bool>;
  { f.read(path) } -> std::same_as<result<std::span<std::byte const>>>;
  { f.release(bytes) } -> std::same_as<void>;
};

// A fixed table of files in memory (flash-resident modules, tests).
struct memory_file {
  std::string_view path;
  std::span<std::byte const> bytes;
};
template <std::size_t N>
class memory_files {
public:
  constexpr explicit memory_files(std::array<memory_file, N> files) noexcept : files_(files) {}
  constexpr bool exists(std::string_view path) const noexcept { return lookup(path) != nullptr; }
  constexpr result<std::span<std::byte const>> read(std::string_view path) const noexcept {
    memory_file const* f = lookup(path);
    if (f == nullptr) return diagnostic{errc::not_found}.with_name(path);
    return f->bytes;
  }
  constexpr void release(std::span<std::byte const>) const noexcept {}

private:
  constexpr memory_file const* lookup(std::string_view path) const noexcept {
    for (auto const& f : files_)
      if (f.path == path) return &f;
    return nullptr;
  }
  std::array<memory_file, N> files_;
};

// Where `name` is: an absolute name (leading '/') as is; a relative one in the first directory of
// `path_list` ("dir1:dir2", an empty entry meaning ".") that has it, or as is when the list is
// empty. The full path is written to `out` (NUL-terminated); returns its length.
template <file_system Files>
constexpr result<std::size_t> find_in_path(Files& fs, std::string_view name, std::string_view path_list,
                                           std::span<char> out) noexcept {
  auto emit = [&](std::string_view dir) -> std::size_t { // 0: does not fit
    std::size_t const n = dir.empty() ? name.size() : dir.size() + 1 + name.size();
    if (n + 1 > out.size()) return 0;
    std::size_t k = 0;
    for (char c : dir) out[k++] = c;
    if (!dir.empty()) out[k++] = '/';
    for (char c : name) out[k++] = c;
    out[k] = '\0';
    return n;
  };
  if (name.empty()) return diagnostic{errc::not_found}.with_name("(empty module name)");
  if (name.front() == '/' || path_list.empty()) {
    std::size_t const n = emit({});
    if (n == 0) return diagnostic{errc::limit_exceeded, field::none, static_cast<std::int64_t>(name.size())}.with_name(name);
    if (!fs.exists(std::string_view{out.data(), n})) return diagnostic{errc::not_found}.with_name(name);
    return n;
  }
  std::size_t start = 0;
  while (start <= path_list.size()) {
    std::size_t end = path_list.find(':', start);
    if (end == std::string_view::npos) end = path_list.size();
    std::string_view dir = path_list.substr(start, end - start);
    if (dir.empty()) dir = ".";
    if (std::size_t const n = emit(dir); n != 0 && fs.exists(std::string_view{out.data(), n})) return n;
    start = end + 1;
  }
  return diagnostic{errc::not_found}.with_name(name);
}

// ---- load / exec / unload ----------------------------------------------------------------

// Find `name` along `path_list`, read it, and load it with the first format that recognises
// it. The file's bytes are released before returning (every format copies what it keeps).
template <class Loader, std::size_t N, file_system Files, std::size_t PathMax = 256>
result<module<Loader>> load_module(format_registry<Loader, N> const& formats, Loader& ld, Files& fs,
                                   std::string_view name, std::string_view path_list, load_request const& req = {}) noexcept {
  std::array<char, PathMax> path{};
  auto n = find_in_path(fs, name, path_list, path);
  if (!n) return n.error();
  auto bytes = fs.read(std::string_view{path.data(), *n});
  if (!bytes) return bytes.error();
  auto m = formats.load(ld, *bytes, req);
  fs.release(*bytes);
  return m;
}

// Run constructors, call the entry as int main(int, char**), run destructors; the exit status.
template <class Loader>
result<int> exec_module(module<Loader>& m, int argc, char** argv) noexcept {
  if (m.entry == 0) return diagnostic{errc::not_found}.with_name("module has no entry point");
  if (!m.started) {
    m.started = true;
    if (m.ext != nullptr) m.ext->bring_up();
    else
      for (std::uint32_t i = 0; i < m.constructors; ++i) address_to_function<void()>(m.lists[i])();
  }
  int const status = address_to_function<int(int, char**)>(m.entry)(argc, argv);
  if (m.ext != nullptr) {
    m.ext->tear_down();
  } else {
    for (std::uint32_t i = 0; i < m.destructors; ++i) address_to_function<void()>(m.lists[m.constructors + i])();
  }
  m.started = false; // destructors done: unload must not run them again
  return status;
}

// Free everything the module holds (running its destructors first if it was started and not
// finished). The module is reset.
template <class Loader>
void unload_module(Loader& ld, module<Loader>& m) noexcept {
  if (m.release != nullptr) m.release(m.self, ld, m);
  else m = module<Loader>{};
}

// load_module + exec_module + unload_module.
template <class Loader, std::size_t N, file_system Files>
result<int> exec(format_registry<Loader, N> const& formats, Loader& ld, Files& fs, std::string_view name,
                 std::string_view path_list, int argc, char** argv, load_request const& req = {}) noexcept {
  auto m = load_module(formats, ld, fs, name, path_list, req);
  if (!m) return m.error();
  auto status = exec_module(*m, argc, argv);
  unload_module(ld, *m);
  return status;
}

} // namespace extload::inline v0::binfmt
