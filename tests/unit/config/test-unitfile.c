// SPDX-License-Identifier: GPL-2.0-or-later
/* systemd unit files: word splitting, unit text, env files, loading. */
#include "config.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "config/envfile.h"
#include "config/unitfile.h"
#include "core/util.h"
#include "table.h"

/* Join a vector with '|' into a static buffer; NULL for a NULL vector. */
static const char *join(char *const *v)
{
	static char buf[4096];
	size_t len = 0;

	if (!v)
		return NULL;
	buf[0] = '\0';
	for (size_t i = 0; v[i]; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				i ? "|" : "", v[i]);
	return buf;
}

/* Expect v joined with '|' to be want (NULL: v is NULL). */
static void expect_joined(char *const *v, const char *want, const char *what)
{
	const char *got = join(v);

	if (!want)
		cr_assert_null(got, "%s should be unset, is '%s'", what, got);
	else
		cr_assert_str_eq(got ? got : "(null)", want, "%s", what);
}

/* Expect a warning containing text (NULL: no warning at all). */
static void expect_warning(char *const *warnings, const char *text)
{
	if (!text) {
		cr_assert_null(warnings, "unexpected warnings: %s",
			       join(warnings));
		return;
	}
	for (size_t i = 0; warnings && warnings[i]; i++)
		if (strstr(warnings[i], text))
			return;
	cr_assert_fail("no warning with '%s' in: %s", text,
		       warnings ? join(warnings) : "(none)");
}

/* ---- unit_split_words ---- */

struct split_case {
	const char *line;
	int ret;
	const char *words[6];
};

/* clang-format off */
static struct split_case split_cases[] = {
	{ "a b  c", 0, { "a", "b", "c" } },
	{ "", 0, { NULL } },
	{ " \t ", 0, { NULL } },
	{ "/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock", 0,
	  { "/usr/bin/dockerd", "-H", "fd://", "--containerd=/run/containerd/containerd.sock" } },
	{ "\"a b\" c", 0, { "a b", "c" } },
	{ "'a b'", 0, { "a b" } },
	{ "--label=\"a b\"", 0, { "--label=a b" } },
	{ "\"\"", 0, { "" } },
	{ "a \"\" b", 0, { "a", "", "b" } },
	{ "'a'\"b\"c", 0, { "abc" } },
	{ "\"it's\" 'say \"hi\"'", 0, { "it's", "say \"hi\"" } },
	{ "a\\ b", 0, { "a b" } },
	{ "\\x41\\102\\u00e9", 0, { "AB\xc3\xa9" } },
	{ "\"\\n\\t\\s\"", 0, { "\n\t " } },
	{ "\"a\\\"b\" 'a\\'b'", 0, { "a\"b", "a'b" } },
	{ "C:\\\\dir", 0, { "C:\\dir" } },
	{ "\\d\\x0g", 0, { "\\d\\x0g" } },
	{ "\\x00 \\000", 0, { "\\x00", "\\000" } },
	{ "\"abc", -EINVAL },
	{ "'abc", -EINVAL },
	{ "abc\\", -EINVAL },
	{ "a \"b c\" 'd", -EINVAL },
};
/* clang-format on */

ParameterizedTestParameters(unitfile, split_words)
{
	TABLE_PARAMS(split_cases);
}

ParameterizedTest(size_t *ci, unitfile, split_words)
{
	const struct split_case *c = &split_cases[*ci];
	char **words = (char **)"untouched";
	size_t n = 0;
	int r;

	r = unit_split_words(c->line, &words);
	cr_assert_eq(r, c->ret, "'%s': %d, want %d", c->line, r, c->ret);
	if (r < 0) {
		cr_assert_str_eq((char *)words, "untouched");
		return;
	}
	cr_assert_not_null(words, "'%s': a vector even when empty", c->line);
	while (c->words[n])
		n++;
	cr_assert_eq(strv_length(words), n, "'%s': %zu words (%s), want %zu",
		     c->line, strv_length(words), join(words), n);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(words[i], c->words[i], "'%s': word %zu",
				 c->line, i);
	strv_free(words);
}

