/*
 * fuzz_reclog.c - a region file (`r-*.rec`, common/ft_record.h) as the
 * reader meets it: ft_reclog_each() over a run dir holding this one file.
 *
 * The file is mapped, and ASan does not see past the end of a mapping, so
 * the callback checks what the reader promises itself: each record it hands
 * out lies inside the file, is committed, has size FT_REC_SIZE(len) and a
 * NUL at data[len]; and it reads every payload byte, as ingest does.
 * After the walk: a region read without damage is exactly as long as its
 * header says (both writers make it so); bytes past the header's size would
 * be records nobody reads, so such a region must count as damaged.  Region
 * files from the plain fixtures are the seeds (tests/fuzz/make-corpus.sh).
 * The same bytes are the run's ledger too (common/ft_record.h), so its
 * line parser meets every input: it must read it (a regular file), and
 * count every line it cannot match against the one region.
 */
#include <stdint.h>
#include <string.h>

#include "ft_reclog.h"
#include "fuzz_tmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t fuzz_reclog_size; /* bytes of the region file */

static int fuzz_reclog_visit(void *arg, const struct ft_reclog_region *region,
			     const struct ft_record *rec)
{
	size_t *sum = arg, off = (size_t)((const char *)rec - (const char *)region->hdr);

	if (off % FT_REC_ALIGN || off + sizeof(*rec) > fuzz_reclog_size ||
	    rec->size > fuzz_reclog_size - off || rec->size != FT_REC_SIZE(rec->len) ||
	    rec->commit != FT_COMMIT || rec->data[rec->len] != '\0')
		abort(); /* a record the reader should not have handed out */
	/* the whole payload, as ft_ingest reads PROC argv */
	for (size_t i = 0; i <= rec->len; i++)
		*sum += (unsigned char)rec->data[i];
	*sum += region->hdr->pid + rec->flags;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ft_reclog_stats st;
	size_t sum = 0;

	fuzz_reclog_size = size;
	fuzz_tmp_write("r-1-0.rec", data, size);
	fuzz_tmp_write(FT_LEDGER_NAME, data, size);
	ft_reclog_each(fuzz_tmp_dir(), fuzz_reclog_visit, &sum, &st);
	if (st.regions != 1)
		abort(); /* the reader skipped a region file: a silent loss */
	if (!st.ledger)
		abort(); /* a regular ledger that was not read */
	if (size && !memchr(data, '\n', size) && !st.unlisted_bad)
		abort(); /* a line cut short (no newline at all) counts as bad */
	if (size && data[size - 1] == '\n' && !memchr(data, '\0', size)) {
		/* every line names r-1-0.rec, another region (gone) or nothing */
		size_t lines = 0;
		for (size_t i = 0; i < size; i++)
			lines += data[i] == '\n';
		if (st.ledger_gone + st.unlisted_bad > lines)
			abort();
	}
	if (!st.damaged) {
		struct ft_region_hdr hdr;
		if (size < sizeof(hdr))
			abort(); /* no header, and not damaged */
		memcpy(&hdr, data, sizeof(hdr));
		if (hdr.size != size)
			abort(); /* bytes the header does not cover, unread and not damaged */
	}
	return 0;
}
