/*
 * fuzz_depinfo.c - a rustc dep-info file (`target/PROFILE/deps/NAME.d`,
 * tracer/ft_depinfo.h) through ft_depinfo_read(), as the cargo runner
 * reads it after `cargo test`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_depinfo.h"
#include "fuzz_tmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ft_depinfo d = FT_DEPINFO_INIT;
	const char *path = fuzz_tmp_write("lib-x.d", data, size);
	size_t sum = 0;

	ft_depinfo_read(&d, path, "/work/ws");
	for (size_t i = 0; i < d.n; i++) {
		if (d.srcs[i][0] != '/')
			abort(); /* a source that is not absolute */
		sum += strlen(d.srcs[i]);
	}
	if (d.n && (!d.first || !d.first[0]))
		abort();
	ft_depinfo_release(&d);
	return (int)(sum & 0);
}
