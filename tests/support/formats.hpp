// tests/support/formats.hpp: the four ELF formats, for TEST_CASE_TEMPLATE.
#pragma once
#include "extload/elf/format.hpp"

#define EXTLOAD_ALL_FORMATS extload::elf32le, extload::elf32be, extload::elf64le, extload::elf64be
