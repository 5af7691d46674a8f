/*
 * netns-fixture - a process whose threads sit in stale network namespaces.
 *
 * usage: netns-fixture --threads N --namespaces M [--owned-percent P]
 *                      [--routes-percent R]
 *
 * Reproduces what the 'netns.stranded' check looks for.  The main thread
 * stays in the namespace it was started in.  The other N-1 threads are
 * spread round-robin over M network namespaces: thread j (0-based) lives in
 * namespace j % M.  Thread j < M makes namespace j itself with
 * unshare(CLONE_NEWNET); the others setns() into it.  Once every thread is
 * placed, the namespace file descriptors are closed, so a namespace is then
 * held only by threads of this process.
 *
 * R percent of the namespaces get routes: lo up, a link 'fixture0' (kind
 * dummy, else ifb; else routes on lo alone when neither kind exists) with
 * 10.200.0.1/24 and a route 10.201.0.0/16 via 10.200.0.254, all set up over
 * a raw rtnetlink socket.  The others have no routes and lo down.
 *
 * P percent of the namespaces are "owned": a forked child ('netns-owner')
 * whose main thread lives in the namespace, as a live sandbox would have.
 * A tool that looks for stranded namespaces must not flag those.  Children
 * die with this process (PR_SET_PDEATHSIG) and are killed when it exits.
 *
 * Which namespaces are owned or have routes is spread evenly over the
 * indices: floor(M * P / 100) owned, floor(M * R / 100) with routes.
 *
 * Prints 'ready pid=<pid> threads=<N> namespaces=<M>' on stdout once the
 * layout is complete, a summary with the set-up time on stderr, then waits
 * for SIGTERM, SIGINT or SIGHUP, or for stdin to close when stdin is a pipe,
 * socket or terminal (a file or /dev/null on stdin is ignored).  Exits 0
 * after a clean stop, 1 when the layout cannot be made, 2 on usage errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/futex.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROG "netns-fixture"
#define THREAD_STACK (64 * 1024)
#define LINK_NAME "fixture0"
#define LINK_INDEX 2 /* lo is 1 in a fresh namespace */

struct ns_slot {
	int fd; /* the namespace while the layout is made, else -1 */
	bool owned; /* an owner child lives in it */
	bool routed; /* has a link, an address and routes */
	pid_t owner; /* the owner child, or 0 */
};

static struct ns_slot *slots;
static long nslots;

static atomic_int placed; /* threads that have reached their namespace */
static atomic_int gate; /* word every thread sleeps on, never changed */
static atomic_int link_kind; /* index into link_kinds[] still worth trying */
static const char *const link_kinds[] = { "dummy", "ifb" };
#define N_LINK_KINDS ((int)(sizeof(link_kinds) / sizeof(link_kinds[0])))

static pthread_mutex_t failure_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *failure_what; /* first failure in a thread, or NULL */
static long failure_index;
static int failure_errno;

/* Remember the first failure a thread hits; main reports it. */
static void record_failure(const char *what, long index, int err)
{
	pthread_mutex_lock(&failure_lock);
	if (!failure_what) {
		failure_what = what;
		failure_index = index;
		failure_errno = err;
	}
	pthread_mutex_unlock(&failure_lock);
}

