/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dockerd's command-line flags and daemon.json keys, by Docker version
 * (20.10 to 29.x), as read from moby's cmd/dockerd (daemon/command from 29)
 * and daemon/config at each release tag. Versions are major * 100 + minor
 * (2010, 2300, 2805, 2907).
 */
#ifndef DD_DOCKERD_OPTIONS_H
#define DD_DOCKERD_OPTIONS_H

#include <stdbool.h>

#define DOCKER_VERSION_MIN 2010
#define DOCKER_VERSION_MAX 2907

/* The JSON type of a config field (what encoding/json accepts). */
enum opt_type {
	OT_NONE = 0, /* no config field: the key is accepted and ignored */
	OT_BOOL,
	OT_STRING,
	OT_INT,
	OT_LIST, /* array of strings */
	OT_MAP, /* object of strings */
	OT_OBJECT, /* any object (runtimes, ulimits, builder...) */
	OT_OBJLIST, /* array of objects (default-address-pools) */
	OT_BOOLMAP, /* object of booleans (features) */
};

struct dockerd_option {
	const char *flag; /* long flag name */
	char shorthand; /* 0 when none */
	const char *named; /* NamedOption key (labels for --label), or NULL */
	enum opt_type type; /* of the key: named ?: flag */
	bool bool_flag; /* takes no value on the command line */
	unsigned since, until; /* present in [since, until); until 0: still */
};

/* A flag by long name (or shorthand when len 1) present in version v. */
const struct dockerd_option *dockerd_flag(const char *name, unsigned v);

/* The flag whose NamedOption name is key, in version v, or NULL. */
const struct dockerd_option *dockerd_named(const char *key, unsigned v);

/* Every option of version v, one after another (NULL at the end). */
const struct dockerd_option *dockerd_option_next(const struct dockerd_option *o,
						 unsigned v);

/* Keys never validated (features, builder, deprecated-key-path...). */
bool dockerd_skip_validate(const char *key, unsigned v);

/* Keys whose object value is kept whole, not flattened (log-opts...). */
bool dockerd_flat_option(const char *key, unsigned v);

/* The type of a key that has a config field, or OT_NONE. */
enum opt_type dockerd_key_type(const char *key, unsigned v);

/*
 * Walk dockerd's arguments with pflag's rules (--name=value, --name value,
 * -Xvalue, bool flags without a value). cb gets each flag with its value;
 * a word that is not a flag with opt NULL and value NULL; an unknown flag
 * with opt NULL and value "". Returns 0 or the first negative cb result.
 */
int dockerd_walk_argv(char **argv, unsigned v,
		      int (*cb)(void *arg, const char *raw,
				const struct dockerd_option *opt,
				const char *value),
		      void *arg);

/* Parse "20.10", "28.2.2", "v24.0.9", "20.10.24+dfsg1" into a version. */
int dockerd_parse_version(const char *s, unsigned *ret);

#endif
