// SPDX-License-Identifier: GPL-2.0-or-later
/* Atomic output files (see output.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/output.h"

/* Open a temporary file in the target's directory. */
int output_open(struct output *o, const char *path)
{
	int fd;

	*o = (struct output){ 0 };
	o->path = strdup(path);
	if (!o->path || asprintf(&o->tmp, "%s.tmp.XXXXXX", path) < 0) {
		o->tmp = NULL;
		output_abort(o);
		return -ENOMEM;
	}
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		int err = -errno;

		free(o->tmp);
		o->tmp = NULL;
		output_abort(o);
		return err;
	}
	o->fp = fdopen(fd, "w");
	if (!o->fp) {
		int err = -errno;

		close(fd);
		output_abort(o);
		return err;
	}
	return 0;
}

/* Make the temporary file the target. */
int output_commit(struct output *o)
{
	int err = 0;

	if (fflush(o->fp) != 0 || ferror(o->fp))
		err = -EIO;
	else if (fsync(fileno(o->fp)) < 0 || fchmod(fileno(o->fp), 0644) < 0)
		err = -errno;
	if (fclose(o->fp) != 0 && !err)
		err = -EIO;
	o->fp = NULL;
	if (!err && rename(o->tmp, o->path) < 0)
		err = -errno;
	if (!err) {
		free(o->tmp);
		o->tmp = NULL;
	}
	output_abort(o);
	return err;
}

/* Drop the temporary file. */
void output_abort(struct output *o)
{
	if (o->fp)
		fclose(o->fp);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	*o = (struct output){ 0 };
}