/* Sleep while *word equals val (or until a spurious wake-up). */
static void futex_wait(atomic_int *word, int val)
{
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

/* Wake every thread sleeping on word. */
static void futex_wake(atomic_int *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

/* Count this thread as placed, then sleep until the process exits. */
static void __attribute__((noreturn)) thread_park(void)
{
	atomic_fetch_add(&placed, 1);
	futex_wake(&placed);
	for (;;)
		futex_wait(&gate, 0);
}

/* Wait until at least target threads are placed. */
static void wait_placed(int target)
{
	int v;

	while ((v = atomic_load(&placed)) < target)
		futex_wait(&placed, v);
}

/* Milliseconds on the monotonic clock. */
static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Append attribute type with len bytes of data to the message in buf. */
static int nl_attr(struct nlmsghdr *nh, size_t cap, unsigned short type,
		   const void *data, size_t len)
{
	struct rtattr *rta;

	if (NLMSG_ALIGN(nh->nlmsg_len) + RTA_SPACE(len) > cap)
		return -EMSGSIZE;
	rta = (struct rtattr *)((char *)nh + NLMSG_ALIGN(nh->nlmsg_len));
	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_SPACE(len);
	return 0;
}

/* Send one request and wait for its acknowledgement; 0 or -errno. */
static int nl_talk(int fd, struct nlmsghdr *nh)
{
	char buf[1024];
	struct nlmsghdr *ack = (struct nlmsghdr *)buf;
	struct nlmsgerr *err;
	ssize_t n;

	nh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (send(fd, nh, nh->nlmsg_len, 0) < 0)
		return -errno;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		return -errno;
	if (!NLMSG_OK(ack, (size_t)n) || ack->nlmsg_type != NLMSG_ERROR)
		return -EPROTO;
	err = NLMSG_DATA(ack);
	return err->error;
}

/* Buffer for one rtnetlink request: header, family header, attributes. */
struct nl_req {
	struct nlmsghdr nh;
	union {
		struct ifinfomsg ifi;
		struct ifaddrmsg ifa;
		struct rtmsg rtm;
	};
	char attrs[256];
};

/* Start a request of type with a family header of hdr_len bytes. */
static void nl_req_init(struct nl_req *req, unsigned short type,
			unsigned short flags, size_t hdr_len)
{
	memset(req, 0, sizeof(*req));
	req->nh.nlmsg_len = NLMSG_LENGTH(hdr_len);
	req->nh.nlmsg_type = type;
	req->nh.nlmsg_flags = flags;
}

/* Bring link index up; with kind, create it first, named LINK_NAME. */
static int link_up(int fd, int index, const char *kind)
{
	struct nl_req req;
	struct rtattr *info;
	unsigned short flags = kind ? NLM_F_CREATE | NLM_F_EXCL : 0;
	int err;

	nl_req_init(&req, RTM_NEWLINK, flags, sizeof(req.ifi));
	req.ifi.ifi_family = AF_UNSPEC;
	req.ifi.ifi_index = index;
	req.ifi.ifi_flags = IFF_UP;
	req.ifi.ifi_change = IFF_UP;
	if (!kind)
		return nl_talk(fd, &req.nh);
	err = nl_attr(&req.nh, sizeof(req), IFLA_IFNAME, LINK_NAME,
		      sizeof(LINK_NAME));
	info = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.nh.nlmsg_len));
	if (!err)
		err = nl_attr(&req.nh, sizeof(req), IFLA_LINKINFO, NULL, 0);
	if (!err)
		err = nl_attr(&req.nh, sizeof(req), IFLA_INFO_KIND, kind,
			      strlen(kind));
	if (err)
		return err;
	info->rta_len = (char *)&req + req.nh.nlmsg_len - (char *)info;
	return nl_talk(fd, &req.nh);
}

/* Add IPv4 address addr/plen to link index. */
static int addr_add(int fd, int index, const char *addr, int plen)
{
	struct nl_req req;
	struct in_addr a;
	int err;

	if (inet_pton(AF_INET, addr, &a) != 1)
		return -EINVAL;
	nl_req_init(&req, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL,
		    sizeof(req.ifa));
	req.ifa.ifa_family = AF_INET;
	req.ifa.ifa_prefixlen = plen;
	req.ifa.ifa_scope = RT_SCOPE_UNIVERSE;
	req.ifa.ifa_index = index;
	err = nl_attr(&req.nh, sizeof(req), IFA_LOCAL, &a, sizeof(a));
	if (!err)
		err = nl_attr(&req.nh, sizeof(req), IFA_ADDRESS, &a, sizeof(a));
	return err ? err : nl_talk(fd, &req.nh);
}