/* ---- unit_apply_text ---- */

struct apply_case {
	const char *text;
	const char *exec; /* exec_start joined with '|', NULL: none */
	const char *warning; /* in some warning, NULL: no warnings */
	size_t n_exec;
	const char *source; /* exec_source, when checked */
};

/* clang-format off */
static struct apply_case apply_cases[] = {
	/* Docker CE's unit */
	{ "[Unit]\nDescription=Docker\n[Service]\nType=notify\n"
	  "ExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n",
	  "/usr/bin/dockerd|-H|fd://|--containerd=/run/containerd/containerd.sock", NULL, 1, "t:5" },
	/* continuation lines, with a comment inside the continuation */
	{ "[Service]\nExecStart=/usr/bin/dockerd \\\n  -H fd:// \\\n# comment\n  --debug\n",
	  "/usr/bin/dockerd|-H|fd://|--debug", NULL, 1, "t:2" },
	/* an even number of backslashes does not continue */
	{ "[Service]\nExecStart=/d a\\\\\nExecStart=\nExecStart=/e\n", "/e", NULL, 1, "t:4" },
	{ "[Service]\nExecStart=/d a \\", "/d|a", NULL, 1 },
	/* the empty assignment resets the list */
	{ "[Service]\nExecStart=/a\nExecStart=\nExecStart=/b x\n", "/b|x", NULL, 1, "t:4" },
	{ "[Service]\nType=notify\nExecStart=/a\nExecStart=/b\n", "/b",
	  "2 commands in ExecStart=", 2, "t:4" },
	{ "[Service]\nType=oneshot\nExecStart=/a\nExecStart=/b\n", "/b", NULL, 2 },
	/* prefixes; '@' drops the argv[0] word */
	{ "[Service]\nExecStart=-@/usr/bin/dockerd dockerd-argv0 --debug\n",
	  "/usr/bin/dockerd|--debug", NULL, 1 },
	{ "[Service]\nExecStart=+!/usr/bin/dockerd\n", "/usr/bin/dockerd", NULL, 1 },
	{ "[Service]\nExecStart=/a\nExecStart=-\n", "/a", "'t:3': no command", 1 },
	/* only [Service] matters; keys and sections are case-sensitive */
	{ "[Unit]\nExecStart=/x\n[Install]\nExecStart=/y\n", NULL, NULL, 0 },
	{ "[Service]\nexecstart=/x\n[service]\nExecStart=/y\n", NULL, NULL, 0 },
	{ "[Service]\n  ExecStart =  /d  -a  \n", "/d|-a", NULL, 1 },
	{ "\xef\xbb\xbf[Service]\r\nExecStart=/d -a\r\n", "/d|-a", NULL, 1 },
	{ "[Service]\nExecStart=/d # x ; y\n", "/d|#|x|;|y", NULL, 1 },
	/* expansion */
	{ "[Service]\nEnvironment=\"DOCKER_OPTS=--debug --log-level=warn\"\nExecStart=/d $DOCKER_OPTS\n",
	  "/d|--debug|--log-level=warn", NULL, 1 },
	{ "[Service]\nEnvironment=\"DOCKER_OPTS=--debug --log-level=warn\"\nExecStart=/d ${DOCKER_OPTS}\n",
	  "/d|--debug --log-level=warn", NULL, 1 },
	{ "[Service]\nExecStart=/d $NOPE x ${NOPE}\n", "/d|x|", NULL, 1 },
	{ "[Service]\nExecStart=/d $$HOME a$$b\n", "/d|$HOME|a$b", NULL, 1 },
	{ "[Service]\nEnvironment=FOO=1\nExecStart=/d --x=$FOO --y=${FOO}\n", "/d|--x=$FOO|--y=1", NULL, 1 },
	{ "[Service]\nEnvironment=\"OPTS=--label 'a b' x\"\nExecStart=/d $OPTS\n", "/d|--label|a b|x", NULL, 1 },
	/* systemd.service(5)'s example, as systemd 257 really behaves */
	{ "[Service]\nEnvironment=ONE='one' \"TWO='two two' too\" THREE=\n"
	  "ExecStart=/bin/echo ${ONE} ${TWO} ${THREE} $ONE $TWO $THREE\n",
	  "/bin/echo|one|'two two' too||one|two two|too", NULL, 1 },
	/* expansion uses the final environment, whatever the order */
	{ "[Service]\nExecStart=/d $A\nEnvironment=A=late\n", "/d|late", NULL, 1 },
	{ "[Service]\nEnvironment=A=1\nEnvironment=\nExecStart=/d ${A}x\n", "/d|x", NULL, 1 },
	{ "[Service]\nEnvironment=A=1 A=2\nExecStart=/d $A\n", "/d|2", NULL, 1 },
	/* bad lines are skipped with a warning naming file:line */
	{ "[Service]\nExecStart=/a\nExecStart=/b \"x\n", "/a", "'t:3': unbalanced quotes", 1, "t:2" },
	{ "[Service]\nExecStart=/a\nbogus line\n", "/a", "ignoring 't:3': no '='", 1 },
	{ "ExecStart=/a\n", NULL, "'t:1': assignment outside of a section", 0 },
	{ "[Service\nExecStart=/d\n", NULL, "invalid section header", 0 },
	{ "[Service]\nEnvironment=1A=x B\nExecStart=/d\n", "/d",
	  "invalid environment assignment '1A=x'", 1 },
	{ "[Service]\nEnvironmentFile=etc/x\nExecStart=/d\n", "/d", "is not absolute", 1 },
};
/* clang-format on */

