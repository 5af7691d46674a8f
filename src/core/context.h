/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The run context handed to every check: the options, the root path
 * context, and lazily collected facts (the daemon set, the API state),
 * each collected at most once per run.
 */
#ifndef DD_CONTEXT_H
#define DD_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "docker/api.h"
#include "host/cgroups.h"
#include "app/cli.h"
#include "host/daemon.h"
#include "config/dconfig.h"
#include "host/kernel.h"
#include "log/logring.h"
#include "log/logsrc.h"
#include "host/path.h"

/*
 * Inputs that could not be read for lack of privilege (a file, a socket, a
 * namespace), kept for the whole run; each check learns which of them its
 * verdict rested on, directly or through a collector it used.
 */
#define CTX_UNSEEN_MAX 32
struct ctx_unseen {
	char what[256]; /* "'/run/docker.pid'", "the daemon API at '...'" */
	int err; /* -EACCES, -EPERM */
};

struct ctx {
	const struct options *opts;
	struct pathctx root;
	bool is_root; /* effective uid 0 */
	struct daemon_set *daemons;
	int daemons_err;
	bool daemons_done;
	struct api_state *api;
	bool api_resolved;
	bool api_contacted;
	struct dconfig_effective effective;
	bool effective_done;
	struct kernel_release kernel;
	int kernel_err;
	bool kernel_done;
	struct cgroup_info cgroups;
	int cgroups_err;
	bool cgroups_done;
	struct logring *ring;
	struct logsrc_set logsrcs;
	int64_t log_since_us;
	int log_err;
	char log_error[256];
	bool log_done;
	bool log_borrowed; /* ring and logsrcs belong to another context */
	char **api_bridges;
	bool api_bridges_done;
	char error[512]; /* why a check could not evaluate */
	struct pathctx daemon_root; /* /proc/PID/root of a daemon elsewhere */
	bool daemon_root_done, daemon_root_foreign;
	uint32_t daemon_root_unseen;
	struct ctx_unseen unseen[CTX_UNSEEN_MAX];
	size_t n_unseen;
	uint32_t unseen_now; /* bits of unseen[]: the running check's */
	uint64_t unseen_lost; /* refusals in the last, catch-all slot */
	/* what each cached collector could not read, told to every user */
	uint32_t api_unseen, effective_unseen, kernel_unseen, cgroups_unseen,
		bridges_unseen, log_unseen;
};

/* Set up the context; 0 or -errno (cannot open the sysroot). */
int ctx_init(struct ctx *ctx, const struct options *opts);

/* Release everything the context collected. */
void ctx_release(struct ctx *ctx);

/* The dockerd processes (collected on first use); NULL on failure. */
const struct daemon_set *ctx_daemons(struct ctx *ctx);

/* The selected dockerd, or NULL. */
const struct dockerd_proc *ctx_dockerd(struct ctx *ctx);

/* The API address and socket facts only, without contacting the daemon. */
const struct api_state *ctx_api_endpoint(struct ctx *ctx);

/* The API facts (collected on first use); NULL only on ENOMEM. */
const struct api_state *ctx_api(struct ctx *ctx);

/*
 * The root the examined daemon sees its files under: the context's root
 * when it shares the tool's mount namespace (or under --sysroot, or with
 * no daemon), else /proc/PID/root (docker-in-docker, a daemon started in
 * a mount namespace of its own). Decided once; never NULL. When the
 * namespaces cannot be compared (not root), the context's root, and the
 * refused read is an unseen input of the checks that use it.
 */
const struct pathctx *ctx_daemon_root(struct ctx *ctx);

/*
 * ctx_api() for a check that shows the daemon's word next to its own
 * reading (evidence) and does not rest its verdict on it: an API it could
 * not read does not make that check unknown.
 */
const struct api_state *ctx_api_evidence(struct ctx *ctx);

/*
 * The selected daemon's effective configuration (defaults, its daemon.json,
 * its flags), computed on first use; never NULL (defaults when no daemon).
 */
const struct dconfig_effective *ctx_effective(struct ctx *ctx);

/*
 * The first running process named comm (lowest pid), from the daemon
 * scan's process list, or NULL; *ret_count (may be NULL) counts them all.
 */
const struct procstat *ctx_process(struct ctx *ctx, const char *comm,
				   size_t *ret_count);

/* The running kernel's release (read once); NULL when unreadable. */
const struct kernel_release *ctx_kernel(struct ctx *ctx);

/*
 * The cgroup setup as the selected dockerd sees it (the tool's own view
 * when no daemon runs), collected once; NULL when nothing could be read.
 */
const struct cgroup_info *ctx_cgroups(struct ctx *ctx);

/*
 * Bridge names of the daemon's bridge networks from GET /networks (custom
 * names such as docker_gwbridge), asked once; an empty vector when the
 * daemon has none (--bridge=none), NULL when the API did not answer.
 * Owned by the context.
 */
char *const *ctx_api_bridges(struct ctx *ctx);

/* The log ring's size in a run: every byte is allocated up front. */
#define CTX_LOGRING_BYTES (4u << 20)
#define CTX_LOGRING_LINES 20000u

/*
 * The log ring: the sources chosen (--log-source, else automatically),
 * their backlog since --since read once. *ret_since_us (may be NULL) gets
 * the window's start. NULL when the ring could not be set up (ctx->log_err,
 * ctx->log_error say why; --log-source none gives -ENOENT).
 */
const struct logring *ctx_logring(struct ctx *ctx, int64_t *ret_since_us);

/*
 * Let ctx use the log ring and sources that from collected (watch's
 * ring, followed for hours, in a report run now); ctx does not free them.
 * ctx_release() hands them back.
 */
void ctx_borrow_logring(struct ctx *ctx, const struct ctx *from);

/*
 * The Docker version whose behaviour applies (DOCKER_VERSION_MIN..MAX,
 * e.g. 2010): --docker-version, else the daemon's, else the newest known.
 * *ret_source (may be NULL) says which.
 */
unsigned ctx_docker_version(struct ctx *ctx, const char **ret_source);

/*
 * Note an input the running check could not read for lack of privilege
 * (reads through ctx->root are noted by themselves). what is printf-style.
 */
void ctx_unseen(struct ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Reads between ctx_optional_begin() and ctx_optional_end() are ones the
 * check's verdict does not rest on (an extra fact for the evidence): what
 * they could not read is not told to the check.
 */
static inline uint32_t ctx_optional_begin(const struct ctx *ctx)
{
	return ctx->unseen_now;
}

static inline void ctx_optional_end(struct ctx *ctx, uint32_t saved)
{
	ctx->unseen_now = saved;
}

/* Record why a check could not evaluate; returns err (a -errno). */
int ctx_error(struct ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
