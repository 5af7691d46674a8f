/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * 'dockerd-doctor watch': catch intermittent faults as they happen.
 *
 * Every --interval it follows the log sources into the log ring and walks
 * the dockerd threads' network namespaces (/proc/PID/task/TID/ns/net),
 * recording each transition: thread T entered namespace N at t, left (or
 * exited) at t'. A thread that stays in a foreign namespace over two
 * samples, or a critical log rule on new lines, triggers a full run of the
 * checks; a namespace judged not critical then (its container lives) is
 * judged again when its owner goes away or its routes disappear while a
 * daemon thread is still inside (seed 000's sequence: a thread strands in
 * a live container, which is removed later). When a run finds something
 * critical, a JSON report with the ring
 * and the recent transitions is written to --dir. Memory is fixed: the
 * ring, a bounded transition history and bounded thread tables.
 * SIGINT/SIGTERM stop it cleanly.
 */
#ifndef DD_WATCH_H
#define DD_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/cli.h"
#include "host/path.h"

/* History and table sizes: the bounds on watch's memory. */
#define WATCH_EVENTS_MAX 4096
#define WATCH_FOREIGN_MAX 4096

enum watch_event_kind {
	WATCH_ENTER, /* a thread is seen in a foreign namespace */
	WATCH_LEAVE, /* it is back in the daemon's own namespace */
	WATCH_EXIT, /* it exited while it was in a foreign one */
};

struct watch_event {
	int64_t time_us;
	int64_t since_us; /* LEAVE/EXIT: when it had entered */
	enum watch_event_kind kind;
	int tid;
	unsigned long ino;
};

/* A thread outside the daemon's namespace, as last sampled. */
struct watch_thread {
	int tid;
	unsigned long ino;
	int64_t since_us; /* first seen there */
	unsigned samples; /* consecutive samples there */
};

/* The thread-namespace tracker: sampling and transitions, no I/O else. */
struct watch_tracker {
	int pid;
	unsigned long home_ino;
	struct watch_thread cur[WATCH_FOREIGN_MAX], prev[WATCH_FOREIGN_MAX];
	size_t n_cur, n_prev;
	uint64_t overflow; /* foreign threads beyond WATCH_FOREIGN_MAX */
	struct watch_event events[WATCH_EVENTS_MAX]; /* a ring */
	size_t ev_first, ev_n;
	uint64_t ev_total; /* every transition seen */
	uint64_t samples;
	size_t walked; /* threads walked in the last sample */
};

/*
 * Take one sample of pid's threads at time now_us and record transitions.
 * Returns the number of new events, or -errno (-ESRCH: the daemon is gone).
 */
int watch_sample(struct watch_tracker *t, const struct pathctx *pc, int pid,
		 int64_t now_us);

/* The i-th newest event (0 newest), or NULL. */
const struct watch_event *watch_event_get(const struct watch_tracker *t,
					  size_t i);

/*
 * What the judgement of a foreign namespace rested on. A namespace judged
 * not critical (its container still lives) is judged again when this
 * changes: its owner goes away or its routes disappear (seed 000: the
 * container is removed while a daemon thread is still inside).
 */
struct watch_ns_state {
	bool mounted; /* an nsfs mount of it (the daemon's or pid 1's view) */
	int owner_pid; /* a process whose main thread lives there, 0: none */
	int routes; /* IPv4 routes a daemon thread there sees, -1: unknown */
};

/*
 * Look at namespace ino as thread tid of pid sees it; owner_pid is a
 * process that lived there before (0: none known). Reads the mountinfo
 * of pid and of pid 1, one link and one route table. Always fills ret.
 */
void watch_ns_probe(const struct pathctx *pc, int pid, int tid,
		    unsigned long ino, int owner_pid,
		    struct watch_ns_state *ret);

/* Must a namespace judged in state then be judged again, now? */
bool watch_ns_rejudge(const struct watch_ns_state *then,
		      const struct watch_ns_state *now);

/* Run the watch command; returns the exit status. */
int watch_run(const struct options *o);

#endif
