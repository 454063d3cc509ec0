/* tests/run/zlib_roundtrip.c: Debian's static libz.a (members pulled on demand): compress,
   uncompress, streaming deflate/inflate, crc32 and adler32. */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

int main(void) {
  static unsigned char src[20000], comp[30000], back[20000];
  for (unsigned i = 0; i < sizeof src; ++i) src[i] = (unsigned char)("extload, zlib round trip "[i % 25] ^ (i / 1000));
  uLongf cl = sizeof comp, bl = sizeof back;
  if (compress2(comp, &cl, src, sizeof src, Z_BEST_COMPRESSION) != Z_OK) return 1;
  if (uncompress(back, &bl, comp, cl) != Z_OK) return 2;
  printf("compress2: %lu -> %lu -> %lu, %s\n", (unsigned long)sizeof src, (unsigned long)cl, (unsigned long)bl,
         memcmp(src, back, sizeof src) == 0 ? "identical" : "DIFFERENT");
  z_stream s;
  memset(&s, 0, sizeof s);
  if (deflateInit2(&s, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 3; /* gzip wrapper */
  s.next_in = src;
  s.avail_in = sizeof src;
  s.next_out = comp;
  s.avail_out = sizeof comp;
  if (deflate(&s, Z_FINISH) != Z_STREAM_END) return 4;
  unsigned long gz = s.total_out;
  deflateEnd(&s);
  memset(&s, 0, sizeof s);
  memset(back, 0, sizeof back);
  if (inflateInit2(&s, 15 + 16) != Z_OK) return 5;
  s.next_in = comp;
  s.avail_in = (uInt)gz;
  s.next_out = back;
  s.avail_out = sizeof back;
  if (inflate(&s, Z_FINISH) != Z_STREAM_END) return 6;
  inflateEnd(&s);
  printf("gzip stream: %lu bytes, %s\n", gz, memcmp(src, back, sizeof src) == 0 ? "identical" : "DIFFERENT");
  printf("crc32 %08lx adler32 %08lx\n", crc32(0, src, sizeof src), adler32(1, src, sizeof src));
  return 0;
}
