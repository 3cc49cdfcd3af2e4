/*
 * ft_json.h - small questions asked of parsed JSON (cJSON) in more than one
 * part of ftrace.  Pure functions over a borrowed tree: no allocation, no
 * errors (a value of the wrong type is simply not what was asked for).
 */
#ifndef FT_JSON_H
#define FT_JSON_H

#include <cjson/cJSON.h>

/* Does the array `arr` hold the string `s`?  1 or 0 (0 for NULL).  Elements
 * that are not strings never match. */
int ft_json_has_string(const cJSON *arr, const char *s);

#endif