/* Add dst/plen out of link index, via gateway gw unless gw is NULL. */
static int route_add(int fd, int index, const char *dst, int plen,
		     const char *gw)
{
	struct nl_req req;
	struct in_addr d, g;
	int err;

	if (inet_pton(AF_INET, dst, &d) != 1 ||
	    (gw && inet_pton(AF_INET, gw, &g) != 1))
		return -EINVAL;
	nl_req_init(&req, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
		    sizeof(req.rtm));
	req.rtm.rtm_family = AF_INET;
	req.rtm.rtm_dst_len = plen;
	req.rtm.rtm_table = RT_TABLE_MAIN;
	req.rtm.rtm_protocol = RTPROT_STATIC;
	req.rtm.rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	req.rtm.rtm_type = RTN_UNICAST;
	err = nl_attr(&req.nh, sizeof(req), RTA_DST, &d, sizeof(d));
	if (!err && gw)
		err = nl_attr(&req.nh, sizeof(req), RTA_GATEWAY, &g, sizeof(g));
	if (!err)
		err = nl_attr(&req.nh, sizeof(req), RTA_OIF, &index,
			      sizeof(index));
	return err ? err : nl_talk(fd, &req.nh);
}

/* Make a link of the first kind the kernel knows; its index or -errno. */
static int link_make(int fd)
{
	int k, err;

	while ((k = atomic_load(&link_kind)) < N_LINK_KINDS) {
		err = link_up(fd, LINK_INDEX, link_kinds[k]);
		if (err != -EOPNOTSUPP)
			return err ? err : LINK_INDEX;
		/* Unknown kind: skip it from now on, in every thread. */
		atomic_compare_exchange_strong(&link_kind, &k, k + 1);
	}
	return 1; /* neither kind exists: put everything on lo */
}

/* Give the current thread's namespace lo up, a link, an address, routes. */
static int routes_add(void)
{
	int fd, index, err;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	err = link_up(fd, 1, NULL);
	if (err)
		goto out;
	index = link_make(fd);
	if (index < 0) {
		err = index;
		goto out;
	}
	err = addr_add(fd, index, "10.200.0.1", 24);
	if (!err && index != 1)
		err = route_add(fd, index, "10.201.0.0", 16, "10.200.0.254");
	else if (!err)
		err = route_add(fd, index, "10.201.0.0", 16, NULL);
out:
	close(fd);
	return err;
}

/* Thread that makes namespace i, gives it routes if asked, stays in it. */
static void *holder_main(void *arg)
{
	long i = (long)(intptr_t)arg;
	int err;

	if (unshare(CLONE_NEWNET) < 0) {
		record_failure("cannot create network namespace", i, errno);
		thread_park();
	}
	slots[i].fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (slots[i].fd < 0) {
		record_failure("cannot open network namespace", i, errno);
		thread_park();
	}
	if (slots[i].routed) {
		err = routes_add();
		if (err)
			record_failure("cannot add routes to namespace", i,
				       -err);
	}
	thread_park();
}

/* Thread that joins namespace i and stays in it. */
static void *joiner_main(void *arg)
{
	long i = (long)(intptr_t)arg;

	if (setns(slots[i].fd, CLONE_NEWNET) < 0)
		record_failure("cannot enter network namespace", i, errno);
	thread_park();
}

/* Read an integer sysctl from /proc/sys/path; -1 when unreadable. */
static long sysctl_read(const char *path)
{
	char name[128];
	long v = -1;
	FILE *f;

	snprintf(name, sizeof(name), "/proc/sys/%s", path);
	f = fopen(name, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Raise the soft limit of resource to need, the hard one too if allowed. */
static void limit_raise(int resource, const char *name, rlim_t need)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) < 0 || rl.rlim_cur >= need)
		return;
	rl.rlim_cur = need;
	if (rl.rlim_max < need)
		rl.rlim_max = need;
	if (setrlimit(resource, &rl) == 0)
		return;
	/* No CAP_SYS_RESOURCE: go as far as the hard limit allows. */
	getrlimit(resource, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(resource, &rl);
	if (rl.rlim_max < need)
		fprintf(stderr,
			PROG ": warning: cannot raise %s to %llu: hard limit "
			     "%llu\n",
			name, (unsigned long long)need,
			(unsigned long long)rl.rlim_max);
}

