/* tests/registry/objects/many.c: depends on the ten providers prov0..prov9. */
int prov_0(void); int prov_1(void); int prov_2(void); int prov_3(void); int prov_4(void);
int prov_5(void); int prov_6(void); int prov_7(void); int prov_8(void); int prov_9(void);

int many_sum(void) {
  return prov_0() + prov_1() + prov_2() + prov_3() + prov_4() + prov_5() + prov_6() + prov_7() +
         prov_8() + prov_9();
}
