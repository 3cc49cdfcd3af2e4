/*
 * ft_pipeline_int.h - what the pipeline's files share (selector/pipeline*.c).
 * Internal to selector/.
 */
#ifndef FT_PIPELINE_INT_H
#define FT_PIPELINE_INT_H

#include "ft_pipeline.h"

/* Record a failure (step, code, why) in `p`; returns `code`. */
int ft__pipeline_fail(struct ft_pipeline *p, enum ft_pipeline_step step, int code, const char *why);

/* The run step that adds the runners' new tests (pipeline_news.c). */
int ft__pipeline_news(struct ft_pipeline *p);

/* The run step that adds the tests recorded with other options than
 * opts.cmd's (pipeline_options.c). */
int ft__pipeline_options(struct ft_pipeline *p);

#endif
