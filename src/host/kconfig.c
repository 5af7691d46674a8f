// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel build configuration and module state (see kconfig.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef HAVE_ZLIB
#include <zlib.h>
#endif

#include "host/kconfig.h"
#include "core/util.h"

/* Skip "CONFIG_" and check that a name is made of [A-Za-z0-9_]. */
static const char *bare_name(const char *name)
{
	return startswith(name, "CONFIG_") ? name + 7 : name;
}

static inline bool is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       (c >= 'a' && c <= 'z');
}

/* "CONFIG_" followed by a name: returns its end, or NULL. */
static char *scan_name(char *p)
{
	if (strncmp(p, "CONFIG_", 7) != 0 || !is_name_char(p[7]))
		return NULL;
	p += 7;
	while (is_name_char(*p))
		p++;
	return p;
}

/* FNV-1a of a name. */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/*
 * The slot of a name: where it is, or the empty slot where it goes.
 * slots[] holds entry index + 1, 0 for empty; the table is never full.
 */
static uint32_t *find_slot(const struct kconfig *kc, const char *name)
{
	size_t mask = kc->n_slots - 1, i = name_hash(name) & mask;

	for (;; i = (i + 1) & mask) {
		uint32_t v = kc->slots[i];

		if (!v || strcmp(kc->entries[v - 1].name, name) == 0)
			return &kc->slots[i];
	}
}

/* Add an entry; a later assignment of a name replaces the earlier one. */
static void add_entry(struct kconfig *kc, const struct kconfig_entry *e)
{
	uint32_t *slot = find_slot(kc, e->name);

	if (*slot) {
		kc->entries[*slot - 1] = *e;
		return;
	}
	kc->entries[kc->n] = *e;
	*slot = (uint32_t)++kc->n;
}

/* "# Linux/x86 6.18.44 Kernel Configuration" */
static void parse_header(struct kconfig *kc, const char *line)
{
	const char *p = line + 1, *v;
	size_t n;

	while (*p == ' ')
		p++;
	if (!startswith(p, "Linux/") || !strstr(p, " Kernel Configuration"))
		return;
	v = strchr(p, ' ');
	if (!v)
		return;
	v++;
	n = strcspn(v, " ");
	if (n && n < sizeof(kc->version) && isdigit((unsigned char)*v)) {
		memcpy(kc->version, v, n);
		kc->version[n] = '\0';
	}
}

/* One line, NUL-terminated in place; adds at most one entry. */
static void parse_line(struct kconfig *kc, char *line, unsigned lineno)
{
	struct kconfig_entry e = { .line = lineno };
	char *p = line, *end;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return;
	if (*p == '#') {
		char *q = p + 1;

		while (*q == ' ')
			q++;
		end = scan_name(q);
		if (end && strcmp(end, " is not set") == 0) {
			*end = '\0';
			e.name = q + 7;
			e.value = "";
			e.state = KCONFIG_NOT_SET;
			add_entry(kc, &e);
		} else if (kc->version[0] == '\0') {
			parse_header(kc, p);
		}
		return;
	}
	end = scan_name(p);
	if (!end || *end != '=' || !end[1])
		goto garbage;
	*end = '\0';
	e.name = p + 7;
	e.value = end + 1;
	if (strcmp(e.value, "y") == 0) {
		e.state = KCONFIG_BUILTIN;
	} else if (strcmp(e.value, "m") == 0) {
		e.state = KCONFIG_MODULE;
	} else if (strcmp(e.value, "n") == 0) {
		e.state = KCONFIG_NOT_SET;
	} else if (e.value[0] == '"') {
		size_t n = strlen(e.value);

		if (n < 2 || e.value[n - 1] != '"')
			goto garbage;
		end[1 + n - 1] = '\0';
		e.value++;
		e.state = KCONFIG_VALUE;
	} else {
		/* decimal or 0x hex */
		for (const char *v = e.value; *v; v++)
			if (!isxdigit((unsigned char)*v) && *v != 'x' &&
			    *v != '-')
				goto garbage;
		e.state = KCONFIG_VALUE;
	}
	add_entry(kc, &e);
	return;
garbage:
	kc->n_garbage++;
	if (!kc->first_garbage)
		kc->first_garbage = lineno;
}

