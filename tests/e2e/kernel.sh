#!/bin/bash
#
# End-to-end: kernel.version, kernel.config, kernel.swap-limit and
# kernel.cgroups on this
# real host, on a real cgroup2 file system mounted in a private mount
# namespace, and against a real isolated dockerd (cgroupfs driver: fine;
# systemd driver on a host whose init is not systemd: critical, and a real
# 'docker run' then fails as predicted). Expected values are computed here
# independently of the tool (uname, stat -f, the cgroup files themselves).
# Needs root and Debian's docker.io.
#
# Exit status (automake): 0 all passed, 1 a case failed, 77 skipped.

# shellcheck disable=SC2016,SC2317
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
# shellcheck source=tests/e2e/lib.sh
. "$top_srcdir/tests/e2e/lib.sh"

DOCTOR=$top_builddir/dockerd-doctor
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH NO_COLOR
CHECKS=kernel.version,kernel.swap-limit,kernel.cgroups

dd_skip_unless_root_and_dockerd
[ -x "$DOCTOR" ] || { echo "e2e: '$DOCTOR' not built" >&2; exit 1; }
dd__init_dir || exit 1

# finding of a check with a given severity: dd_jq helper
sev_of() { # CHECK -> jq expression for the worst severity of the check
	printf '[.findings[] | select(.check == "%s") | .severity]' "$1"
}

# The mode as the kernel shows it, without the tool.
expected_mode() {
	local root=${1:-}
	case $(stat -fc %T "$root/sys/fs/cgroup" 2>/dev/null) in
	cgroup2fs) echo v2 ;;
	tmpfs)
		if [ "$(stat -fc %T "$root/sys/fs/cgroup/unified" 2>/dev/null)" = cgroup2fs ]; then
			echo hybrid
		else
			echo v1
		fi
		;;
	*) echo none ;;
	esac
}

dd_case "this host: kernel release, cgroup mode and swap accounting"
dd_run timeout 20 "$DOCTOR" --host unix:///nonexistent/dd.sock --only "$CHECKS" -f json
dd_jq '.findings[] | select(.check == "kernel.version" and .severity == "ok") | .evidence.release == "'"$(uname -r)"'"' \
	"kernel.version names the running kernel ($(uname -r))"
mode=$(expected_mode)
dd_jq '.findings[] | select(.check == "kernel.cgroups") | select(.evidence.mode != null) | .evidence.mode == "'"$mode"'"' \
	"kernel.cgroups says $mode, as stat -f does"
if [ "$mode" = v2 ]; then
	if grep -qw memory /sys/fs/cgroup/cgroup.controllers; then swap=yes; else swap=no; fi
else
	# the memory hierarchy's mount point: fields after " - " are type, source, options
	mem=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break
		if ($(i + 1) == "cgroup" && $(i + 3) ~ /(^|,)memory(,|$)/) { print $5; exit } }' \
		/proc/self/mountinfo)
	if [ -n "$mem" ] && [ -e "$mem/memory.memsw.limit_in_bytes" ]; then swap=yes; else swap=no; fi
fi
if [ "$swap" = yes ]; then
	dd_jq "$(sev_of kernel.swap-limit) == [\"ok\"]" "kernel.swap-limit: ok, the memsw/swap.max files exist"
else
	dd_jq "$(sev_of kernel.swap-limit) | all(. != \"ok\")" "kernel.swap-limit: not ok, the files are missing"
fi

dd_case "a real cgroup2 mount: controllers as the kernel lists them"
# A sysroot whose /sys/fs/cgroup is a fresh cgroup2 mount (private mount
# namespace, gone when it exits) and whose /proc is the real one.
SR=$DD_DIR/sysroot
mkdir -p "$SR/sys/fs/cgroup" "$SR/run" && ln -s /proc "$SR/proc"
dd_run unshare -m sh -c '
	mount --make-rprivate / &&
	mount -t cgroup2 none "$1/sys/fs/cgroup" || exit 99
	cat "$1/sys/fs/cgroup/cgroup.controllers" >"$2/controllers"
	exec timeout 20 "$3" --sysroot "$1" --host unix:///nonexistent/dd.sock --only "$4" -f json
