/*
 * ft_json.c - see ft_json.h.
 */
#include <string.h>

#include "ft_json.h"

int ft_json_has_string(const cJSON *arr, const char *s)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, arr)
		if (cJSON_IsString(e) && !strcmp(e->valuestring, s))
			return 1;
	return 0;
}