/* Explain a failed pthread_create in terms of the limits that apply. */
static void explain_thread_failure(long nth, long total, int err)
{
	struct rlimit rl = { 0, 0 };

	getrlimit(RLIMIT_NPROC, &rl);
	fprintf(stderr,
		PROG ": cannot create thread %ld of %ld: %s (limits: "
		     "kernel.threads-max %ld, kernel.pid_max %ld, "
		     "vm.max_map_count %ld (2 maps a thread), RLIMIT_NPROC "
		     "%lld, and the cgroup's pids.max)\n",
		nth, total, strerror(err), sysctl_read("kernel/threads-max"),
		sysctl_read("kernel/pid_max"), sysctl_read("vm/max_map_count"),
		rl.rlim_cur == RLIM_INFINITY ? -1LL : (long long)rl.rlim_cur);
}

/* Report the first failure recorded by a thread; 0 if there was none. */
static int report_thread_failure(void)
{
	if (!failure_what)
		return 0;
	fprintf(stderr, PROG ": %s %ld of %ld: %s", failure_what,
		failure_index + 1, nslots, strerror(failure_errno));
	if (failure_errno == ENOSPC)
		fprintf(stderr, " (user.max_net_namespaces is %ld)",
			sysctl_read("user/max_net_namespaces"));
	else if (failure_errno == EPERM)
		fprintf(stderr, " (needs CAP_SYS_ADMIN)");
	fputc('\n', stderr);
	return -failure_errno;
}

/* Start threads first..last-1 (thread j goes to namespace j % nslots). */
static int threads_start(long first, long last, long total, void *(*fn)(void *))
{
	pthread_attr_t attr;
	pthread_t t;
	long j;
	int err = 0;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (j = first; j < last; j++) {
		err = pthread_create(&t, &attr, fn,
				     (void *)(intptr_t)(j % nslots));
		if (err) {
			explain_thread_failure(j + 2, total, err);
			err = -err;
			break;
		}
	}
	pthread_attr_destroy(&attr);
	return err;
}

/* Child: live in namespace i with its main thread until killed. */
static void __attribute__((noreturn))
owner_main(long i, pid_t parent, int ack_rd, int ack_wr)
{
	char ok = 'y';
	long k;
	int null;

	/* Only async-signal-safe calls here: the parent has many threads. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	prctl(PR_SET_NAME, "netns-owner");
	if (setns(slots[i].fd, CLONE_NEWNET) < 0)
		ok = 'n';
	/* Hold nothing but the namespace we live in: no fds to the others. */
	for (k = 0; k < nslots; k++)
		if (slots[k].fd >= 0)
			close(slots[k].fd);
	close(ack_rd);
	null = open("/dev/null", O_RDWR);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	if (null > 2)
		close(null);
	/* Drop whatever else was inherited too (best effort, Linux 5.9+). */
	if (ack_wr > 3)
		syscall(SYS_close_range, 3U, (unsigned)ack_wr - 1, 0U);
	syscall(SYS_close_range, (unsigned)ack_wr + 1, ~0U, 0U);
	if (write(ack_wr, &ok, 1) != 1 || ok != 'y')
		_exit(1);
	close(ack_wr);
	for (;;)
		pause();
}

