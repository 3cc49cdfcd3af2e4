/* ft_error.c - messages for the FT_E* table and negated errno values. */
#include <stdarg.h>
#include <stdio.h>
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

int ft_err_set(struct ft_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	e->why[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(e->why, sizeof(e->why), fmt, ap);
		va_end(ap);
	}
	return code;
}

const char *ft_err_msg(const struct ft_err *e)
{
	if (e->why[0])
		return e->why;
	return e->code < 0 ? ft_strerror(e->code) : "";
}
