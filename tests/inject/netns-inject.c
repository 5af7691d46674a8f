/*
 * netns-inject - an LD_PRELOAD fault injector that strands dockerd threads
 * in other network namespaces (moby/libnetwork#1113, on demand).
 *
 * Every process started with LD_PRELOAD loads it, but it acts only in the
 * process whose /proc/self/comm is "dockerd" (children such as containerd,
 * shims, runc and dockerd's own re-execs through /proc/self/exe have other
 * names) and only when DD_INJECT_SOCK names a UNIX socket path.  There its
 * constructor binds that socket (mode 0600) and starts one control thread
 * that serves one command line per connection and replies, then closes:
 *
 *   strand NETNS_PATH   enter NETNS_PATH, create a thread there (a new
 *                       thread inherits its creator's network namespace),
 *                       return to the daemon's namespace; "tid N"
 *   release N           let stranded thread N exit; "ok"
 *   list                one line with the tid of each stranded thread
 *
 * Failures reply "error MESSAGE"; unknown commands "error unknown command".
 *
 * It must never disturb dockerd: all signals stay blocked in every thread it
 * creates (so Go's signal handling never runs on them), nothing runs in
 * signal context, every call is checked, and when anything fails at start it
 * writes one line to stderr and does nothing more.  Stranded threads are
 * ordinary threads of dockerd and die with it.
 */
#define _GNU_SOURCE /* setns(), gettid(), accept4(), pthread_setname_np() */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#define MAX_STRANDED 64
#define LINE_MAX_LEN (PATH_MAX + 32)
#define REPLY_MAX_LEN (MAX_STRANDED * 12 + 256)
#define IO_TIMEOUT_SEC 2
#define START_TIMEOUT_SEC 5
#define THREAD_STACK (256 * 1024)

/* One stranded thread; 'used' is only changed by the control thread. */
struct stranded {
	pthread_t thread;
	pid_t tid; /* 0 until the thread has started */
	bool used;
	bool release;
};

static struct stranded slots[MAX_STRANDED];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int home_netns = -1;
static int listen_fd = -1;

/* Write one diagnostic line to stderr (dockerd's log). */
static void note(const char *what, const char *subject, int err)
{
	fprintf(stderr, "netns-inject: %s '%s': %s\n", what, subject,
		err ? strerror(err) : "ok");
}

/* Create a thread running 'fn' with every signal blocked; returns 0 or an
 * errno value. */