/* Fork an owner child into every owned namespace and wait until in place. */
static int owners_start(void)
{
	pid_t self = getpid();
	int ack[2], err = 0;
	long i, started = 0, confirmed = 0;
	char c;

	if (pipe2(ack, O_CLOEXEC) < 0)
		return -errno;
	for (i = 0; i < nslots && !err; i++) {
		if (!slots[i].owned)
			continue;
		slots[i].owner = fork();
		if (slots[i].owner < 0) {
			err = -errno;
			slots[i].owner = 0;
			fprintf(stderr,
				PROG ": cannot fork owner of namespace "
				     "%ld: %s\n",
				i + 1, strerror(-err));
		} else if (slots[i].owner == 0) {
			owner_main(i, self, ack[0], ack[1]);
		} else {
			started++;
		}
	}
	close(ack[1]);
	while (confirmed < started && read(ack[0], &c, 1) == 1 && c == 'y')
		confirmed++;
	close(ack[0]);
	if (!err && confirmed < started) {
		fprintf(stderr,
			PROG ": an owner child cannot enter its namespace\n");
		err = -EIO;
	}
	return err;
}

/* Kill and reap every owner child. */
static void owners_stop(void)
{
	long i;

	for (i = 0; i < nslots; i++)
		if (slots[i].owner > 0)
			kill(slots[i].owner, SIGKILL);
	for (i = 0; i < nslots; i++)
		if (slots[i].owner > 0)
			waitpid(slots[i].owner, NULL, 0);
}

/* Whether stdin can tell us to stop by closing (pipe, socket, terminal). */
static bool stdin_watchable(void)
{
	struct stat st;

	if (fstat(0, &st) < 0)
		return false;
	return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || isatty(0);
}

/* Block until SIGTERM, SIGINT or SIGHUP arrives or stdin closes. */
static void wait_for_stop(void)
{
	struct pollfd pfd[2];
	sigset_t set;
	char buf[256];
	nfds_t n = 1;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pfd[0].fd = signalfd(-1, &set, SFD_CLOEXEC);
	pfd[0].events = POLLIN;
	pfd[1].fd = 0;
	pfd[1].events = POLLIN;
	if (stdin_watchable())
		n = 2;
	for (;;) {
		if (poll(pfd, n, -1) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents || pfd[0].fd < 0)
			break;
		if (n == 2 && pfd[1].revents && read(0, buf, sizeof(buf)) <= 0)
			break;
	}
	if (pfd[0].fd >= 0)
		close(pfd[0].fd);
}

/* Whether index i of m is among the floor(m * pct / 100) picked evenly. */
static bool spread_pick(long i, long pct)
{
	return ((i + 1) * pct) / 100 != (i * pct) / 100;
}

/* Parse a non-negative decimal option value no greater than max. */
static int parse_count(const char *arg, const char *name, long max, long *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 0 || v > max) {
		fprintf(stderr, PROG ": invalid %s '%s' (0 to %ld)\n", name,
			arg, max);
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: " PROG " --threads N --namespaces M "
		   "[--owned-percent P] [--routes-percent R]\n");
}