ParameterizedTestParameters(unitfile, apply_text)
{
	TABLE_PARAMS(apply_cases);
}

ParameterizedTest(size_t *ci, unitfile, apply_text)
{
	const struct apply_case *c = &apply_cases[*ci];
	struct unit_info u = { 0 };
	struct fixture fx;
	struct pathctx pc;

	fixture_init(&fx);
	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	cr_assert_eq(unit_apply_text(&pc, c->text, "t", &u), 0);
	expect_joined(u.exec_start, c->exec, "exec_start");
	expect_warning(u.warnings, c->warning);
	cr_assert_eq(u.n_exec_start, c->n_exec, "n_exec_start %zu",
		     u.n_exec_start);
	if (c->source)
		cr_assert_str_eq(u.exec_source ? u.exec_source : "(null)",
				 c->source);
	unit_info_release(&u);
	pathctx_release(&pc);
	fixture_release(&fx);
}

/* ---- unit_parse_env ---- */

struct env_case {
	const char *text;
	const char *env; /* joined with '|', NULL: empty */
	const char *warning; /* NULL: no warnings */
};

/* clang-format off */
static struct env_case env_cases[] = {
	{ "A=1\nB=2\n", "A=1|B=2" },
	{ "# comment\n; comment\n\n   \nA=1", "A=1" },
	{ "DOCKER_OPTS=\"--dns 8.8.8.8 --dns 8.8.4.4\"\n", "DOCKER_OPTS=--dns 8.8.8.8 --dns 8.8.4.4" },
	{ "A=\"x y\"\nB='p q'\n", "A=x y|B=p q" },
	{ "  A = spaced value   \n", "A=spaced value" },
	{ "A=a#b\n", "A=a#b" },
	{ "A=x\"y\"\n", "A=x\"y\"" },
	{ "A=\"multi\nline\"\nB=1\n", "A=multi\nline|B=1" },
	{ "A=one\\\ntwo\n", "A=onetwo" },
	{ "A=\"q\\\"x\\n\\$\"\n", "A=q\"x\\n$" },
	{ "A='x\\y'\n", "A=x\\y" },
	{ "A=a\\ \n", "A=a " },
	{ "A=\"  \"  \n", "A=  " },
	{ "A=\n", "A=" },
	{ "A=1\r\nB=2\r\n", "A=1|B=2" },
	{ "A=1\nA=2\n", "A=2" },
	{ "# comment \\\nA=1\nB=2\n", "A=1|B=2", "'/e:1': comment ends with a backslash" },
	{ "# comment \\\\\nA=1\n", "A=1" },
	{ "A=\"x\"  y \nB='a'\"b\"\nC=\"x\"#c\n", "A=xy|B=ab|C=x#c" },
	{ "\n\nnot an assignment\nB=1\n", "B=1", "ignoring '/e:3': not a KEY=VALUE assignment" },
	{ "export A=1\n", NULL, "ignoring '/e:1': invalid variable name 'export A'" },
	{ "A=1\n2B=x\n", "A=1", "invalid variable name '2B'" },
	{ "A=\"open\nB=2\n", "A=open\nB=2\n", "'/e:1': unterminated quote" },
};
/* clang-format on */

