// extload.hpp: the umbrella header. Includes every public, target-independent header of the
// library and nothing else; host-only headers (named host_*, e.g. alloc/host_mmap.hpp, which
// need mmap) are left out so this header compiles on a firmware toolchain. The single header
// single_include/extload/extload.hpp is generated from this file by tools/amalgamate.py.
#pragma once

// Vocabulary: version, compiler detection, errors as data, byte-wise access.
#include "extload/version.hpp"
#include "extload/config.hpp"
#include "extload/error.hpp"
#include "extload/bytes.hpp"
#include "extload/byte_string.hpp"

// ELF model (gABI): constants, class x byte-order formats, validated object view.
#include "extload/elf/constants.hpp"
#include "extload/elf/format.hpp"
#include "extload/elf/object.hpp"

// Relocation sets (psABIs).
#include "extload/arch/common.hpp"
#include "extload/arch/reloc_set.hpp"
#include "extload/arch/x86_64.hpp"
#include "extload/arch/aarch64.hpp"
#include "extload/arch/arm.hpp"
#include "extload/arch/i386.hpp"
#include "extload/arch/riscv.hpp"
#include "extload/arch/xtensa.hpp"

// Policies: concepts and their archetypes.
#include "extload/policy/concepts.hpp"
#include "extload/policy/archetypes.hpp"

// Symbols: names as template arguments, SLIDs, the firmware's export table.
#include "extload/symbols/fixed_string.hpp"
#include "extload/symbols/sha256.hpp"
#include "extload/symbols/slid.hpp"
#include "extload/symbols/export_table.hpp"
#include "extload/symbols/symtab.hpp"

// Allocators that need no operating system.
#include "extload/alloc/static_arena.hpp"
#include "extload/alloc/prelink.hpp"

// The loader.
#include "extload/loader/loader.hpp"
#include "extload/loader/lifecycle.hpp"
#include "extload/tiny/stack_arena.hpp"
#include "extload/tiny/thumb_loader.hpp"
#include "extload/registry/lock.hpp"
#include "extload/registry/capacity.hpp"
#include "extload/registry/registry.hpp"
#include "extload/archive/ar.hpp"
#include "extload/binfmt/image.hpp"
#include "extload/binfmt/binfmt.hpp"
#include "extload/describe.hpp"