/* Parse text owned by kc. */
int kconfig_parse(struct kconfig *kc, char *buf, size_t len)
{
	size_t lines = 1, slots = 16;
	unsigned lineno = 0;
	char *p = buf, *end = buf + len;

	buf[len] = '\0';
	for (const char *q = buf; (q = memchr(q, '\n', end - q)); q++)
		lines++;
	if (lines > UINT32_MAX / 4) {
		free(buf);
		return -EFBIG;
	}
	while (slots < 2 * lines)
		slots *= 2;
	kc->entries = malloc(lines * sizeof(*kc->entries));
	kc->slots = calloc(slots, sizeof(*kc->slots));
	if (!kc->entries || !kc->slots) {
		free(buf);
		free(kc->entries);
		free(kc->slots);
		kc->entries = NULL;
		kc->slots = NULL;
		return -ENOMEM;
	}
	kc->n_slots = slots;
	kc->buf = buf;
	kc->size = len;
	kc->n = 0;
	while (p < end) {
		char *nl = memchr(p, '\n', end - p);
		char *eol = nl ? nl : end;

		*eol = '\0';
		if (eol > p && eol[-1] == '\r')
			eol[-1] = '\0';
		parse_line(kc, p, ++lineno);
		p = eol + 1;
	}
	return (int)kc->n;
}

/* Parse a copy of a string. */
int kconfig_parse_text(struct kconfig *kc, const char *text)
{
	size_t len = strlen(text);
	char *buf = malloc(len + 1);

	if (!buf)
		return -ENOMEM;
	memcpy(buf, text, len + 1);
	return kconfig_parse(kc, buf, len);
}

#ifdef HAVE_ZLIB
/*
 * Inflate gzip data (one or more members) into a new buffer of at most max
 * bytes. why receives zlib's reason for -EBADMSG.
 */
static int gunzip(const unsigned char *in, size_t in_len, size_t max,
		  char **ret, size_t *ret_len, char *why, size_t whylen)
{
	z_stream zs = { 0 };
	size_t alloc = in_len * 4 < 65536 ? 65536 : in_len * 4, len = 0;
	char *out;
	int zr, err = 0;

	if (alloc > max + 1)
		alloc = max + 1;
	out = malloc(alloc + 1);
	if (!out)
		return -ENOMEM;
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		free(out);
		return -ENOMEM;
	}
	zs.next_in = (unsigned char *)in;
	zs.avail_in = (uInt)in_len;
	for (;;) {
		if (len == alloc) {
			char *nb;

			if (alloc > max) {
				err = -EFBIG;
				break;
			}
			alloc = alloc * 2 > max + 1 ? max + 1 : alloc * 2;
			nb = realloc(out, alloc + 1);
			if (!nb) {
				err = -ENOMEM;
				break;
			}
			out = nb;
		}
		zs.next_out = (unsigned char *)out + len;
		zs.avail_out = (uInt)(alloc - len);
		zr = inflate(&zs, Z_NO_FLUSH);
		len = alloc - zs.avail_out;
		if (zr == Z_STREAM_END) {
			/* another member follows (cat a.gz b.gz)? */
			if (zs.avail_in >= 2 && zs.next_in[0] == 0x1f &&
			    zs.next_in[1] == 0x8b) {
				inflateReset(&zs);
				continue;
			}
			break; /* trailing bytes are ignored, as gzip does */
		}
		if (zr == Z_OK || (zr == Z_BUF_ERROR && zs.avail_out == 0))
			continue; /* progress, or the output is full: grow */
		if (zr == Z_MEM_ERROR) {
			err = -ENOMEM;
		} else {
			err = -EBADMSG;
			snprintf(why, whylen, "%s",
				 zr == Z_BUF_ERROR ? "truncated gzip data"
				 : zs.msg	   ? zs.msg
						   : "corrupt gzip data");
		}
		break;
	}
	inflateEnd(&zs);
	if (err == 0 && len > max)
		err = -EFBIG;
	if (err < 0) {
		free(out);
		return err;
	}
	*ret = out;
	*ret_len = len;
	return 0;
}
#endif

static void human_size(size_t n, char *buf, size_t size)
{
	if (n >= (1u << 20) && n % (1u << 20) == 0)
		snprintf(buf, size, "%zu MiB", n >> 20);
	else
		snprintf(buf, size, "%zu bytes", n);
}