ParameterizedTestParameters(unitfile, parse_env)
{
	TABLE_PARAMS(env_cases);
}

ParameterizedTest(size_t *ci, unitfile, parse_env)
{
	const struct env_case *c = &env_cases[*ci];
	char **env = NULL, **warnings = NULL;

	cr_assert_eq(unit_parse_env(c->text, "/e", &env, &warnings), 0);
	expect_joined(env, c->env, "env");
	expect_warning(warnings, c->warning);
	strv_free(env);
	strv_free(warnings);
}

/* ---- unit_load on fixture trees ---- */

static struct fixture fx;
static struct pathctx pc;
static struct unit_info u;

/* A fresh sysroot and an empty unit_info for each test. */
static void setup(void)
{
	fixture_init(&fx);
	cr_assert_eq(pathctx_init(&pc, fx.root), 0);
	memset(&u, 0, sizeof(u));
}

/* Free the unit and remove the sysroot. */
static void teardown(void)
{
	unit_info_release(&u);
	pathctx_release(&pc);
	fixture_release(&fx);
}

#define ETC "/etc/systemd/system/docker.service"
#define RUN "/run/systemd/system/docker.service"
#define LIB "/lib/systemd/system/docker.service"
#define USRLIB "/usr/lib/systemd/system/docker.service"

/* Load docker.service from the fixture, expecting success. */
static void load(void)
{
	int r = unit_load(&pc, "docker.service", &u);

	cr_assert_eq(r, 0, "unit_load: %s", strerror(-r));
}

static const char debian_unit[] =
	"[Unit]\nDescription=Docker Application Container Engine\n"
	"After=network-online.target docker.socket\n\n"
	"[Service]\nType=notify\n"
	"EnvironmentFile=-/etc/default/docker\n"
	"ExecStart=/usr/sbin/dockerd -H fd:// $DOCKER_OPTS\n"
	"ExecReload=/bin/kill -s HUP $MAINPID\n\n"
	"[Install]\nWantedBy=multi-user.target\n";

Test(unitfile, missing_unit, .init = setup, .fini = teardown)
{
	u.n_exec_start = 42;
	fixture_write(&fx, "/etc/systemd/system/docker.service.d/x.conf",
		      "[Service]\nExecStart=/x\n", -1);
	cr_assert_eq(unit_load(&pc, "docker.service", &u), -ENOENT);
	cr_assert_eq(u.n_exec_start, 42, "ret untouched on failure");
	cr_assert_null(u.path);
	cr_assert_eq(unit_load(&pc, "a/b.service", &u), -EINVAL);
}

Test(unitfile, debian, .init = setup, .fini = teardown)
{
	fixture_write(&fx, LIB, debian_unit, -1);
	fixture_write(&fx, "/etc/default/docker",
		      "# Docker Upstart and SysVinit configuration file\n\n"
		      "#DOCKER=\"/usr/local/bin/dockerd\"\n"
		      "DOCKER_OPTS=\"--dns 8.8.8.8 --label 'env=prod lab'\"\n"
		      "#export http_proxy=\"http://127.0.0.1:3128/\"\n",
		      -1);
	load();
	cr_assert_str_eq(u.path, LIB);
	cr_assert_str_eq(u.name, "docker.service");
	expect_joined(
		u.exec_start,
		"/usr/sbin/dockerd|-H|fd://|--dns|8.8.8.8|--label|env=prod lab",
		"exec_start");
	cr_assert_str_eq(u.exec_source, LIB ":8");
	expect_joined(u.env_files, "/etc/default/docker", "env_files");
	expect_joined(u.env, "DOCKER_OPTS=--dns 8.8.8.8 --label 'env=prod lab'",
		      "env");
	cr_assert_str_eq(u.type, "notify");
	cr_assert_not(u.masked);
	expect_warning(u.warnings, NULL);
}

