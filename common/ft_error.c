/* ft_error.c - messages for the FT_E* table and negated errno values. */
#include <string.h>

#include "ft_error.h"

static const char *const ft_messages[] = {
#define FT__ERR_MSG(name, msg) [name##__POS - FT_E__BASE - 1] = msg,
	FT_ERRORS(FT__ERR_MSG)
#undef FT__ERR_MSG
};

const char *ft_strerror(int code)
{
	int pos = -code;

	if (code >= 0)
		return "success";
	if (pos > FT_E__BASE) {
		size_t i = (size_t)(pos - FT_E__BASE - 1);
		if (i < sizeof(ft_messages) / sizeof(ft_messages[0]) && ft_messages[i])
			return ft_messages[i];
		return "unknown ftrace error";
	}
	return strerror(pos);
}
