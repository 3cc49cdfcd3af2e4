/*
 * ft_bundle_path.c - relocating a bundle's paths: see ft_bundle.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_bundle.h"
#include "ft_error.h"

char *ft_bundle_json_escape(const char *top)
{
	size_t n = strlen(top);
	char *out = malloc(n * 6 + 1), *o = out;

	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)top; *p; p++) {
		switch (*p) {
		case '"': *o++ = '\\'; *o++ = '"'; break;
		case '\\': *o++ = '\\'; *o++ = '\\'; break;
		case '\b': *o++ = '\\'; *o++ = 'b'; break;
		case '\f': *o++ = '\\'; *o++ = 'f'; break;
		case '\n': *o++ = '\\'; *o++ = 'n'; break;
		case '\r': *o++ = '\\'; *o++ = 'r'; break;
		case '\t': *o++ = '\\'; *o++ = 't'; break;
		default:
			if (*p < 0x20)
				o += sprintf(o, "\\u%04x", *p);
			else
				*o++ = (char)*p;
		}
	}
	*o = '\0';
	return out;
}

char *ft_bundle_json_swap(const char *json, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to), n = 0, cap;
	const char *p;
	char *out;

	/* at most one replacement per quote */
	for (p = json; (p = strchr(p, '"')); p++)
		n++;
	cap = strlen(json) + 1 + (tl > fl ? n * (tl - fl) : 0);
	if (!(out = malloc(cap)))
		return NULL;
	n = 0;
	for (p = json; *p;) {
		/* a quote that opens a string starting with `from`: inside a JSON
		 * text a quote not escaped opens or closes a string, and an
		 * escaped one (\") is copied with its backslash below */
		if (*p == '"' && !strncmp(p + 1, from, fl) && (p[1 + fl] == '/' || p[1 + fl] == '"')) {
			out[n++] = '"';
			memcpy(out + n, to, tl);
			n += tl;
			p += 1 + fl;
			continue;
		}
		if (*p == '\\' && p[1]) {
			out[n++] = *p++;
		}
		out[n++] = *p++;
	}
	out[n] = '\0';
	return out;
}

int ft_bundle_path_abs(const struct ft_bundle *b, uint32_t i, const char *top, char *buf,
		       size_t cap)
{
	const struct ft_bundle_path *pa = &b->paths[i];
	int n;

	if (!(pa->flags & FT_BUNDLE_REL))
		n = snprintf(buf, cap, "%s", pa->bytes);
	else if (!pa->len)
		n = snprintf(buf, cap, "%s", top);
	else
		n = snprintf(buf, cap, "%s%s%s", top, strcmp(top, "/") ? "/" : "", pa->bytes);
	return n < 0 || (size_t)n >= cap ? FT_ETOOLONG : n;
}
