/*
 * storewhy.h - the store's reason for its last failure, as the layers
 * above get it: a struct ft_err filled by ft_store_err with the code.
 * Include it after <cmocka.h>, "ft_error.h" and "ft_store.h".  The text
 * lives until the next call.
 */
#ifndef FT_TEST_STOREWHY_H
#define FT_TEST_STOREWHY_H

static const char *store_why(const struct ft_store *st, int code)
{
	static struct ft_err e;

	assert_int_equal(ft_store_err(st, code, &e), code);
	assert_int_equal(e.code, code);
	return ft_err_msg(&e);
}

#endif
