// SPDX-License-Identifier: GPL-2.0-or-later
/* Renderer dispatch and the helpers the renderers share. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "render/render-util.h"

static const char *const format_names[] = {
	[FORMAT_TEXT] = "text",
	[FORMAT_JSON] = "json",
	[FORMAT_NAGIOS] = "nagios",
	[FORMAT_PROMETHEUS] = "prometheus",
};

/* Parse a format name. */
int render_format_from_name(const char *name, enum render_format *ret)
{
	size_t n = sizeof(format_names) / sizeof(format_names[0]);

	for (size_t i = 0; i < n; i++) {
		if (strcmp(name, format_names[i]) == 0) {
			*ret = (enum render_format)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Render r in the given format. */
int render(enum render_format fmt, const struct report *r, FILE *out,
	   const struct render_opts *opts)
{
	switch (fmt) {
	case FORMAT_TEXT:
		return render_text(r, out, opts);
	case FORMAT_JSON:
		return render_json(r, out, opts);
	case FORMAT_NAGIOS:
		return render_nagios(r, out, opts);
	case FORMAT_PROMETHEUS:
		return render_prometheus(r, out, opts);
	}
	return -EINVAL;
}

/* Copy s with every byte outside a valid UTF-8 sequence made U+FFFD. */
int render_utf8_sanitize(const char *s, char **ret)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	char *buf, *q;

	/* Each input byte turns into at most three output bytes. */
	buf = malloc(3 * n + 1);
	if (!buf)
		return -ENOMEM;
	q = buf;
	while (n > 0) {
		uint32_t cp;
		size_t len = render_utf8_len(p, n, &cp);

		if (len == 0) {
			memcpy(q, "\xef\xbf\xbd", 3);
			q += 3;
			len = 1;
		} else {
			memcpy(q, p, len);
			q += len;
		}
		p += len;
		n -= len;
	}
	*q = '\0';
	*ret = buf;
	return 0;
}
