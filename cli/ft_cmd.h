/*
 * ft_cmd.h - the command layer.  Only code under cli/ prints diagnostics and
 * chooses exit statuses; everything below it returns FT_E* codes.
 *
 * Each subcommand lives in cli/cmd_<name>.c and has the signature below:
 * argv[0] is the subcommand name, the return value is the process exit
 * status.  Every subcommand accepts -h/--help.
 */
#ifndef FT_CMD_H
#define FT_CMD_H

/* Exit statuses shared by all subcommands (docs/usage.md lists them). */
enum ft_exit {
	FT_EXIT_OK = 0,          /* success; for `affected`: the set printed is complete */
	FT_EXIT_UNKNOWN = 2,     /* could not tell (no recording, corrupt db, ...); run everything */
	FT_EXIT_USAGE = 64,      /* bad command line (EX_USAGE) */
	FT_EXIT_SOFTWARE = 70,   /* internal error (EX_SOFTWARE) */
	FT_EXIT_CANTEXEC = 127,  /* `run`: the command could not be started */
};

int ft_cmd_run(int argc, char **argv);
int ft_cmd_affected(int argc, char **argv);
int ft_cmd_records(int argc, char **argv);

/* "ftrace: <what>: <message>" on stderr.  printf-like. */
void ft_cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