/* Read one file. */
int kconfig_read(struct kconfig *kc, const struct pathctx *pc, const char *path,
		 size_t max, char *err, size_t errlen)
{
	char *raw = NULL, lim[32];
	size_t len = 0;
	int r;

	kconfig_release(kc);
	human_size(max, lim, sizeof(lim));
	r = path_read_file(pc, path, max, &raw, &len);
	if (r == -EFBIG) {
		snprintf(err, errlen, "%s: larger than %s", path, lim);
		return r;
	}
	if (r == -EISDIR) {
		snprintf(err, errlen, "%s: is a directory", path);
		return r;
	}
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
		return r;
	}
	if (len >= 2 && (unsigned char)raw[0] == 0x1f &&
	    (unsigned char)raw[1] == 0x8b) {
#ifdef HAVE_ZLIB
		char why[128] = "";
		char *text = NULL;
		size_t tlen = 0;

		r = gunzip((unsigned char *)raw, len, max, &text, &tlen, why,
			   sizeof(why));
		free(raw);
		raw = NULL;
		if (r == -EFBIG) {
			snprintf(err, errlen,
				 "%s: decompresses to more than %s", path, lim);
			return r;
		}
		if (r < 0) {
			snprintf(err, errlen, "%s: not a valid gzip file (%s)",
				 path, why[0] ? why : strerror(-r));
			return r;
		}
		raw = text;
		len = tlen;
		kc->compressed = true;
#else
		free(raw);
		snprintf(
			err, errlen,
			"%s: gzip-compressed, but dockerd-doctor was built without zlib",
			path);
		return -ENOTSUP;
#endif
	}
	r = kconfig_parse(kc, raw, len);
	if (r == 0) {
		snprintf(err, errlen,
			 "%s: no CONFIG_ lines (not a kernel config?)", path);
		kconfig_release(kc);
		return -EINVAL;
	}
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
		kconfig_release(kc);
		return r;
	}
	kc->path = strdup(path);
	if (!kc->path) {
		kconfig_release(kc);
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	return r;
}

/* The usual places, in check-config.sh's order. */
size_t kconfig_candidates(const char *release,
			  char paths[KCONFIG_N_CANDIDATES][256])
{
	bool rel = release && *release && !strchr(release, '/');
	size_t n = 0;

	snprintf(paths[n++], 256, "/proc/config.gz");
	if (rel) {
		snprintf(paths[n++], 256, "/boot/config-%s", release);
		snprintf(paths[n++], 256, "/usr/src/linux-%s/.config", release);
	}
	snprintf(paths[n++], 256, "/usr/src/linux/.config");
	if (rel)
		snprintf(paths[n++], 256, "/lib/modules/%s/build/.config",
			 release);
	return n;
}

/* Append "; item" to a bounded note. */
static void note_add(char *notes, size_t size, const char *item)
{
	size_t len = strlen(notes);

	if (len + 1 >= size)
		return;
	snprintf(notes + len, size - len, "%s%s", len ? "; " : "", item);
}

/* Search the usual places. */
int kconfig_find(struct kconfig *kc, const struct pathctx *pc,
		 const char *release, char *notes, size_t size)
{
	char paths[KCONFIG_N_CANDIDATES][256], err[512];
	size_t n = kconfig_candidates(release, paths);

	if (size)
		notes[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int r = kconfig_read(kc, pc, paths[i], KCONFIG_MAX_SIZE, err,
				     sizeof(err));

		if (r > 0)
			return r;
		if (r != -ENOENT && r != -ENOTDIR && size)
			note_add(notes, size, err);
	}
	return -ENOENT;
}

/* Hash lookup by name. */
const struct kconfig_entry *kconfig_get(const struct kconfig *kc,
					const char *name)
{
	uint32_t *slot;

	if (!kc || !kc->n_slots)
		return NULL;
	slot = find_slot(kc, bare_name(name));
	return *slot ? &kc->entries[*slot - 1] : NULL;
}

enum kconfig_state kconfig_state_of(const struct kconfig *kc, const char *name)
{
	const struct kconfig_entry *e = kconfig_get(kc, name);

	return e ? e->state : KCONFIG_ABSENT;
}

bool kconfig_enabled(const struct kconfig *kc, const char *name)
{
	enum kconfig_state st = kconfig_state_of(kc, name);

	return st == KCONFIG_BUILTIN || st == KCONFIG_MODULE;
}

void kconfig_release(struct kconfig *kc)
{
	free(kc->path);
	free(kc->buf);
	free(kc->entries);
	free(kc->slots);
	memset(kc, 0, sizeof(*kc));
}
