// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daemon.json analysis: the merged configuration the start-up and host
 * rules judge (dconfig-merge.c): the file's keys with every flag's value
 * in the file's shape, where each key came from, and the refusal of a
 * flag value its type cannot hold.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <string.h>

#include "config/dconfig-analyze.h"
#include "config/dockerd-options.h"
#include "core/report.h"

static struct dconfig_input in = { .check_id = "config.daemon-json",
				   .path = "/etc/docker/daemon.json",
				   .version = 2010 };
static struct dconfig_run u;
static struct report *r;

/* A run over the file text json. */
static void start(const char *json)
{
	json_object *flat = json_tokener_parse(json);

	cr_assert_not_null(flat);
	r = report_new();
	cr_assert_not_null(r);
	u = (struct dconfig_run){ .in = &in, .r = r };
	cr_assert_eq(dconfig_merge_init(&u, flat), 0);
	json_object_put(flat);
}

/* Add flag name=value as if from the unit. */
static int flag(const char *name, const char *value)
{
	const struct dockerd_option *o = dockerd_flag(name, in.version);

	cr_assert_not_null(o, "no flag %s", name);
	return dconfig_merge_flag(&u, o, value, "docker.service");
}

/* The merged value of key as compact JSON text. */
static const char *merged(const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(u.merged, key, &v))
		return "(none)";
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

static void finish(void)
{
	dconfig_merge_release(&u);
	report_free(r);
}

Test(merge, file_keys_stay_and_say_where_they_came_from)
{
	start("{\"debug\": true, \"log-opts\": {\"max-size\": \"10m\"}}");
	cr_assert_str_eq(merged("debug"), "true");
	cr_assert_str_eq(merged("log-opts"), "{\"max-size\":\"10m\"}");
	cr_assert_str_eq(dconfig_origin(&u, "debug"),
			 "/etc/docker/daemon.json");
	finish();
}

Test(merge, flags_take_the_files_shape)
{
	start("{}");
	cr_assert_eq(flag("debug", "true"), 0);
	cr_assert_eq(flag("mtu", "1400"), 0);
	cr_assert_eq(flag("bip", "10.9.0.1/24"), 0);
	cr_assert_eq(flag("host", "unix:///run/a.sock"), 0);
	cr_assert_eq(flag("host", "tcp://0.0.0.0:2376"), 0);
	cr_assert_eq(flag("log-opt", "max-size=10m"), 0);
	cr_assert_eq(flag("log-opt", "max-file=3"), 0);
	cr_assert_eq(flag("default-ulimit", "nofile=1024:2048"), 0);
	cr_assert_eq(flag("default-ulimit", "nproc=512"), 0);
	cr_assert_eq(flag("default-address-pool", "base=10.10.0.0/16,size=24"),
		     0);
	cr_assert_str_eq(merged("debug"), "true");
	cr_assert_str_eq(merged("mtu"), "1400");
	cr_assert_str_eq(merged("bip"), "\"10.9.0.1\\/24\"");
	cr_assert_str_eq(
		merged("hosts"),
		"[\"unix:\\/\\/\\/run\\/a.sock\",\"tcp:\\/\\/0.0.0.0:2376\"]");
	cr_assert_str_eq(merged("log-opts"),
			 "{\"max-size\":\"10m\",\"max-file\":\"3\"}");
	cr_assert_str_eq(
		merged("default-ulimits"),
		"{\"nofile\":{\"Name\":\"nofile\",\"Soft\":1024,\"Hard\":2048},"
		"\"nproc\":{\"Name\":\"nproc\",\"Soft\":512,\"Hard\":512}}");
	cr_assert_str_eq(merged("default-address-pools"),
			 "[{\"base\":\"10.10.0.0\\/16\",\"size\":24}]");
	cr_assert_str_eq(dconfig_origin(&u, "hosts"),
			 "the flag --host in docker.service");
	cr_assert_eq(r->n_findings, 0);
	finish();
}

Test(merge, a_flag_replaces_the_files_list_but_runtimes_merge)
{
	start("{\"hosts\": [\"fd://\"], \"runtimes\": {\"crun\": "
	      "{\"path\": \"/usr/bin/crun\"}}}");
	cr_assert_eq(flag("host", "unix:///run/b.sock"), 0);
	cr_assert_eq(flag("add-runtime", "youki=/usr/bin/youki"), 0);
	cr_assert_str_eq(merged("hosts"), "[\"unix:\\/\\/\\/run\\/b.sock\"]");
	cr_assert_str_eq(merged("runtimes"),
			 "{\"crun\":{\"path\":\"\\/usr\\/bin\\/crun\"},"
			 "\"youki\":{\"path\":\"\\/usr\\/bin\\/youki\"}}");
	finish();
}

Test(merge, a_value_the_flag_cannot_hold_is_a_refusal)
{
	start("{}");
	cr_assert_eq(flag("mtu", "big"), 0);
	cr_assert_eq(flag("iptables", "maybe"), 0);
	cr_assert_eq(r->n_findings, 2);
	cr_assert_eq(r->findings[0].severity, SEV_CRITICAL);
	cr_assert(strstr(r->findings[0].summary, "--mtu"));
	cr_assert(strstr(r->findings[0].summary, "'big'"));
	cr_assert(strstr(r->findings[1].summary, "--iptables"));
	cr_assert(u.refuse);
	cr_assert_str_eq(merged("mtu"), "(none)");
	finish();
}
