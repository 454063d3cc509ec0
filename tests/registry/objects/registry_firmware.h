/* tests/registry/objects/registry_firmware.h: the firmware interface of the registry test
 * extensions. tests/registry/registry.test.cpp defines and exports these; everything else an
 * extension imports comes from another extension through the registry. */
#ifndef EXTLOAD_TESTS_REGISTRY_FIRMWARE_H
#define EXTLOAD_TESTS_REGISTRY_FIRMWARE_H

#ifdef __cplusplus
extern "C" {
#endif

void reg_log(int event); /* appends to the firmware's event log */
extern int reg_scale;    /* firmware data the extensions read */

#ifdef __cplusplus
}
#endif

#endif
