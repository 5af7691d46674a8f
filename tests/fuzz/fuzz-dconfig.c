// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the daemon.json analysis: jsonscan() and
 * dconfig_check(), with the flags they are checked against.
 *
 * Input layout:
 *   data[0]        picks the rules: version = versions[data[0] % 6];
 *                  bit 0 of data[0] / 6 sets from_systemd, bit 1 passes
 *                  the flags twice (two flag sources)
 *   data[1..NUL)   when the rest holds a 0x00 byte: the flags, split on
 *                  spaces into an argv
 *   the rest       the file
 *
 * Broken invariants trap (__builtin_trap()), so libFuzzer keeps the input:
 * - jsonscan(): an error has a line and a column >= 1 and an offset in the
 *   buffer; a value that parsed ends inside the buffer
 * - dconfig_check() returns 0 or 1 (-ENOMEM only with report->oom set),
 *   and 1 exactly when a finding is critical
 * - it adds at least one finding; each has the check id and a summary
 * - credential masking: when every "s3cret" in the input is the password
 *   of "http://u:s3cret@", no finding text shows "s3cret"
 *   (DDFUZZ_NO_MASK_CHECK=1 in the environment turns this one off)
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/dconfig.h"
#include "config/jsonscan.h"
#include "core/report.h"
#include "core/util.h"

#define CHECK_ID "config.daemon-json"
#define SECRET "s3cret"
#define SECRET_URL "http://u:" SECRET "@"

static const unsigned versions[] = { 2010, 2300, 2400, 2500, 2800, 2805 };

static bool mask_check = true;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read the environment once. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *e = getenv("DDFUZZ_NO_MASK_CHECK");

	(void)argc;
	(void)argv;
	mask_check = !(e && *e && strcmp(e, "0") != 0);
	return 0;
}

/* Trap unless cond holds: libFuzzer reports it as a crash. */
static void invariant(bool cond)
{
	if (!cond)
		__builtin_trap();
}

/* Does buf[0..len) contain the string s? */
static bool contains(const char *buf, size_t len, const char *s)
{
	return memmem(buf, len, s, strlen(s)) != NULL;
}

/*
 * True when buf holds SECRET_URL and every SECRET in it is the password
 * of one: then nothing may show SECRET. (A bare "s3cret" key may be shown.)
 */
static bool only_masked_secrets(const char *buf, size_t len)
{
	size_t pre = strlen("http://u:"), n = strlen(SECRET), urls = 0;
	const char *p = buf, *end = buf + len;

	while ((p = memmem(p, end - p, SECRET, n))) {
		if (p - buf < (ptrdiff_t)pre || (size_t)(end - p) <= n ||
		    memcmp(p - pre, "http://u:", pre) != 0 || p[n] != '@')
			return false;
		urls++;
		p += n;
	}
	return urls > 0;
}

/* Does a string of the report (NULL allowed) show the secret? */
static bool leaks(const char *s)
{
	return s && strstr(s, SECRET);
}

/* Check the report against the invariants. */
static void check_report(const struct report *r, int ret, bool secret)
{
	bool critical = false;

	invariant(ret == 0 || ret == 1 || (ret == -ENOMEM && r->oom));
	invariant(r->n_findings >= 1 || r->oom);
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct finding *f = &r->findings[i];

		invariant(f->summary != NULL);
		invariant(f->check && strcmp(f->check, CHECK_ID) == 0);
		invariant(f->severity < SEV__COUNT);
		if (f->severity == SEV_CRITICAL)
			critical = true;
		if (!secret)
			continue;
		invariant(!leaks(f->summary) && !leaks(f->detail) &&
			  !leaks(f->remedy));
		for (size_t k = 0; k < f->n_evidence; k++)
			invariant(!leaks(f->evidence[k].key) &&
				  !leaks(f->evidence[k].value));
	}
	if (ret >= 0)
		invariant(ret == (critical ? 1 : 0));
}

/* Scan the file on its own: the scanner's contract. */
static void check_scan(const char *buf, size_t len)
{
	struct jsonscan_result js;

	jsonscan(buf, len, &js);
	if (!js.ok) {
		invariant(js.line >= 1 && js.col >= 1);
		invariant(js.err_offset <= len);
		invariant(js.error[0] != '\0');
	} else {
		invariant(js.end <= len);
	}
}

/*
 * Split flags[0..len) on spaces into a NULL-terminated argv pointing into
 * a copy returned in *ret_copy. Returns NULL on ENOMEM.
 */
static char **split_flags(const char *s, size_t len, char **ret_copy)
{
	char **argv = calloc(len / 2 + 2, sizeof(*argv));
	char *copy = strndup(s, len), *tok, *save = NULL;
	size_t n = 0;

	if (!argv || !copy) {
		free(argv);
		free(copy);
		return NULL;
	}
	for (tok = strtok_r(copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		argv[n++] = tok;
	*ret_copy = copy;
	return argv;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *rest = (const char *)data + 1, *nul;
	size_t rest_len = size ? size - 1 : 0;
	struct dconfig_flags flags[2] = { { 0 } };
	struct dconfig_input in = {
		.check_id = CHECK_ID,
		.path = "/etc/docker/daemon.json",
		.version_source = "fuzz",
	};
	struct report *r = NULL;
	char **argv = NULL, *copy = NULL;
	bool secret;
	int ret;

	if (size == 0)
		return 0;
	in.version = versions[data[0] % ARRAY_SIZE(versions)];
	in.buf = rest;
	in.len = rest_len;
	nul = memchr(rest, '\0', rest_len);
	if (nul) {
		argv = split_flags(rest, nul - rest, &copy);
		if (!argv)
			return 0;
		for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
			flags[i].argv = argv;
			flags[i].source = i ? "fuzz-flags-2" : "fuzz-flags";
			flags[i].from_systemd = (data[0] / 6) & 1;
		}
		in.flags = flags;
		in.n_flags = (data[0] / 12) & 1 ? 2 : 1;
		in.buf = nul + 1;
		in.len = rest_len - (size_t)(nul + 1 - rest);
	}

	check_scan(in.buf, in.len);

	secret = mask_check && only_masked_secrets(rest, rest_len);
	r = report_new();
	if (!r)
		goto out;
	ret = dconfig_check(&in, r);
	check_report(r, ret, secret);
out:
	report_free(r);
	free(argv);
	free(copy);
	return 0;
}