Test(unitfile, debian_default_file_missing, .init = setup, .fini = teardown)
{
	fixture_write(&fx, LIB, debian_unit, -1);
	load();
	expect_joined(u.exec_start, "/usr/sbin/dockerd|-H|fd://", "exec_start");
	expect_joined(u.env_files, "/etc/default/docker", "env_files");
	cr_assert_null(u.env);
	expect_warning(u.warnings, NULL);
}

Test(unitfile, rhel, .init = setup, .fini = teardown)
{
	fixture_write(
		&fx, USRLIB,
		"[Service]\nType=notify\n"
		"EnvironmentFile=-/etc/sysconfig/docker\n"
		"EnvironmentFile=-/etc/sysconfig/docker-storage\n"
		"Environment=GOTRACEBACK=crash\n"
		"ExecStart=/usr/bin/dockerd-current \\\n"
		"          --add-runtime docker-runc=/usr/libexec/docker/docker-runc-current \\\n"
		"          --default-runtime=docker-runc \\\n"
		"          $OPTIONS \\\n"
		"          $DOCKER_STORAGE_OPTIONS\n",
		-1);
	fixture_write(
		&fx, "/etc/sysconfig/docker",
		"# /etc/sysconfig/docker\n\n"
		"# Modify these options if you want to change the way the docker daemon runs\n"
		"OPTIONS='--selinux-enabled --log-driver=journald --signature-verification=false'\n",
		-1);
	fixture_write(&fx, "/etc/sysconfig/docker-storage",
		      "DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2\"\n",
		      -1);
	load();
	expect_joined(
		u.exec_start,
		"/usr/bin/dockerd-current|--add-runtime|docker-runc=/usr/libexec/docker/docker-runc-current|--default-runtime=docker-runc|--selinux-enabled|--log-driver=journald|--signature-verification=false|--storage-driver|overlay2",
		"exec_start");
	cr_assert_str_eq(u.exec_source, USRLIB ":6");
	expect_joined(u.env_files,
		      "/etc/sysconfig/docker|/etc/sysconfig/docker-storage",
		      "env_files");
	expect_warning(u.warnings, NULL);
}

Test(unitfile, search_order, .init = setup, .fini = teardown)
{
	fixture_write(&fx, USRLIB, "[Service]\nExecStart=/usr-lib\n", -1);
	load();
	cr_assert_str_eq(u.path, USRLIB);
	unit_info_release(&u);
	fixture_write(&fx, LIB, "[Service]\nExecStart=/lib\n", -1);
	load();
	expect_joined(u.exec_start, "/lib", "/lib before /usr/lib");
	unit_info_release(&u);
	fixture_write(&fx, RUN, "[Service]\nExecStart=/run\n", -1);
	load();
	expect_joined(u.exec_start, "/run", "/run before /lib");
	unit_info_release(&u);
	fixture_write(&fx, ETC, "[Service]\nExecStart=/etc\n", -1);
	load();
	cr_assert_str_eq(u.path, ETC);
	expect_joined(u.exec_start, "/etc", "/etc first");
	cr_assert_eq(u.n_exec_start, 1, "the units are not merged");
}

