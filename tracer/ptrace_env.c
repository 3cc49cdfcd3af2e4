/*
 * ptrace_env.c - see ptrace_env.h.
 */
#include <string.h>
#include <sys/uio.h>

#include "ft_record.h"
#include "ptrace_env.h"
#include "ptrace_path.h"

long ft_ptrace_env_get(pid_t pid, uint64_t envp, const char *name, char *buf, size_t size)
{
	size_t nlen = strlen(name);
	char entry[FT_ID_MAX + 64];
	uint64_t ptrs[64];

	if (!envp)
		return -1;
	for (uint64_t at = envp;; at += sizeof(ptrs)) {
		struct iovec l = { ptrs, sizeof(ptrs) }, r = { (void *)(uintptr_t)at, sizeof(ptrs) };
		ssize_t got = process_vm_readv(pid, &l, 1, &r, 1, 0);
		size_t n;

		if (got < (ssize_t)sizeof(ptrs[0])) {
			/* the array may end just before an unmapped page: one by one */
			l.iov_len = r.iov_len = sizeof(ptrs[0]);
			if (process_vm_readv(pid, &l, 1, &r, 1, 0) != (ssize_t)sizeof(ptrs[0]))
				return -2;
			got = sizeof(ptrs[0]);
		}
		n = (size_t)got / sizeof(ptrs[0]);
		for (size_t i = 0; i < n; i++) {
			long len;
			if (!ptrs[i])
				return -1;
			len = ft_ptrace_path_read(pid, ptrs[i], entry, sizeof(entry));
			if (len < 0) {
				/* too long to be ours unless it starts with name= */
				char head[128];
				size_t hl = nlen + 1 < sizeof(head) ? nlen + 1 : sizeof(head);
				struct iovec hl_l = { head, hl }, hl_r = { (void *)(uintptr_t)ptrs[i], hl };
				if (process_vm_readv(pid, &hl_l, 1, &hl_r, 1, 0) == (ssize_t)hl &&
				    (memcmp(head, name, nlen) || head[nlen] != '='))
					continue;
				return -2;
			}
			if ((size_t)len > nlen && !memcmp(entry, name, nlen) && entry[nlen] == '=') {
				if ((size_t)len - nlen - 1 >= size)
					return -2;
				memcpy(buf, entry + nlen + 1, (size_t)len - nlen);
				return len - (long)nlen - 1;
			}
		}
		if (n < sizeof(ptrs) / sizeof(ptrs[0]))
			at -= sizeof(ptrs) - n * sizeof(ptrs[0]); /* continue right after what was read */
	}
}