' sh "$SR" "$DD_DIR" "$DOCTOR" "$CHECKS"
if [ "$DD_RC" = 99 ]; then
	dd_skip "cannot mount cgroup2 here"
else
	dd_jq '.findings[] | select(.check == "kernel.cgroups") | select(.evidence.mode != null) | .evidence.mode == "v2" and .evidence.decided_by == "statfs"' \
		"kernel.cgroups: v2, decided by statfs on the real mount"
	ctl=$(cat "$DD_DIR/controllers")
	for c in memory cpu pids io cpuset; do
		case " $ctl " in
		*" $c "*)
			dd_jq '[.findings[] | select(.check == "kernel.cgroups" and (.summary | startswith("the '"$c"' cgroup")))] | length == 0' \
				"$c: available in cgroup.controllers, not reported" ;;
		*)
			dd_jq '[.findings[] | select(.check == "kernel.cgroups" and .severity == "warning" and (.summary | startswith("the '"$c"' cgroup")))] | length == 1' \
				"$c: missing from cgroup.controllers ('$ctl'), a warning" ;;
		esac
	done
	case " $ctl " in
	*" memory "*) dd_pass "memory controller present: swap case covered on the host above" ;;
	*) dd_jq "$(sev_of kernel.swap-limit) == [\"warning\"]" \
		"kernel.swap-limit: no memory controller in v2, a warning" ;;
	esac
	dd_jq '.findings[] | select(.check == "kernel.cgroups") | select(.evidence.systemd_init != null) | .evidence.systemd_init == "no"' \
		"no /run/systemd/system in the sysroot: systemd is not init"
fi

dd_case "kernel.config: this kernel's real config, and a copy with an option removed"
cfg=
for c in /proc/config.gz "/boot/config-$(uname -r)"; do
	[ -r "$c" ] && { cfg=$c; break; }
done
if [ -z "$cfg" ]; then
	dd_skip "no kernel config on this host"
else
	dd_run timeout 20 "$DOCTOR" --host unix:///nonexistent/dd.sock --only kernel.config -f json
	dd_jq '[.findings[] | select(.check == "kernel.config") | .evidence.source] | any(. == "'"$cfg"'")' \
		"the config is read from $cfg"
	# the tool's verdict on core options against grep on the same file
	for o in NAMESPACES NET_NS PID_NS VETH BRIDGE OVERLAY_FS; do
		key=$(echo "config_$o" | tr 'A-Z' 'a-z')
		if zcat -f "$cfg" | grep -q "^CONFIG_$o=[ym]"; then
			dd_jq '[.findings[] | select(.check == "kernel.config") | .evidence.'"$key"' // empty] | all(. != "missing")' \
				"CONFIG_$o is set in $cfg: not reported missing"
		else
			dd_jq '[.findings[] | select(.check == "kernel.config") | .evidence.'"$key"' // empty] | any(. == "missing")' \
				"CONFIG_$o is not set in $cfg: reported missing"
		fi
	done
	zcat -f "$cfg" | grep -v '^CONFIG_VETH=' | gzip >"$DD_DIR/config-noveth.gz"
	dd_expect_exit 2 timeout 20 "$DOCTOR" --host unix:///nonexistent/dd.sock \
		--only kernel.config --kernel-config "$DD_DIR/config-noveth.gz" -f json
	dd_jq '[.findings[] | select(.check == "kernel.config" and .severity == "critical") | .evidence.config_veth] | any(. == "missing")' \
		"a gzip copy without CONFIG_VETH: critical, VETH missing"
	# the same options as another kernel's config: judged as a config only
	zcat -f "$cfg" >"$DD_DIR/config-5.4.0-999-other"
	dd_run timeout 20 "$DOCTOR" --host unix:///nonexistent/dd.sock \
		--only kernel.config --kernel-config "$DD_DIR/config-5.4.0-999-other" -f json
	dd_jq '[.findings[] | select(.check == "kernel.config") | .evidence.config_version_from] | any(. == "its file name")' \
		"config-5.4.0-999-other: another kernel's config, said so"
	dd_jq '[.findings[] | select(.check == "kernel.config") | .summary] | all(contains("/lib/modules") | not) and all(contains("not loaded") | not)' \
		"config-5.4.0-999-other: nothing said about this kernel's modules"
	# the option list follows --docker-version past 28.5
	for v in 29.0:v29.0 28.5:"v28.1 to v28.5" 20.10:v20.10; do
		dd_run timeout 20 "$DOCTOR" --host unix:///nonexistent/dd.sock \
			--only kernel.config --docker-version "${v%%:*}" -f json
		dd_jq '[.findings[] | select(.check == "kernel.config") | .evidence.option_list] | all(. == "check-config.sh of Docker '"${v#*:}"'")' \
			"--docker-version ${v%%:*}: check-config.sh of Docker ${v#*:}"
	done
	printf '\037\213\010\000garbage' >"$DD_DIR/broken.gz"
	dd_expect_exit 3 timeout 20 "$DOCTOR" --host unix:///nonexistent/dd.sock \
		--only kernel.config --kernel-config "$DD_DIR/broken.gz" -f json
	dd_jq '[.findings[] | select(.check == "kernel.config" and .severity == "unknown") | .summary] | any(contains("broken.gz"))' \
		"a broken gzip file: unknown, naming the file"