Test(unitfile, dropin_fix, .init = setup, .fini = teardown)
{
	static const char conf[] =
		"/etc/systemd/system/docker.service.d/override.conf";

	fixture_write(&fx, LIB, debian_unit, -1);
	fixture_write(&fx, conf,
		      "# the documented fix\n[Service]\nExecStart=\n"
		      "ExecStart=/usr/bin/dockerd\n",
		      -1);
	load();
	expect_joined(u.exec_start, "/usr/bin/dockerd", "exec_start");
	cr_assert_str_eq(
		u.exec_source,
		"/etc/systemd/system/docker.service.d/override.conf:4");
	expect_joined(u.dropins, conf, "dropins");
	cr_assert_eq(u.n_exec_start, 1);
	expect_warning(u.warnings, NULL);
}

Test(unitfile, dropin_without_reset, .init = setup, .fini = teardown)
{
	fixture_write(&fx, LIB, debian_unit, -1);
	fixture_write(
		&fx, "/etc/systemd/system/docker.service.d/hosts.conf",
		"[Service]\nExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375\n",
		-1);
	load();
	cr_assert_eq(u.n_exec_start, 2);
	expect_joined(u.exec_start, "/usr/bin/dockerd|-H|tcp://0.0.0.0:2375",
		      "the last command");
	expect_warning(u.warnings, "hosts.conf:2': 2 commands in ExecStart=");
}

Test(unitfile, dropin_order_and_masking, .init = setup, .fini = teardown)
{
	fixture_write(&fx, LIB, "[Service]\nExecStart=/d $ORDER\n", -1);
	fixture_write(&fx, "/lib/systemd/system/docker.service.d/10-a.conf",
		      "[Service]\nEnvironment=ORDER=10 A=lib\n", -1);
	fixture_write(&fx, "/etc/systemd/system/docker.service.d/20-b.conf",
		      "[Service]\nEnvironment=ORDER=20\n", -1);
	fixture_write(&fx, "/run/systemd/system/docker.service.d/05-c.conf",
		      "[Service]\nEnvironment=ORDER=05\n", -1);
	/* same name: /etc masks /usr/lib */
	fixture_write(&fx, "/usr/lib/systemd/system/docker.service.d/10-a.conf",
		      "[Service]\nEnvironment=B=usrlib\n", -1);
	fixture_write(&fx, "/etc/systemd/system/docker.service.d/notconf.txt",
		      "[Service]\nEnvironment=C=txt\n", -1);
	load();
	expect_joined(u.dropins,
		      "/run/systemd/system/docker.service.d/05-c.conf|"
		      "/lib/systemd/system/docker.service.d/10-a.conf|"
		      "/etc/systemd/system/docker.service.d/20-b.conf",
		      "dropins");
	expect_joined(u.exec_start, "/d|20", "the last drop-in wins");
	expect_joined(u.env, "ORDER=20|A=lib", "env");
}

Test(unitfile, etc_dropin_overrides_lib_dropin, .init = setup, .fini = teardown)
{
	fixture_write(&fx, LIB, "[Service]\nExecStart=/unit\n", -1);
	fixture_write(&fx, "/lib/systemd/system/docker.service.d/50-x.conf",
		      "[Service]\nExecStart=\nExecStart=/lib-dropin\n", -1);
	fixture_write(&fx, "/etc/systemd/system/docker.service.d/50-x.conf",
		      "[Service]\nExecStart=\nExecStart=/etc-dropin\n", -1);
	load();
	expect_joined(u.exec_start, "/etc-dropin", "exec_start");
	expect_joined(u.dropins,
		      "/etc/systemd/system/docker.service.d/50-x.conf",
		      "dropins");
}

Test(unitfile, dropin_masked_by_dev_null, .init = setup, .fini = teardown)
{
	fixture_write(&fx, LIB, "[Service]\nExecStart=/unit\n", -1);
	fixture_write(&fx, "/lib/systemd/system/docker.service.d/50-x.conf",
		      "[Service]\nExecStart=\nExecStart=/lib-dropin\n", -1);
	fixture_symlink(&fx, "/etc/systemd/system/docker.service.d/50-x.conf",
			"/dev/null");
	load();
	expect_joined(u.exec_start, "/unit", "exec_start");
	cr_assert_null(u.dropins);
	expect_warning(u.warnings, NULL);
}