static int spawn(pthread_t *ret_thread, void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	sigset_t all, old;
	int rc;

	rc = pthread_attr_init(&attr);
	if (rc)
		return rc;
	rc = pthread_attr_setstacksize(&attr, THREAD_STACK);
	if (rc)
		goto out;
	sigfillset(&all);
	rc = pthread_sigmask(SIG_SETMASK, &all, &old);
	if (rc)
		goto out;
	/* The new thread inherits the blocked mask. */
	rc = pthread_create(ret_thread, &attr, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
out:
	pthread_attr_destroy(&attr);
	return rc;
}

/* Body of a stranded thread: report its tid, then wait to be released. */
static void *stranded_main(void *arg)
{
	struct stranded *s = arg;

	/* Look like one of Go's threads (the creator is "dd-inject"). */
	pthread_setname_np(pthread_self(), "dockerd");
	pthread_mutex_lock(&lock);
	s->tid = gettid();
	pthread_cond_broadcast(&cond);
	while (!s->release)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* Wait until slot 's' has published its tid; returns 0 or ETIMEDOUT. */
static int wait_started(struct stranded *s)
{
	struct timespec deadline;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += START_TIMEOUT_SEC;
	pthread_mutex_lock(&lock);
	while (s->tid == 0 && rc == 0)
		rc = pthread_cond_timedwait(&cond, &lock, &deadline);
	if (s->tid != 0)
		rc = 0;
	pthread_mutex_unlock(&lock);
	return rc;
}

/* Return a free slot, or NULL when all are in use. */
static struct stranded *free_slot(void)
{
	for (size_t i = 0; i < MAX_STRANDED; i++)
		if (!slots[i].used)
			return &slots[i];
	return NULL;
}

/* Return the slot of stranded thread 'tid', or NULL. */
static struct stranded *find_slot(pid_t tid)
{
	for (size_t i = 0; i < MAX_STRANDED; i++)
		if (slots[i].used && slots[i].tid == tid)
			return &slots[i];
	return NULL;
}

/* Release slot 's': wake its thread, join it and free the slot. */
static void release_slot(struct stranded *s)
{
	pthread_mutex_lock(&lock);
	s->release = true;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	pthread_join(s->thread, NULL);
	s->used = false;
}

/* "strand PATH": create a thread in the netns at 'path'. */
static void cmd_strand(const char *path, char *reply, size_t size)
{
	struct stranded *s;
	int fd = -1, rc;

	s = free_slot();
	if (!s) {
		snprintf(reply, size, "error too many stranded threads\n");
		return;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(reply, size, "error cannot open '%.200s': %s\n", path,
			 strerror(errno));
		return;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		snprintf(reply, size, "error cannot enter '%.200s': %s\n", path,
			 strerror(errno));
		goto out;
	}
	s->tid = 0;
	s->release = false;
	rc = spawn(&s->thread, stranded_main, s);
	if (setns(home_netns, CLONE_NEWNET) < 0) {
		/* Now this thread is stranded too; say so loudly. */
		note("cannot return to the daemon's namespace from", path,
		     errno);
		snprintf(reply, size,
			 "error cannot return to the daemon's namespace: %s\n",
			 strerror(errno));
		if (rc == 0) {
			s->used = true;
			release_slot(s);
		}
		goto out;
	}
	if (rc) {
		snprintf(reply, size, "error cannot create a thread: %s\n",
			 strerror(rc));
		goto out;
	}
	s->used = true;
	if (wait_started(s)) {
		release_slot(s);
		snprintf(reply, size, "error thread did not start\n");
		goto out;
	}
	snprintf(reply, size, "tid %d\n", (int)s->tid);
out:
	close(fd);
}

/* "release N": let stranded thread N exit. */
static void cmd_release(const char *arg, char *reply, size_t size)
{
	struct stranded *s;
	char *end;
	long tid;

	errno = 0;
	tid = strtol(arg, &end, 10);
	if (errno || end == arg || *end || tid <= 0 || tid > INT_MAX) {
		snprintf(reply, size, "error invalid tid '%.32s'\n", arg);
		return;
	}
	s = find_slot((pid_t)tid);
	if (!s) {
		snprintf(reply, size, "error no stranded thread %ld\n", tid);
		return;
	}
	release_slot(s);
	snprintf(reply, size, "ok\n");
}

/* "list": one line per stranded tid. */
static void cmd_list(char *reply, size_t size)
{
	size_t len = 0;

	reply[0] = '\0';
	for (size_t i = 0; i < MAX_STRANDED && len < size; i++) {
		if (!slots[i].used)
			continue;
		len += snprintf(reply + len, size - len, "%d\n",
				(int)slots[i].tid);
	}
}

/* Parse one command line and write the reply into 'reply'. */
static void dispatch(char *line, char *reply, size_t size)
{
	if (strncmp(line, "strand ", 7) == 0 && line[7])
		cmd_strand(line + 7, reply, size);
	else if (strncmp(line, "release ", 8) == 0)
		cmd_release(line + 8, reply, size);
	else if (strcmp(line, "list") == 0)
		cmd_list(reply, size);
	else
		snprintf(reply, size, "error unknown command\n");
}

/* Read one line (up to '\n' or EOF) from 'fd'; returns its length or -1. */
static ssize_t read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len < size - 1) {
		ssize_t n = recv(fd, buf + len, size - 1 - len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		len += (size_t)n;
		if (memchr(buf, '\n', len))
			break;
	}
	buf[len] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return (ssize_t)strlen(buf);
}

/* Write all of 's' to 'fd', ignoring errors (the client may be gone). */
static void write_all(int fd, const char *s)
{
	size_t len = strlen(s);

	while (len > 0) {
		ssize_t n = send(fd, s, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/* Serve one connection: one command, one reply. */
static void serve(int fd)
{
	static char line[LINE_MAX_LEN];
	static char reply[REPLY_MAX_LEN];
	struct timeval tv = { .tv_sec = IO_TIMEOUT_SEC };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (read_line(fd, line, sizeof(line)) < 0)
		return;
	dispatch(line, reply, sizeof(reply));
	write_all(fd, reply);
}

/* Body of the control thread: accept and serve connections forever. */
static void *control_main(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "dd-inject");
	for (;;) {
		int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			/* EMFILE and the like: back off, never spin. */
			if (errno != EINTR && errno != ECONNABORTED)
				sleep(1);
			continue;
		}
		serve(fd);
		close(fd);
	}
	return NULL;
}

/* Bind 'addr'; replace a stale socket file but never a live one. */
static int bind_socket(int fd, const struct sockaddr_un *addr)
{
	int probe, rc;

	if (bind(fd, (const struct sockaddr *)addr, sizeof(*addr)) == 0)
		return 0;
	if (errno != EADDRINUSE)
		return -errno;
	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe < 0)
		return -errno;
	rc = connect(probe, (const struct sockaddr *)addr, sizeof(*addr));
	close(probe);
	if (rc == 0)
		return -EADDRINUSE; /* someone serves it already */
	if (unlink(addr->sun_path) < 0 && errno != ENOENT)
		return -errno;
	if (bind(fd, (const struct sockaddr *)addr, sizeof(*addr)) < 0)
		return -errno;
	return 0;
}

/* Open the listening socket at 'path'; returns the fd or -errno. */
static int open_listener(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, rc;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* Linux takes the new file's mode from the socket inode. */
	if (fchmod(fd, 0600) < 0) {
		rc = -errno;
		goto fail;
	}
	rc = bind_socket(fd, &addr);
	if (rc < 0)
		goto fail;
	if (chmod(path, 0600) < 0 || listen(fd, 8) < 0) {
		rc = -errno;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return rc;
}

/* Succeed if this process is dockerd itself (by its comm). */
static bool is_dockerd(void)
{
	char comm[32] = "";
	ssize_t n;
	int fd;

	fd = open("/proc/self/comm", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	return n > 0 && strcmp(comm, "dockerd\n") == 0;
}

/* Start the injector in dockerd when DD_INJECT_SOCK is set. */
__attribute__((constructor)) static void inject_init(void)
{
	const char *path = getenv("DD_INJECT_SOCK");
	pthread_t thread;
	int rc;

	if (!path || !*path || !is_dockerd())
		return;
	home_netns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home_netns < 0) {
		note("cannot open", "/proc/thread-self/ns/net", errno);
		return;
	}
	listen_fd = open_listener(path);
	if (listen_fd < 0) {
		note("cannot listen on", path, -listen_fd);
		goto fail;
	}
	rc = spawn(&thread, control_main, NULL);
	if (rc) {
		note("cannot start the control thread for", path, rc);
		goto fail;
	}
	pthread_detach(thread);
	note("listening on", path, 0);
	return;
fail:
	if (listen_fd >= 0) {
		close(listen_fd);
		unlink(path);
	}
	close(home_netns);
	listen_fd = -1;
	home_netns = -1;
}
