/*
 * ft_bundle_path.c - relocating a bundle's paths: see ft_bundle.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

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

/* `from` at p, followed by '/' or the string's end ('"'), or the next
 * part of a tab-separated key (an escaped tab). */
static int at_from(const char *p, const char *from, size_t fl)
{
	return !strncmp(p, from, fl) && (p[fl] == '/' || p[fl] == '"' ||
					 (p[fl] == '\\' && p[fl + 1] == 't'));
}

char *ft_bundle_json_swap(const char *json, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to), n = 0, cap;
	const char *p;
	char *out;

	/* at most one replacement per quote or backslash */
	for (p = json; *p; p++)
		n += *p == '"' || *p == '\\';
	cap = strlen(json) + 1 + (tl > fl ? n * (tl - fl) : 0);
	if (!(out = malloc(cap)))
		return NULL;
	n = 0;
	for (p = json; *p;) {
		/* a quote that opens a string starting with `from`: inside a JSON
		 * text a quote not escaped opens or closes a string, and an
		 * escaped one (\") is copied with its backslash below.  An
		 * escaped tab starts the next part of a key that joins names
		 * and a path with tabs (a re-export, "@>N\tA\tFILE"). */
		int swap = 0;
		if (*p == '"') {
			out[n++] = *p++;
			swap = 1;
		} else if (*p == '\\' && p[1]) {
			swap = p[1] == 't';
			out[n++] = *p++;
			out[n++] = *p++;
		} else {
			out[n++] = *p++;
		}
		if (swap && at_from(p, from, fl)) {
			memcpy(out + n, to, tl);
			n += tl;
			p += fl;
		}
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

int ft_bundle_json_union(const char *a, const char *b, char **out)
{
	cJSON *ja = cJSON_Parse(a), *jb = cJSON_Parse(b), *set, *k;
	int rc = FT_ECORRUPT;

	*out = NULL;
	if (!cJSON_IsArray(ja) || !cJSON_IsArray(jb))
		goto out;
	set = ja;
	cJSON_ArrayForEach(k, jb) {
		cJSON *have, *c;
		if (!cJSON_IsString(k))
			goto out;
		have = NULL;
		cJSON_ArrayForEach(c, set)
			if (cJSON_IsString(c) && !strcmp(c->valuestring, k->valuestring))
				have = c;
		if (!have && !cJSON_AddItemToArray(set, cJSON_CreateString(k->valuestring))) {
			rc = -ENOMEM;
			goto out;
		}
	}
	rc = (*out = cJSON_PrintUnformatted(set)) ? 0 : -ENOMEM;
out:
	cJSON_Delete(ja);
	cJSON_Delete(jb);
	return rc;
}