Test(unitfile, masked_unit, .init = setup, .fini = teardown)
{
	fixture_write(&fx, LIB, debian_unit, -1);
	fixture_write(&fx, "/lib/systemd/system/docker.service.d/x.conf",
		      "[Service]\nExecStart=/x\n", -1);
	fixture_symlink(&fx, ETC, "/dev/null");
	load();
	cr_assert(u.masked);
	cr_assert_str_eq(u.path, ETC);
	cr_assert_null(u.exec_start);
	cr_assert_null(u.dropins, "drop-ins of a masked unit are ignored");
	expect_warning(u.warnings,
		       "unit 'docker.service' is masked by '" ETC "'");
}

Test(unitfile, empty_unit_is_masked, .init = setup, .fini = teardown)
{
	fixture_write(&fx, LIB, debian_unit, -1);
	fixture_write(&fx, ETC, "", -1);
	load();
	cr_assert(u.masked);
	cr_assert_null(u.exec_start);
}

Test(unitfile, symlink_resolved_inside_sysroot, .init = setup, .fini = teardown)
{
	/* an absolute target must not be read from the host */
	fixture_write(&fx, "/opt/units/docker.service",
		      "[Service]\nExecStart=/opt-unit\n", -1);
	fixture_symlink(&fx, ETC, "/opt/units/docker.service");
	fixture_symlink(&fx, "/etc/systemd/system/docker.service.d/r.conf",
			"../../../../opt/units/r.conf");
	fixture_write(&fx, "/opt/units/r.conf", "[Service]\nEnvironment=R=1\n",
		      -1);
	load();
	expect_joined(u.exec_start, "/opt-unit", "exec_start");
	cr_assert_str_eq(u.exec_source, "/opt/units/docker.service:2");
	expect_joined(u.env, "R=1", "relative drop-in link");
}

Test(unitfile, env_file_missing_without_dash, .init = setup, .fini = teardown)
{
	fixture_write(&fx, USRLIB,
		      "[Service]\nEnvironmentFile=/etc/sysconfig/docker\n"
		      "ExecStart=/usr/bin/dockerd $OPTIONS\n",
		      -1);
	load();
	expect_joined(u.exec_start, "/usr/bin/dockerd", "exec_start");
	expect_joined(u.env_files, "/etc/sysconfig/docker", "env_files");
	expect_warning(u.warnings,
		       "cannot read environment file '/etc/sysconfig/docker'");
	expect_warning(u.warnings, "systemd fails to start the unit");
}

Test(unitfile, env_file_bad_lines, .init = setup, .fini = teardown)
{
	fixture_write(&fx, LIB, debian_unit, -1);
	fixture_write(&fx, "/etc/default/docker",
		      "# options\n\nDOCKER_OPTS --debug\n"
		      "export DOCKER_TMPDIR=/mnt/tmp\nDOCKER_OPTS=-D\n",
		      -1);
	load();
	expect_joined(u.exec_start, "/usr/sbin/dockerd|-H|fd://|-D",
		      "exec_start");
	expect_warning(
		u.warnings,
		"ignoring '/etc/default/docker:3': not a KEY=VALUE assignment");
	expect_warning(
		u.warnings,
		"'/etc/default/docker:4': invalid variable name 'export DOCKER_TMPDIR'");
}

Test(unitfile, env_file_overrides_environment, .init = setup, .fini = teardown)
{
	fixture_write(
		&fx, LIB,
		"[Service]\nEnvironmentFile=/etc/a\nEnvironmentFile=/etc/b\n"
		"Environment=A=unit B=unit C=unit\nExecStart=/d $A $B $C\n",
		-1);
	fixture_write(&fx, "/etc/a", "A=a\nB=a\n", -1);
	fixture_write(&fx, "/etc/b", "B=b\n", -1);
	load();
	expect_joined(u.exec_start, "/d|a|b|unit", "exec_start");
	expect_joined(u.env, "A=a|B=b|C=unit", "env");
}

