/*
 * fuzz_reclog.c - a region file (`r-*.rec`, common/ft_record.h) as the
 * reader meets it: ft_reclog_each() over a run dir holding this one file.
 *
 * The callback reads every byte the reader hands out (the id or path up to
 * its NUL, and for FT_REC_PROC the argv after it, as ingest does), so a
 * record the reader wrongly lets through ends in an ASan report instead of
 * passing unseen.  Region files from the plain fixtures are the seeds
 * (tests/fuzz/make-corpus.sh).
 */
#include <stdint.h>
#include <string.h>

#include "ft_reclog.h"
#include "fuzz_tmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_reclog_visit(void *arg, const struct ft_reclog_region *region,
			     const struct ft_record *rec)
{
	size_t *sum = arg, n = strlen(rec->data);

	/* the whole payload, NUL included, as ft_ingest reads PROC argv */
	for (size_t i = 0; i <= rec->len; i++)
		*sum += (unsigned char)rec->data[i];
	*sum += n + region->hdr->pid + rec->flags;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ft_reclog_stats st;
	size_t sum = 0;

	fuzz_tmp_write("r-1-0.rec", data, size);
	ft_reclog_each(fuzz_tmp_dir(), fuzz_reclog_visit, &sum, &st);
	if (st.regions != 1)
		abort(); /* the reader skipped a region file: a silent loss */
	return 0;
}
