/*
 * ft_store_txn.c - transactions for the writers and readers outside a run
 * (see ft_store.h).
 */
#include "ft_error.h"
#include "ft_store_int.h"

int ft_store_write_begin(struct ft_store *st)
{
	return sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? 0 : FT_EDB;
}

int ft_store_write_commit(struct ft_store *st)
{
	return sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : FT_EDB;
}

void ft_store_write_rollback(struct ft_store *st)
{
	(void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int ft_store_read_begin_unless(struct ft_store *st, int *began)
{
	*began = 0;
	if (!sqlite3_get_autocommit(st->db))
		return 0;
	if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return FT_EDB;
	*began = 1;
	return 0;
}