Test(unitfile, env_file_reset_in_dropin, .init = setup, .fini = teardown)
{
	fixture_write(&fx, LIB, debian_unit, -1);
	fixture_write(&fx, "/etc/default/docker", "DOCKER_OPTS=-D\n", -1);
	fixture_write(
		&fx, "/etc/systemd/system/docker.service.d/env.conf",
		"[Service]\nEnvironmentFile=\nEnvironment=DOCKER_OPTS=--tls\n",
		-1);
	load();
	cr_assert_null(u.env_files);
	expect_joined(u.exec_start, "/usr/sbin/dockerd|-H|fd://|--tls",
		      "exec_start");
}

Test(unitfile, unreadable_dropin_dir, .init = setup, .fini = teardown)
{
	fixture_write(&fx, LIB, "[Service]\nExecStart=/d\n", -1);
	fixture_symlink(&fx, "/etc/systemd/system/docker.service.d",
			"docker.service.d");
	load();
	expect_joined(u.exec_start, "/d", "exec_start");
	expect_warning(
		u.warnings,
		"cannot read drop-in directory '/etc/systemd/system/docker.service.d'");
}

Test(unitfile, dropin_dir_permission_denied, .init = setup, .fini = teardown)
{
	char dir[512];

	if (geteuid() == 0)
		cr_skip_test("root reads any directory");
	fixture_write(&fx, LIB, "[Service]\nExecStart=/d\n", -1);
	fixture_write(&fx, "/run/systemd/system/docker.service.d/x.conf",
		      "[Service]\nExecStart=/x\n", -1);
	snprintf(dir, sizeof(dir), "%s/run/systemd/system/docker.service.d",
		 fx.root);
	cr_assert_eq(chmod(dir, 0), 0);
	load();
	chmod(dir, 0755);
	expect_joined(u.exec_start, "/d", "exec_start");
	expect_warning(u.warnings, "docker.service.d': Permission denied");
}

Test(unitfile, load_file_on_host, .init = setup, .fini = teardown)
{
	char path[512];
	int r;

	fixture_write(&fx, "/srv/my.service",
		      "[Service]\nExecStart=/usr/bin/dockerd -H fd://\n", -1);
	fixture_write(
		&fx, "/srv/my.service.d/10-fix.conf",
		"[Service]\nExecStart=\nExecStart=/usr/bin/dockerd --debug\n",
		-1);
	snprintf(path, sizeof(path), "%s/srv/my.service", fx.root);
	r = unit_load_file(path, &u);
	cr_assert_eq(r, 0, "%s", strerror(-r));
	cr_assert_str_eq(u.path, path);
	cr_assert_str_eq(u.name, "my.service");
	expect_joined(u.exec_start, "/usr/bin/dockerd|--debug", "exec_start");
	cr_assert_eq(strv_length(u.dropins), 1);
	unit_info_release(&u);
	cr_assert_eq(chdir(fx.root), 0);
	cr_assert_eq(unit_load_file("srv/my.service", &u), 0);
	cr_assert_str_eq(u.path, path, "a relative path is made absolute");
	unit_info_release(&u);
	u.n_exec_start = 7;
	cr_assert_eq(unit_load_file("srv/none.service", &u), -ENOENT);
	cr_assert_eq(u.n_exec_start, 7);
}

Test(unitfile, apply_text_incrementally, .init = setup, .fini = teardown)
{
	fixture_write(&fx, "/etc/default/docker",
		      "DOCKER_OPTS=--iptables=false\n", -1);
	cr_assert_eq(unit_apply_text(&pc,
				     "[Service]\nExecStart=/d $DOCKER_OPTS\n",
				     "unit", &u),
		     0);
	expect_joined(u.exec_start, "/d", "before the drop-in");
	cr_assert_eq(unit_apply_text(
			     &pc,
			     "[Service]\nEnvironmentFile=/etc/default/docker\n",
			     "drop-in", &u),
		     0);
	expect_joined(u.exec_start, "/d|--iptables=false", "after the drop-in");
	cr_assert_str_eq(u.exec_source, "unit:2");
	expect_warning(u.warnings, NULL);
}
