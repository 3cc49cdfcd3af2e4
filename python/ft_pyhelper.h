/*
 * ft_pyhelper.h - run one of the pytest adapter's standard-library helpers
 * (ftrace_fingerprint.py, ftrace_pyconf.py) at selection, and read the JSON
 * object it prints.
 *
 * The command is `PYTHON -I -S -c "<import MODULE from DIR; MODULE.main>"
 * DIR FILE...`:
 *  - -I -S: the helpers need the standard library only, and a site-packages
 *    .pth file (some import whole packages) would cost more than their work;
 *  - imported as a module from its directory rather than run as a script:
 *    a script is compiled at every start, a module's .pyc is reused (2 ms
 *    of the fingerprint tool's 12 on the bench).
 *
 * Errors: negative FT_E* codes or -errno; a helper that fails or prints
 * anything but a JSON object is FT_EINTERNAL.  ft_spawn.h's rules hold:
 * every started helper is finished or abandoned.
 */
#ifndef FT_PYHELPER_H
#define FT_PYHELPER_H

struct cJSON;
struct ft_spawn;

/* Start MODULE (e.g. "ftrace_fingerprint") of DIR over `files` (a JSON
 * array of strings).  0, or an error with nothing to clean up. */
int ft_pyhelper_start(const char *python, const char *dir, const char *module,
		      const struct cJSON *files, struct ft_spawn *sp);

/* Wait for it; *out is what it printed (the caller deletes it), NULL on
 * error. */
int ft_pyhelper_finish(struct ft_spawn *sp, struct cJSON **out);

#endif