fi

dd_case "the harness dockerd: its driver and cgroup, from the daemon itself"
if ! dd_harness_start; then
	dd_fail "the harness dockerd did not start"
else
	dd_run timeout 20 "$DOCTOR" --host "$DD_HOST" --pid "$DD_PID" --only "$CHECKS" -f json
	drv=$(dd_docker info --format '{{.CgroupDriver}}')
	dd_jq '.findings[] | select(.check == "kernel.cgroups") | select(.evidence.driver != null) | .evidence.driver == "'"$drv"'" and .evidence.driver_source == "the running daemon (docker info)"' \
		"the driver is the daemon's own ($drv)"
	dd_jq '.findings[] | select(.check == "kernel.cgroups") | select(.evidence.daemon_pid != null) | .evidence.daemon_pid == "'"$DD_PID"'"' \
		"the daemon's view is used (pid $DD_PID)"
	info_swap=$(dd_docker info --format '{{.SwapLimit}}')
	dd_jq '.findings[] | select(.check == "kernel.swap-limit") | .evidence.docker_info_swap_limit == "'"$info_swap"'"' \
		"docker info's SwapLimit ($info_swap) is shown next to the live verdict"
	dd_jq '.findings[] | select(.check == "kernel.version") | select(.evidence.docker_info_kernel != null) | .evidence.docker_info_kernel == "'"$(uname -r)"'"' \
		"docker info's kernel version is shown"
	dd_harness_stop
fi

dd_case "systemd cgroup driver without systemd: critical, and docker run fails"
if [ -d /run/systemd/system ]; then
	dd_skip "systemd is init here: the systemd driver works"
elif ! dd_harness_start --exec-opt native.cgroupdriver=systemd; then
	dd_fail "the harness dockerd did not start with the systemd driver"
else
	dd_expect_exit 2 timeout 20 "$DOCTOR" --host "$DD_HOST" --pid "$DD_PID" --only kernel.cgroups -f json
	dd_jq '[.findings[] | select(.severity == "critical") | .summary] | any(contains("systemd is not the init system"))' \
		"critical: systemd driver, systemd not init"
	if dd_make_image >/dev/null 2>&1; then
		dd_run timeout 30 docker -H "$DD_HOST" run --rm "$DD_IMAGE" true
		if [ "$DD_RC" != 0 ] && grep -q "systemd not running" "$DD_ERR"; then
			dd_pass "docker run fails as predicted: $(grep -o 'systemd not running[^:]*' "$DD_ERR" | head -1)"
		else
			dd_fail "docker run did not fail as predicted (rc $DD_RC)"
		fi
	else
		dd_fail "could not make the test image"
	fi
	dd_harness_stop
fi

dd_summary