/* Parse the command line; 0, or -EINVAL after a message. */
static int parse_options(int argc, char **argv, long *threads, long *nns,
			 long *owned_pct, long *routes_pct)
{
	static const struct option opts[] = {
		{ "threads", required_argument, NULL, 't' },
		{ "namespaces", required_argument, NULL, 'n' },
		{ "owned-percent", required_argument, NULL, 'o' },
		{ "routes-percent", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, err = 0;

	*threads = *nns = -1;
	*owned_pct = *routes_pct = 0;
	while (!err &&
	       (c = getopt_long(argc, argv, "t:n:o:r:h", opts, NULL)) != -1) {
		if (c == 't')
			err = parse_count(optarg, "thread count", 1000000,
					  threads);
		else if (c == 'n')
			err = parse_count(optarg, "namespace count", 1000000,
					  nns);
		else if (c == 'o')
			err = parse_count(optarg, "percentage", 100, owned_pct);
		else if (c == 'r')
			err = parse_count(optarg, "percentage", 100,
					  routes_pct);
		else if (c == 'h')
			err = 1;
		else
			err = -EINVAL;
	}
	if (err == 1) {
		usage(stdout);
		exit(0);
	}
	if (!err && (optind < argc || *threads < 1 || *nns < 0)) {
		usage(stderr);
		err = -EINVAL;
	} else if (!err && *threads - 1 < *nns) {
		fprintf(stderr, PROG ": need at least one thread besides the "
				     "main one in each namespace (threads > "
				     "namespaces)\n");
		err = -EINVAL;
	}
	return err;
}

/* Make the slots; returns the number owned through ret_owned. */
static int slots_new(long nns, long owned_pct, long routes_pct, long *ret_owned,
		     long *ret_routed)
{
	long i;

	slots = calloc(nns ? nns : 1, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	nslots = nns;
	*ret_owned = *ret_routed = 0;
	for (i = 0; i < nns; i++) {
		slots[i].fd = -1;
		slots[i].owned = spread_pick(i, owned_pct);
		/* Count from the other end so the two picks rarely meet. */
		slots[i].routed = spread_pick(nns - 1 - i, routes_pct);
		*ret_owned += slots[i].owned;
		*ret_routed += slots[i].routed;
	}
	return 0;
}

/* Close the namespace fds: from now on only threads hold them. */
static void slots_close_fds(void)
{
	long i;

	for (i = 0; i < nslots; i++) {
		if (slots[i].fd >= 0)
			close(slots[i].fd);
		slots[i].fd = -1;
	}
}

int main(int argc, char **argv)
{
	long threads, nns, owned_pct, routes_pct, owned, routed;
	double t0, t_ns, t_own, t_end;
	const char *kind;
	sigset_t all;
	int err;

	if (parse_options(argc, argv, &threads, &nns, &owned_pct, &routes_pct))
		return 2;
	if (slots_new(nns, owned_pct, routes_pct, &owned, &routed))
		return 1;
	/* Root with CAP_SYS_ADMIN is not held to RLIMIT_NPROC anyway. */
	limit_raise(RLIMIT_NPROC, "RLIMIT_NPROC", threads + owned + 64);
	limit_raise(RLIMIT_NOFILE, "RLIMIT_NOFILE", nns + 64);
	if (2 * threads + 256 > sysctl_read("vm/max_map_count"))
		fprintf(stderr,
			PROG ": warning: vm.max_map_count %ld may be "
			     "too low for %ld threads\n",
			sysctl_read("vm/max_map_count"), threads);

	/* Threads inherit the mask: only main takes signals, via signalfd. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);

	t0 = now_ms();
	err = threads_start(0, nns, threads, holder_main);
	wait_placed(err ? 0 : nns);
	if (err || report_thread_failure())
		goto out;
	t_ns = now_ms();
	err = owners_start();
	if (err)
		goto out;
	t_own = now_ms();
	err = threads_start(nns, threads - 1, threads, joiner_main);
	if (!err)
		wait_placed(threads - 1);
	if (err || report_thread_failure())
		goto out;
	slots_close_fds();
	t_end = now_ms();

	kind = "lo";
	if (atomic_load(&link_kind) < N_LINK_KINDS)
		kind = link_kinds[atomic_load(&link_kind)];
	fprintf(stderr,
		PROG ": set-up %.0f ms (namespaces %.0f, owners %.0f, "
		     "threads %.0f); %ld namespaces: %ld stale, %ld owned, "
		     "%ld with routes (link kind '%s')\n",
		t_end - t0, t_ns - t0, t_own - t_ns, t_end - t_own, nns,
		nns - owned, owned, routed, routed ? kind : "none");
	printf("ready pid=%d threads=%ld namespaces=%ld\n", (int)getpid(),
	       threads, nns);
	fflush(stdout);
	wait_for_stop();
out:
	owners_stop();
	return (err || failure_what) ? 1 : 0;
}
